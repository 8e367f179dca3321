package dev.weft.bench.e2e;

import dev.weft.core.identity.Multiaddr;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.host.Connection;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostConfig;
import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import dev.weft.net.noise.PureJavaChaChaPoly;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end bulk stream throughput over one connection on loopback (TCP + Noise + yamux),
 * weft↔weft against js-libp2p↔js-libp2p measured in the same run, alternating rounds.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/weft-benchmarks.jar \
 *      dev.weft.bench.e2e.StreamThroughput \
 *      [--mib 512] [--rounds 3] [--js-dir integration-tests/src/test/js]
 * </pre>
 *
 * Prints one line per round and the median MiB/s of each side with their ratio, and (on Linux) the
 * same per CPU-second of the whole process (the JVM; the Node.js child), which stays comparable when
 * the machine is oversubscribed or the two systems use different numbers of threads.
 */
public final class StreamThroughput {
  static final String PROTOCOL = "/weft/bench/1.0.0";
  private static final int CHUNK = 64 * 1024;

  public static void main(String[] args) throws Exception {
    int mib = 512;
    int rounds = 3;
    String jsDir = "integration-tests/src/test/js";
    boolean weftOnly = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--mib" -> mib = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--js-dir" -> jsDir = args[++i];
        case "--weft-only" -> weftOnly = true;
        default -> {
          System.err.println("usage: StreamThroughput [--mib N] [--rounds N] [--js-dir DIR] [--weft-only]");
          System.exit(2);
        }
      }
    }
    List<Double> weft = new ArrayList<>();
    List<Double> js = new ArrayList<>();
    List<Double> weftCpu = new ArrayList<>();
    List<Double> jsCpu = new ArrayList<>();
    weftRound(Math.max(64, mib / 4)); // warm-up: JIT
    // The cipher's Vector API kernels (with --add-modules jdk.incubator.vector) warm up in the
    // background once bulk data flows; keep the JIT warm-up going until they are in use.
    for (long until = System.nanoTime() + 30_000_000_000L;
        !PureJavaChaChaPoly.vectorKernelsInUse() && PureJavaChaChaPoly.vectorKernelsAvailable()
            && System.nanoTime() < until; ) {
      weftRound(64);
    }
    // Then until the JIT has settled: warm-up rounds until one is no longer clearly cheaper in CPU
    // time than the one before (the code around the kernels is compiled again once they are used).
    double lastCpu = Double.MAX_VALUE;
    for (int i = 0; i < 8; i++) {
      int warmMib = Math.max(64, mib / 4);
      double[] before = CpuTimes.read();
      weftRound(warmMib);
      double cpu = CpuTimes.read()[0] - before[0];
      if (!(cpu < 0.95 * lastCpu)) { // also stops when CPU times are unavailable (NaN)
        break;
      }
      lastCpu = cpu;
    }
    System.out.println("cipher: " + (PureJavaChaChaPoly.vectorKernelsInUse()
        ? "Vector API kernels" : "scalar (run with --add-modules jdk.incubator.vector for the vector kernels)"));
    for (int r = 1; r <= rounds; r++) {
      double[] cpu0 = CpuTimes.read();
      double w = weftRound(mib);
      double[] cpu1 = CpuTimes.read();
      double wc = mib / (cpu1[0] - cpu0[0]);
      if (weftOnly) {
        System.out.printf(Locale.ROOT, "round %d: weft<->weft %.1f MiB/s (%.1f MiB per CPU-second)%n", r, w, wc);
        continue;
      }
      double j = jsRound(jsDir, mib);
      double[] cpu2 = CpuTimes.read();
      double jc = mib / (cpu2[1] - cpu1[1]);
      weft.add(w);
      js.add(j);
      weftCpu.add(wc);
      jsCpu.add(jc);
      System.out.printf(Locale.ROOT, "round %d: weft<->weft %.1f MiB/s, js<->js %.1f MiB/s, ratio %.2f;"
          + " per CPU-second: weft %.1f MiB, js %.1f MiB, ratio %.2f%n", r, w, j, w / j, wc, jc, wc / jc);
    }
    if (weftOnly) {
      return;
    }
    double mw = median(weft);
    double mj = median(js);
    System.out.printf(Locale.ROOT,
        "RESULT stream throughput (%d MiB, one stream, loopback): weft<->weft median %.1f MiB/s, "
            + "js<->js median %.1f MiB/s, ratio %.2fx%n", mib, mw, mj, mw / mj);
    if (CpuTimes.available()) {
      double cw = median(weftCpu);
      double cj = median(jsCpu);
      System.out.printf(Locale.ROOT,
          "RESULT per CPU-second (whole process: all threads, GC and JIT included): weft<->weft median "
              + "%.1f MiB, js<->js median %.1f MiB, ratio %.2fx%n", cw, cj, cw / cj);
    }
  }

  /**
   * CPU seconds from {@code /proc/self/stat} (Linux): [0] this JVM (user+system), [1] its reaped
   * children, i.e. the Node.js process of each finished js round. NaN where unavailable.
   */
  static final class CpuTimes {
    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux x86-64

    static boolean available() {
      return new File("/proc/self/stat").canRead();
    }

    static double[] read() {
      try {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
        // Fields after the parenthesised command name; utime is field 14 of the whole line.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        double self = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        double children = (Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICKS_PER_SECOND;
        return new double[] {self, children};
      } catch (java.io.IOException | RuntimeException e) {
        return new double[] {Double.NaN, Double.NaN};
      }
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Double::compare);
    return s.get(s.size() / 2);
  }

  /** Streams {@code mib} MiB from one host to another over one yamux stream. */
  static double weftRound(int mib) throws Exception {
    SecureRandom random = new SecureRandom();
    long total = (long) mib * 1024 * 1024;
    try (Host sink = new Host(HostConfig.builder(Ed25519Keys.generate(random))
            .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).ioThreads(1).build());
        Host source = new Host(HostConfig.builder(Ed25519Keys.generate(random)).ioThreads(1).build())) {
      AtomicLong received = new AtomicLong();
      CompletableFuture<Long> doneAt = new CompletableFuture<>();
      sink.registerProtocol(PROTOCOL, (conn, stream) -> new StreamHandler() {
        @Override
        public void onData(MuxedStream s, ByteBuf data) {
          if (received.addAndGet(data.readableBytes()) >= total) {
            doneAt.complete(System.nanoTime());
          }
          data.release();
        }
      });
      sink.start();
      source.start();
      Connection c = source.dial(sink.listenAddrs().get(0).withPeerId(sink.peerId())).get(10, TimeUnit.SECONDS);
      ByteBuf data = Unpooled.directBuffer(CHUNK).writeZero(CHUNK);
      try {
        Writer writer = new Writer(Unpooled.unreleasableBuffer(data), total);
        MuxedStream s = source.newStream(c, List.of(PROTOCOL), writer).get(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        c.eventLoop().execute(() -> writer.pump(s));
        long end = doneAt.get(300, TimeUnit.SECONDS);
        return total / 1048576.0 / ((end - start) / 1e9);
      } finally {
        data.release();
      }
    }
  }

  /** Writes fixed chunks while the stream is writable, resuming on writability changes. */
  private static final class Writer implements StreamHandler {
    private final ByteBuf chunk;
    private long remaining;

    Writer(ByteBuf chunk, long total) {
      this.chunk = chunk;
      this.remaining = total;
    }

    void pump(MuxedStream s) {
      while (remaining > 0 && s.isWritable()) {
        int n = (int) Math.min(CHUNK, remaining);
        s.write(chunk.retainedSlice(0, n));
        remaining -= n;
      }
      s.flush();
    }

    @Override
    public void onData(MuxedStream s, ByteBuf data) {
      data.release();
    }

    @Override
    public void onWritabilityChanged(MuxedStream s) {
      if (s.isWritable()) {
        pump(s);
      }
    }
  }

  /** Runs the js-libp2p bulk benchmark (two js nodes in one Node.js process). */
  static double jsRound(String jsDir, int mib) throws Exception {
    Process p = new ProcessBuilder("node", "bulk.mjs", "--mib", Integer.toString(mib))
        .directory(new File(jsDir))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        last = line;
      }
    }
    if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0 || last == null) {
      p.destroyForcibly();
      throw new IllegalStateException("js bulk benchmark failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
    }
    Matcher m = Pattern.compile("\"mibPerSec\"\\s*:\\s*([0-9.]+)").matcher(last);
    if (!m.find()) {
      throw new IllegalStateException("js bulk benchmark printed no mibPerSec: " + last);
    }
    return Double.parseDouble(m.group(1));
  }
}
