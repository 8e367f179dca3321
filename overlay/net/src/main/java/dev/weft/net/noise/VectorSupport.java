package dev.weft.net.noise;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * Whether the cipher uses the JDK's incubating Vector API ({@code jdk.incubator.vector}) through
 * {@link ChaCha20Vector} and {@link Poly1305Vector}. It is available when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the {@code weft} launcher, the build's tests and the
 * benchmark commands do so), its preferred vectors hold 8 or 16 ints (AVX2, AVX-512), C2 is on (vector code run by
 * the interpreter or C1 is hundreds of times slower than scalar code) and the system property
 * {@code weft.noise.vector} is not {@code false}. Otherwise {@link ChaCha20} and {@link Poly1305} do
 * all the work in scalar code, with the same results, and the vector classes are never loaded.
 *
 * <p>Until C2 has compiled the vector kernels they are far slower than the scalar code, so the first
 * message long enough for them starts a one-off background warm-up (about a CPU-second) and the
 * scalar code serves until it has finished.
 */
final class VectorSupport {
  static final boolean AVAILABLE = detect();
  /** Shortest keystream run handed to {@link ChaCha20Vector}. */
  static final int CHACHA_MIN_BYTES = AVAILABLE ? ChaCha20Vector.LANES * ChaCha20.BLOCK : Integer.MAX_VALUE;
  /** Shortest run of full blocks handed to {@link Poly1305Vector}. */
  static final int POLY_MIN_BYTES = AVAILABLE ? Poly1305Vector.MIN_BYTES : Integer.MAX_VALUE;

  private static final AtomicBoolean WARMING = new AtomicBoolean();
  private static volatile boolean warm;

  private VectorSupport() {}

  /** True once the kernels are compiled; otherwise starts the warm-up (once) and returns false. */
  static boolean ready() {
    if (warm) {
      return true;
    }
    if (AVAILABLE && WARMING.compareAndSet(false, true)) {
      Thread t = new Thread(VectorSupport::warmUp, "weft-noise-vector-warm-up");
      t.setDaemon(true);
      t.start();
    }
    return false;
  }

  /**
   * Runs both kernels until C2 has compiled them, then lets the cipher use them. A batch of calls
   * costs about 300 times less in C2 code than at first (interpreted), but only about 17 times less
   * in C1 code, so the loop runs until batches are more than 100 times cheaper than the first and no
   * longer get cheaper (measured: about 25 batches, 1-2 CPU-seconds in all).
   */
  static synchronized void warmUp() {
    if (!AVAILABLE || warm) {
      return;
    }
    ChaCha20Vector chacha = ChaCha20Vector.create();
    int[] key = new int[8];
    int group = Poly1305Vector.GROUP;
    byte[] buf = new byte[4 * ChaCha20Vector.LANES * ChaCha20.BLOCK + 4 * group * Poly1305.BLOCK];
    long[] h = new long[5];
    long[] powers = new long[10 * group];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long first = 0;
    long best = Long.MAX_VALUE;
    long last = Long.MAX_VALUE;
    for (int batch = 0; batch < 400; batch++) {
      long start = threads.getCurrentThreadCpuTime();
      // Varying lengths so that C2 sees every loop and branch taken (no later deoptimization).
      for (int i = 0; i < 100; i++) {
        chacha.xor(key, i, 0, 0, 0, buf, 0, buf, 0, 1 + (i & 3));
        Arrays.fill(h, 0);
        Poly1305Vector.blocks(buf, 0, 1 + (i & 3), h, powers);
      }
      last = threads.getCurrentThreadCpuTime() - start;
      if (batch == 0) {
        first = last;
      }
      boolean plateau = last <= best + best / 4;
      best = Math.min(best, last);
      if (batch >= 40 && plateau && last * 100 < first) {
        break;
      }
    }
    if (last * 100 >= first) {
      LoggerFactory.getLogger(VectorSupport.class).warn(
          "Noise cipher: the Vector API kernels did not get compiled; using the scalar code");
      return;
    }
    if (selfCheck()) {
      warm = true;
    } else {
      LoggerFactory.getLogger(VectorSupport.class).warn(
          "Noise cipher: the compiled Vector API kernels disagree with the scalar code; not using them");
    }
  }

  /** The now compiled kernels against the scalar code on a few kilobytes (guards against a JIT bug). */
  private static boolean selfCheck() {
    SplittableRandom random = new SplittableRandom(8439);
    byte[] key = new byte[32];
    random.nextBytes(key);
    int len = 3 * POLY_MIN_BYTES;
    byte[] msg = new byte[len];
    random.nextBytes(msg);

    ChaCha20 vector = new ChaCha20(true);
    ChaCha20 scalar = new ChaCha20(false);
    vector.init(key);
    scalar.init(key);
    byte[] a = new byte[len];
    byte[] b = new byte[len];
    if (vector.vectorXor(5, 1, 2, 3, msg, 0, a, 0, len) != len) {
      return false;
    }
    scalar.xor(5, 1, 2, 3, msg, 0, b, 0, len);

    Poly1305 p = new Poly1305(false);
    Poly1305 q = new Poly1305(false);
    p.init(key, 0);
    q.init(key, 0);
    p.update(msg, 0, 16, true);
    q.update(msg, 0, 16, true);
    p.laneBlocks(msg, 16, len - 16 * Poly1305Vector.GROUP);
    q.update(msg, 16, len - 16 * Poly1305Vector.GROUP, true);
    long[] tagP = new long[2];
    long[] tagQ = new long[2];
    p.finish(tagP);
    q.finish(tagQ);
    return Arrays.equals(a, b) && Arrays.equals(tagP, tagQ);
  }

  private static boolean detect() {
    if ("false".equalsIgnoreCase(System.getProperty("weft.noise.vector"))) {
      return false;
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      if (!"true".equals(vm.getVMOption("UseCompiler").getValue())
          || Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) < 4) {
        return false;
      }
      return (ChaCha20Vector.LANES == 8 || ChaCha20Vector.LANES == 16) && Poly1305Vector.LANES >= 4;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
