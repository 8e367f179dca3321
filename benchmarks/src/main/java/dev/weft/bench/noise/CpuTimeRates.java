package dev.weft.bench.noise;

import dev.weft.net.noise.PureJavaChaChaPoly;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The JMH Noise benchmarks' operations timed by this thread's CPU time instead of wall time: on a
 * shared, oversubscribed machine (load far above the core count) wall-clock rates mostly measure
 * how often the scheduler ran us, while CPU time gives the rate of one core actually working.
 * SMT and cache contention still inflate it, so these are conservative.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/weft-benchmarks.jar \
 *      dev.weft.bench.noise.CpuTimeRates [seconds-per-run]
 * </pre>
 */
public final class CpuTimeRates {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    // With --add-modules jdk.incubator.vector, weft's cipher uses its Vector API kernels once their
    // background warm-up has finished; wait for it so that "java" measures them.
    for (long until = System.nanoTime() + 60_000_000_000L; PureJavaChaChaPoly.vectorKernelsAvailable()
        && !PureJavaChaChaPoly.vectorKernelsInUse() && System.nanoTime() < until; ) {
      Thread.sleep(100);
    }
    System.out.println("weft cipher: " + (PureJavaChaChaPoly.vectorKernelsInUse() ? "Vector API kernels"
        : "scalar code (run with --add-modules jdk.incubator.vector for the vector kernels)"));
    for (String provider : new String[] {"java", "jdk", "bc"}) {
      for (int size : new int[] {1024, 65519}) {
        NoiseCipherBenchmark b = new NoiseCipherBenchmark();
        b.provider = provider;
        b.size = size;
        b.setup();
        double ops = rate(b::encryptDecrypt, seconds);
        System.out.printf(Locale.ROOT, "AEAD encrypt+decrypt %-4s %6d B: %,12.0f ops per CPU-second"
            + " (%,.0f MB/s of plaintext each way)%n", provider, size, ops, ops * size / 1e6);
      }
    }
    NoiseHandshakeBenchmark h = new NoiseHandshakeBenchmark();
    h.setup();
    System.out.printf(Locale.ROOT, "Noise XX handshake (both sides), shared static keys: %,.0f per CPU-second%n",
        rate(h::sharedStaticKeys, seconds));
    System.out.printf(Locale.ROOT, "Noise XX handshake (both sides), fresh static keys:  %,.0f per CPU-second%n",
        rate(h::freshStaticKeys, seconds));
  }

  /** Warms up for one run, then returns operations per CPU-second of this thread over another. */
  private static double rate(Callable<?> op, double seconds) throws Exception {
    measure(op, seconds);
    return measure(op, seconds);
  }

  private static double measure(Callable<?> op, double seconds) throws Exception {
    long budget = (long) (seconds * 1e9);
    long start = THREADS.getCurrentThreadCpuTime();
    long ops = 0;
    long used;
    do {
      for (int i = 0; i < 16; i++) {
        op.call();
      }
      ops += 16;
      used = THREADS.getCurrentThreadCpuTime() - start;
    } while (used < budget);
    return ops / (used / 1e9);
  }
}
