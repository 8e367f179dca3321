package dev.weft.bench.e2e;

import dev.weft.core.gossip.GossipParams;
import dev.weft.core.gossip.GossipRouter;
import dev.weft.core.identity.Multiaddr;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.emulation.LinkEmulator;
import dev.weft.net.emulation.LinkEmulatorRegistry;
import dev.weft.net.emulation.LinkProfile;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostConfig;
import dev.weft.net.pubsub.BlockOptions;
import dev.weft.net.pubsub.PubSub;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Blocks on loopback: N weft nodes in one JVM (real sockets, Noise, yamux, Host + PubSub, signed
 * messages), every link shaped by the in-process link emulator (latency and a per-link bandwidth
 * cap). Runs the same blocks twice in one process, plain GossipSub v1.2 and weft's chunked
 * erasure-coded blocks ({@code /weft/block/1.0.0}), and prints per mode the time until each block
 * reached 95% of the other nodes (after an unreported two-block warm-up of each mode) and the wire
 * bytes (everything the emulators let through: Noise,
 * yamux, all protocols) sent per node per block over the block size.
 *
 * <pre>
 * java -cp benchmarks/target/weft-benchmarks.jar dev.weft.bench.e2e.BlocksLoopback \
 *      [--nodes 20] [--degree 6] [--blocks 5] [--size 1048576] [--latency-ms 10] [--mbps 50]
 * </pre>
 */
public final class BlocksLoopback {
  private static final String TOPIC = "blocks";

  private record Result(String mode, double[] reach95Ms, int notReached, double bytesPerNodeOverBlock) {}

  public static void main(String[] args) throws Exception {
    int nodes = 20;
    int degree = 6;
    int blocks = 5;
    int size = 1 << 20;
    long latencyMs = 10;
    double mbps = 50;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--degree" -> degree = Integer.parseInt(args[++i]);
        case "--blocks" -> blocks = Integer.parseInt(args[++i]);
        case "--size" -> size = Integer.parseInt(args[++i]);
        case "--latency-ms" -> latencyMs = Long.parseLong(args[++i]);
        case "--mbps" -> mbps = Double.parseDouble(args[++i]);
        default -> {
          System.err.println("usage: BlocksLoopback [--nodes N] [--degree D] [--blocks B]"
              + " [--size BYTES] [--latency-ms MS] [--mbps PER_LINK_MBIT_S (0: no cap)]");
          System.exit(2);
        }
      }
    }
    System.out.printf(Locale.ROOT,
        "nodes=%d degree=%d blocks=%d size=%dB latency=%dms per-link=%sMbit/s cpus=%d%n",
        nodes, degree, blocks, size, latencyMs, mbps > 0 ? String.valueOf(mbps) : "uncapped",
        Runtime.getRuntime().availableProcessors());
    // warm-up (JIT, both modes), not reported
    run(false, nodes, degree, 2, size, latencyMs, mbps);
    run(true, nodes, degree, 2, size, latencyMs, mbps);
    List<Result> results = new ArrayList<>();
    results.add(run(false, nodes, degree, blocks, size, latencyMs, mbps));
    results.add(run(true, nodes, degree, blocks, size, latencyMs, mbps));
    for (Result r : results) {
      double[] s = r.reach95Ms.clone();
      Arrays.sort(s);
      System.out.printf(Locale.ROOT,
          "%-6s reach95 per block (ms) %s  median=%.1f max=%.1f notReached=%d bytesSentPerNode/block=%.2f%n",
          r.mode, fmt(r.reach95Ms), s.length == 0 ? Double.NaN : s[s.length / 2],
          s.length == 0 ? Double.NaN : s[s.length - 1], r.notReached, r.bytesPerNodeOverBlock);
    }
    double[] p = results.get(0).reach95Ms.clone();
    double[] b = results.get(1).reach95Ms.clone();
    Arrays.sort(p);
    Arrays.sort(b);
    if (p.length > 0 && b.length > 0) {
      System.out.printf(Locale.ROOT, "ratio median reach95 blocks/plain = %.2f, bytes %.2f vs %.2f%n",
          b[b.length / 2] / p[p.length / 2], results.get(1).bytesPerNodeOverBlock,
          results.get(0).bytesPerNodeOverBlock);
    }
  }

  private static String fmt(double[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", v[i]));
    }
    return sb.append(']').toString();
  }

  private static Result run(boolean chunked, int n, int degree, int blocks, int size,
      long latencyMs, double mbps) throws Exception {
    LinkEmulatorRegistry reg = new LinkEmulatorRegistry(1);
    LinkProfile.Builder pb = LinkProfile.builder().latencyMs(latencyMs);
    if (mbps > 0) {
      pb.bandwidthBytesPerSec((long) (mbps * 1_000_000 / 8));
    }
    reg.setDefaultProfile(pb.build());
    GossipParams params = GossipParams.specDefaults().toBuilder().maxRpcSize(4 << 20).build();
    List<Host> hosts = new ArrayList<>();
    List<PubSub> pubsubs = new ArrayList<>();
    // deliveries[b * n + i] = delivery time (ns) of block b at node i, 0 if none
    AtomicLongArray got = new AtomicLongArray(blocks * n);
    try {
      for (int i = 0; i < n; i++) {
        Host h = new Host(HostConfig.builder(Ed25519Keys.generate(new SecureRandom()))
            .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
            .dialTimeout(Duration.ofSeconds(60)).handshakeTimeout(Duration.ofSeconds(60))
            .emulation(reg).build());
        h.start();
        PubSub ps = new PubSub(h, PubSub.Config.defaults().withParams(params), null, null,
            chunked ? BlockOptions.of(Set.of(TOPIC)) : null);
        int self = i;
        ps.addListener(d -> {
          int b = ByteBuffer.wrap(d.message().data()).getInt(0);
          if (b >= 0 && b < blocks) {
            got.compareAndSet(b * n + self, 0, System.nanoTime());
          }
        });
        hosts.add(h);
        pubsubs.add(ps);
      }
      for (PubSub ps : pubsubs) {
        ps.subscribe(TOPIC).get(5, TimeUnit.SECONDS);
      }
      // ring plus chords: node i dials i+1 .. i+degree/2
      List<CompletableFuture<?>> dials = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        for (int k = 1; k <= Math.max(1, degree / 2); k++) {
          Host target = hosts.get((i + k) % n);
          dials.add(hosts.get(i).dial(target.listenAddrs().get(0).withPeerId(target.peerId())));
        }
      }
      for (CompletableFuture<?> d : dials) {
        d.get(120, TimeUnit.SECONDS);
      }
      waitForMeshes(pubsubs);
      long before = bytesSent(reg, hosts);
      double[] reach = new double[blocks];
      int reached = 0;
      int notReached = 0;
      SplittableRandom r = new SplittableRandom(7);
      for (int b = 0; b < blocks; b++) {
        byte[] data = new byte[size];
        r.nextBytes(data);
        ByteBuffer.wrap(data).putInt(0, b);
        int pub = b % n;
        long t0 = System.nanoTime();
        GossipRouter.PublishResult res = pubsubs.get(pub).publish(TOPIC, data).get(30, TimeUnit.SECONDS);
        if (res.status() != GossipRouter.PublishStatus.PUBLISHED) {
          throw new IllegalStateException("publish failed: " + res.status());
        }
        int need = (int) Math.ceil(0.95 * (n - 1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && count(got, b, n, pub) < n - 1) {
          Thread.sleep(5);
        }
        long[] times = new long[n - 1];
        int k = 0;
        for (int i = 0; i < n; i++) {
          long t = got.get(b * n + i);
          if (i != pub && t != 0) {
            times[k++] = t - t0;
          }
        }
        if (k >= need) {
          Arrays.sort(times, 0, k);
          if (System.getProperty("blocks.trace") != null) {
            StringBuilder sb = new StringBuilder(chunked ? "blocks" : "plain").append(" block ")
                .append(b).append(" delivery ms:");
            for (int i = 0; i < k; i++) {
              sb.append(' ').append(times[i] / 1_000_000);
            }
            System.out.println(sb);
          }
          reach[reached++] = times[need - 1] / 1e6;
        } else {
          notReached++;
        }
        Thread.sleep(1000); // let chunk/IHAVE traffic of this block settle
      }
      long after = bytesSent(reg, hosts);
      if (chunked) {
        long[] t = new long[8];
        for (PubSub ps : pubsubs) {
          dev.weft.routing.block.BlockRelay.Stats st = ps.blockStats().get(5, TimeUnit.SECONDS);
          long[] v = {st.chunksReceived(), st.duplicateChunks(), st.chunksSent(), st.wantsSent(),
              st.wantTimeouts(), st.blocksRebuilt(), st.verifyFailures(), st.refused()};
          for (int i = 0; i < 8; i++) {
            t[i] += v[i];
          }
        }
        System.out.printf(Locale.ROOT, "blocks relay totals: chunksReceived=%d duplicates=%d "
            + "chunksSent=%d wantsSent=%d wantTimeouts=%d rebuilt=%d verifyFailures=%d refused=%d%n",
            t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]);
      }
      return new Result(chunked ? "blocks" : "plain", Arrays.copyOf(reach, reached), notReached,
          (double) (after - before) / n / blocks / size);
    } finally {
      for (PubSub ps : pubsubs) {
        ps.close();
      }
      for (Host h : hosts) {
        h.close();
      }
    }
  }

  private static int count(AtomicLongArray got, int b, int n, int pub) {
    int c = 0;
    for (int i = 0; i < n; i++) {
      if (i != pub && got.get(b * n + i) != 0) {
        c++;
      }
    }
    return c;
  }

  private static long bytesSent(LinkEmulatorRegistry reg, List<Host> hosts) {
    long sum = 0;
    for (Host h : hosts) {
      for (LinkEmulator e : reg.emulatorsFrom(h.peerId().toBase58())) {
        sum += e.stats().bytes();
      }
    }
    return sum;
  }

  private static void waitForMeshes(List<PubSub> pubsubs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      boolean ok = true;
      for (PubSub ps : pubsubs) {
        ok &= ps.meshPeers(TOPIC).get(5, TimeUnit.SECONDS).size() >= 2;
      }
      if (ok) {
        Thread.sleep(1500); // one more heartbeat to settle
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("meshes did not form");
  }
}
