package dev.weft.bench.e2e;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * GossipSub end to end on loopback: N weft nodes, then N js-libp2p (@libp2p/gossipsub) nodes, each
 * node its own OS process (weft: {@link GossipBenchNode} in its own JVM; js: {@code gossip-bench.mjs}),
 * same topology (node i dials nodes i+1..i+k mod N), same topic, same load, measured in one run.
 *
 * <p>The load is a ramp of total publish rates, spread evenly over all nodes (each publishes
 * rate/N msgs/s for {@code --step-ms}, payload {@code --size} bytes; StrictSign, or with
 * {@code --sign none} StrictNoSign with SHA-256 content IDs on both sides). Per step: delivery
 * ratio (deliveries / (published × (N-1))), publish-to-delivery latency p50/p99 over all deliveries,
 * CPU (cores, from /proc/&lt;pid&gt;/stat utime+stime) and RSS (/proc/&lt;pid&gt;/status VmRSS)
 * per node, and all nodes' CPU time per published message. A rate is sustained when delivery is 100% and p99 stays under {@code --p99-limit-ms};
 * the ramp stops at the first rate that is not.
 *
 * <pre>
 * java -cp benchmarks/target/weft-benchmarks.jar dev.weft.bench.e2e.GossipBench \
 *      [--nodes 6] [--degree 3] [--size 256] [--step-ms 5000] [--drain-ms 2000]
 *      [--rates 100,200,500,1000,2000,5000,10000,20000,50000] [--p99-limit-ms 5000]
 *      [--warm-rate 1000] [--warm-ms 10000] [--js-dir integration-tests/src/test/js]
 *      [--weft-only | --js-only] [--jvm-opts "-Xmx256m ..."] [--sign strict|none]
 * </pre>
 */
public final class GossipBench {
  private static final long CLK_TCK = 100;

  /** One node process and its reply queue. */
  static final class NodeProc implements AutoCloseable {
    final Process proc;
    final Writer in;
    final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    final String peerId;
    final String addr;

    NodeProc(List<String> cmd, File dir) throws Exception {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir)
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      proc = pb.start();
      in = new OutputStreamWriter(proc.getOutputStream(), StandardCharsets.UTF_8);
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.startsWith("@@ ")) {
              replies.add(line.substring(3));
            }
          }
        } catch (IOException e) {
          // process gone
        }
      }, "bench-reader-" + proc.pid());
      t.setDaemon(true);
      t.start();
      String ready = take(60);
      if (!ready.startsWith("ready ")) {
        throw new IllegalStateException("node did not start: " + ready);
      }
      String[] p = ready.split(" ");
      peerId = p[1];
      addr = p[2].contains("/p2p/") ? p[2] : p[2] + "/p2p/" + p[1];
    }

    String take(int seconds) throws InterruptedException {
      String s = replies.poll(seconds, TimeUnit.SECONDS);
      if (s == null) {
        throw new IllegalStateException("no reply from pid " + proc.pid() + " in " + seconds + " s");
      }
      return s;
    }

    void send(String cmd) throws IOException {
      in.write(cmd + "\n");
      in.flush();
    }

    String command(String cmd, int seconds) throws Exception {
      send(cmd);
      String r = take(seconds);
      if (r.startsWith("err")) {
        throw new IllegalStateException(cmd + ": " + r);
      }
      return r;
    }

    /** utime + stime in clock ticks. */
    long cpuTicks() throws IOException {
      String stat = Files.readString(Path.of("/proc/" + proc.pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Resident set size in KiB. */
    long rssKib() throws IOException {
      for (String l : Files.readAllLines(Path.of("/proc/" + proc.pid() + "/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
      return -1;
    }

    @Override
    public void close() {
      try {
        send("quit");
        if (!proc.waitFor(5, TimeUnit.SECONDS)) {
          proc.destroyForcibly();
        }
      } catch (Exception e) {
        proc.destroyForcibly();
      }
    }
  }

  /** Result of one rate step. */
  record Step(double rate, long published, long failed, long delivered, double ratio, double p50Ms,
      double p99Ms, double cpuCoresPerNode, double rssMibPerNode, double cpuUsPerMsg,
      boolean sustained) {
    String line(String who) {
      return String.format(Locale.ROOT,
          "%-4s rate %7.0f/s  published %7d failed %d  delivery %.4f  p50 %8.2f ms  p99 %8.2f ms  "
              + "cpu/node %.3f cores  cpu/msg %.0f us  rss/node %.0f MiB%s",
          who, rate, published, failed, ratio, p50Ms, p99Ms, cpuCoresPerNode, cpuUsPerMsg,
          rssMibPerNode,
          sustained ? "" : "  NOT SUSTAINED");
    }
  }

  public static void main(String[] args) throws Exception {
    int nodes = 6;
    int degree = 3;
    int size = 256;
    long stepMs = 5000;
    long drainMs = 2000;
    double p99LimitMs = 5000;
    double[] rates = {100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000};
    String jsDir = "integration-tests/src/test/js";
    // As the weft launcher runs a node: tiered C2 (SHA-256 intrinsics, inlining) and the Vector
    // API module (the Noise cipher's vector kernels need both); the warm-up below lets C2 finish.
    String jvmOpts = "-Xmx256m -XX:+UseSerialGC -Xss512k --add-modules jdk.incubator.vector";
    boolean sign = true;
    boolean weft = true;
    boolean js = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--degree" -> degree = Integer.parseInt(args[++i]);
        case "--size" -> size = Integer.parseInt(args[++i]);
        case "--step-ms" -> stepMs = Long.parseLong(args[++i]);
        case "--drain-ms" -> drainMs = Long.parseLong(args[++i]);
        case "--p99-limit-ms" -> p99LimitMs = Double.parseDouble(args[++i]);
        case "--rates" -> rates = Arrays.stream(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray();
        case "--js-dir" -> jsDir = args[++i];
        case "--jvm-opts" -> jvmOpts = args[++i];
        case "--warm-rate" -> warmRate = Double.parseDouble(args[++i]);
        case "--warm-ms" -> warmMs = Long.parseLong(args[++i]);
        case "--sign" -> sign = switch (args[++i]) {
          case "strict" -> true;
          case "none" -> false;
          default -> throw new IllegalArgumentException("--sign strict|none");
        };
        case "--weft-only" -> js = false;
        case "--js-only" -> weft = false;
        default -> {
          System.err.println("unknown option " + args[i] + "; see the class comment");
          System.exit(2);
        }
      }
    }
    System.out.printf(Locale.ROOT, "GossipSub benchmark: %d nodes per side, each dials the next %d, "
        + "payload %d B, %d ms per step + %d ms drain, p99 limit %.0f ms, %s%n",
        nodes, degree, size, stepMs, drainMs, p99LimitMs,
        sign ? "StrictSign (go-style from||seqno IDs)" : "StrictNoSign (SHA-256 content IDs)");
    List<String> policy = sign ? List.of() : List.of("--signaturePolicy", "StrictNoSign");
    List<Step> w = new ArrayList<>();
    List<Step> j = new ArrayList<>();
    if (weft) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd = new ArrayList<>();
      cmd.add(java);
      cmd.addAll(Arrays.asList(jvmOpts.trim().split("\\s+")));
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
          GossipBenchNode.class.getName()));
      cmd.addAll(policy);
      w = side("weft", cmd, new File("."), nodes, degree, size, stepMs, drainMs, p99LimitMs, rates);
    }
    if (js) {
      List<String> cmd = new ArrayList<>(List.of("node", "gossip-bench.mjs"));
      cmd.addAll(policy);
      j = side("js", cmd, new File(jsDir), nodes, degree, size, stepMs, drainMs, p99LimitMs, rates);
    }
    summarise(w, j);
  }

  private static double warmRate = 1000;
  private static long warmMs = 10_000;

  private static List<Step> side(String who, List<String> cmd, File dir, int n, int degree, int size,
      long stepMs, long drainMs, double p99LimitMs, double[] rates) throws Exception {
    List<NodeProc> procs = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        procs.add(new NodeProc(cmd, dir));
      }
      for (int i = 0; i < n; i++) {
        for (int k = 1; k <= degree && k < n; k++) {
          procs.get(i).command("dial " + procs.get((i + k) % n).addr, 30);
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      boolean meshed = false;
      while (!meshed && System.nanoTime() < deadline) {
        Thread.sleep(500);
        meshed = true;
        for (NodeProc p : procs) {
          String[] m = p.command("mesh", 10).split(" ");
          meshed &= Integer.parseInt(m[1]) >= 1 && Integer.parseInt(m[2]) >= Math.min(2 * degree, n - 1);
        }
      }
      Thread.sleep(2000);
      quiesce(procs);
      // warm-up (JIT, connection buffers), not reported; then wait until nothing is in flight
      step(procs, warmRate, warmMs, drainMs, size, p99LimitMs);
      quiesce(procs);
      for (double rate : rates) {
        Step s = step(procs, rate, stepMs, drainMs, size, p99LimitMs);
        System.out.println(s.line(who));
        steps.add(s);
        if (!s.sustained()) {
          break;
        }
      }
    } finally {
      for (NodeProc p : procs) {
        p.close();
      }
    }
    return steps;
  }

  /** Reads and discards stats until a whole second passes without a delivery (max 60 s). */
  private static void quiesce(List<NodeProc> procs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Thread.sleep(1000);
      long got = 0;
      for (NodeProc p : procs) {
        got += Long.parseLong(p.command("stats", 30).split(" ")[1]);
      }
      if (got == 0) {
        return;
      }
    }
  }

  private static Step step(List<NodeProc> procs, double rate, long stepMs, long drainMs, int size,
      double p99LimitMs) throws Exception {
    int n = procs.size();
    long[] cpu0 = new long[n];
    for (int i = 0; i < n; i++) {
      cpu0[i] = procs.get(i).cpuTicks();
    }
    long t0 = System.nanoTime();
    for (NodeProc p : procs) {
      p.send(String.format(Locale.ROOT, "run %.3f %d %d", rate / n, stepMs, size));
    }
    long published = 0;
    long failed = 0;
    for (NodeProc p : procs) {
      String r = p.take((int) (stepMs / 1000) + 120);
      String[] f = r.split(" ");
      published += Long.parseLong(f[2]);
      failed += Long.parseLong(f[3]);
    }
    Thread.sleep(drainMs);
    double wallS = (System.nanoTime() - t0) / 1e9;
    long[] hist = new long[GossipBenchNode.BUCKETS];
    long delivered = 0;
    double cpu = 0;
    long ticks = 0;
    double rss = 0;
    for (int i = 0; i < n; i++) {
      NodeProc p = procs.get(i);
      long t = p.cpuTicks() - cpu0[i];
      ticks += t;
      cpu += t / (double) CLK_TCK / wallS;
      rss += p.rssKib() / 1024.0;
      String[] f = p.command("stats", 30).split(" ");
      delivered += Long.parseLong(f[1]);
      if (!f[2].equals("-")) {
        for (String bc : f[2].split(",")) {
          String[] x = bc.split(":");
          hist[Math.min(hist.length - 1, Integer.parseInt(x[0]))] += Long.parseLong(x[1]);
        }
      }
    }
    double ratio = published == 0 ? 0 : delivered / (double) (published * (n - 1));
    double p50 = quantileMs(hist, 0.50);
    double p99 = quantileMs(hist, 0.99);
    boolean achieved = published >= 0.95 * rate * stepMs / 1000.0;
    boolean sustained = achieved && ratio >= 1.0 && p99 <= p99LimitMs;
    // CPU of all nodes over the step (publishing + drain) per published message
    double usPerMsg = published == 0 ? Double.NaN : ticks * 1e6 / CLK_TCK / published;
    return new Step(rate, published, failed, delivered, ratio, p50, p99, cpu / n, rss / n, usPerMsg,
        sustained);
  }

  /** Upper edge of the bucket holding quantile q, in ms (buckets are 5% wide). */
  static double quantileMs(long[] hist, double q) {
    long total = 0;
    for (long c : hist) {
      total += c;
    }
    if (total == 0) {
      return Double.NaN;
    }
    long target = (long) Math.ceil(q * total);
    long acc = 0;
    for (int b = 0; b < hist.length; b++) {
      acc += hist[b];
      if (acc >= target) {
        return (b == 0 ? 1 : Math.pow(1.05, b)) / 1000.0;
      }
    }
    return Double.NaN;
  }

  private static void summarise(List<Step> w, List<Step> j) {
    Step wMax = lastSustained(w);
    Step jMax = lastSustained(j);
    if (wMax != null) {
      System.out.println(String.format(Locale.ROOT, "RESULT weft max sustained %.0f msg/s (p99 %.2f ms, "
          + "cpu/node %.3f cores, rss/node %.0f MiB)", wMax.rate(), wMax.p99Ms(), wMax.cpuCoresPerNode(),
          wMax.rssMibPerNode()));
    }
    if (jMax != null) {
      System.out.println(String.format(Locale.ROOT, "RESULT js   max sustained %.0f msg/s (p99 %.2f ms, "
          + "cpu/node %.3f cores, rss/node %.0f MiB)", jMax.rate(), jMax.p99Ms(), jMax.cpuCoresPerNode(),
          jMax.rssMibPerNode()));
    }
    if (wMax != null && jMax != null) {
      System.out.println(String.format(Locale.ROOT, "RESULT throughput ratio weft/js %.2fx", wMax.rate() / jMax.rate()));
      for (Step ws : w) {
        if (ws.rate() == jMax.rate()) {
          System.out.println(String.format(Locale.ROOT, "RESULT at js's max rate %.0f msg/s: p99 weft %.2f ms, "
              + "js %.2f ms, weft/js %.3f; p50 weft %.2f ms, js %.2f ms; cpu/node weft %.3f, js %.3f cores; "
              + "rss/node weft %.0f, js %.0f MiB", ws.rate(), ws.p99Ms(), jMax.p99Ms(), ws.p99Ms() / jMax.p99Ms(),
              ws.p50Ms(), jMax.p50Ms(), ws.cpuCoresPerNode(), jMax.cpuCoresPerNode(), ws.rssMibPerNode(),
              jMax.rssMibPerNode()));
        }
      }
    }
  }

  private static Step lastSustained(List<Step> steps) {
    Step best = null;
    for (Step s : steps) {
      if (s.sustained()) {
        best = s;
      }
    }
    return best;
  }
}
