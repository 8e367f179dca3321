package dev.weft.bench.e2e;

import dev.weft.core.feed.FeedHeader;
import dev.weft.core.feed.FeedMessage;
import dev.weft.core.feed.FeedMessageIdFn;
import dev.weft.core.feed.FeedOptions;
import dev.weft.core.feed.FeedSubscriber;
import dev.weft.core.gossip.GossipParams;
import dev.weft.core.gossip.GossipRouter;
import dev.weft.core.gossip.SignaturePolicy;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.MessageIdFn;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostConfig;
import dev.weft.net.pubsub.PubSub;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Market data on loopback: N weft nodes in one JVM (real sockets, Noise, yamux, Host + PubSub),
 * one publisher sending sequenced feed messages at a fixed rate. Runs the same load twice in one
 * process: with feeds (feed IDs, gap recovery by IWANT) and with plain GossipSub v1.2 (content
 * IDs, no recovery), and prints for each: delivered/expected, gaps, unrecoverable, and the
 * publish-to-delivery latency percentiles over every subscriber.
 *
 * <pre>
 * java -cp benchmarks/target/weft-benchmarks.jar dev.weft.bench.e2e.FeedLoopback \
 *      [--nodes 20] [--rate 10000] [--seconds 10] [--payload 100] [--degree 6]
 *      [--io-threads 1] [--tree]
 * </pre>
 *
 * {@code --io-threads}: Netty I/O threads per node (a node on its own machine uses 2; twenty
 * nodes sharing two cores only pay for the extra context switches). {@code --tree}: the nodes
 * forward along weft's adaptive spanning trees (routing's {@code TreeRouter}) with each other
 * instead of flooding the whole mesh.
 *
 * Messages are unsigned (StrictNoSign): at 10,000 msgs/s × 19 subscribers, Ed25519 verification
 * alone would need more cores than a small machine has; connections are still Noise-authenticated.
 */
public final class FeedLoopback {
  private static final String TOPIC = "md/EURUSD";
  private static final byte[] FEED = "EURUSD".getBytes(StandardCharsets.US_ASCII);

  private record Result(String mode, long expected, long delivered, long gaps, long recovered,
      long unrecoverable, long[] latenciesNs, int latencyCount, long publishFailures,
      double cpuUsPerMsg) {}

  /** CPU time of this process (all nodes), ns. */
  private static long processCpuNs() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  public static void main(String[] args) throws Exception {
    int nodes = 20;
    int rate = 10_000;
    int seconds = 10;
    int payload = 100;
    int degree = 6;
    int ioThreads = 1;
    boolean tree = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--payload" -> payload = Integer.parseInt(args[++i]);
        case "--degree" -> degree = Integer.parseInt(args[++i]);
        case "--io-threads" -> ioThreads = Integer.parseInt(args[++i]);
        case "--tree" -> tree = true;
        default -> {
          System.err.println("usage: FeedLoopback [--nodes N] [--rate MSGS_PER_S] [--seconds S]"
              + " [--payload BYTES] [--degree D] [--io-threads T] [--tree]");
          System.exit(2);
        }
      }
    }
    System.out.printf(Locale.ROOT, "nodes=%d rate=%d/s seconds=%d payload=%dB degree=%d "
        + "io-threads=%d routing=%s cpus=%d%n", nodes, rate, seconds, payload, degree, ioThreads,
        tree ? "tree" : "gossipsub", Runtime.getRuntime().availableProcessors());
    ioThreadsPerNode = ioThreads;
    treeRouting = tree;
    run(true, nodes, rate, 2, payload, degree); // warm-up (JIT), not reported
    List<Result> results = new ArrayList<>();
    results.add(run(true, nodes, rate, seconds, payload, degree));
    results.add(run(false, nodes, rate, seconds, payload, degree));
    for (Result r : results) {
      report(r);
    }
    Result f = results.get(0);
    Result p = results.get(1);
    System.out.printf(Locale.ROOT, "ratio p99 feeds/plain = %.2f%n",
        (double) pct(f, 0.99) / Math.max(1, pct(p, 0.99)));
  }

  private static int ioThreadsPerNode = 1;
  private static boolean treeRouting;

  private static long pct(Result r, double q) {
    if (r.latencyCount == 0) {
      return -1;
    }
    long[] l = Arrays.copyOf(r.latenciesNs, r.latencyCount);
    Arrays.sort(l);
    return l[(int) Math.min(l.length - 1, Math.floor(q * l.length))];
  }

  private static void report(Result r) {
    System.out.printf(Locale.ROOT,
        "%-6s delivered %d/%d (missing %d) gaps=%d recovered=%d unrecoverable=%d "
            + "publishFailures=%d latency p50=%.2fms p99=%.2fms p99.9=%.2fms max=%.2fms "
            + "cpu/msg=%.0fus%n",
        r.mode, r.delivered, r.expected, r.expected - r.delivered, r.gaps, r.recovered,
        r.unrecoverable, r.publishFailures, pct(r, 0.5) / 1e6, pct(r, 0.99) / 1e6,
        pct(r, 0.999) / 1e6, pct(r, 1.0) / 1e6, r.cpuUsPerMsg);
  }

  private static Result run(boolean feeds, int n, int rate, int seconds, int payloadBytes,
      int degree) throws Exception {
    long total = (long) rate * seconds;
    int subscribers = n - 1;
    long[] lat = new long[(int) Math.min(Integer.MAX_VALUE - 8, total * subscribers)];
    AtomicLong latCount = new AtomicLong();
    AtomicLong delivered = new AtomicLong();
    long epochBase = System.currentTimeMillis() * 1_000_000L;
    long nanoBase = System.nanoTime();
    GossipParams params = GossipParams.builder().signaturePolicy(SignaturePolicy.STRICT_NO_SIGN)
        .build();
    MessageIdFn idFn = feeds ? new FeedMessageIdFn(MessageIdFn.contentSha256()) : null;
    List<Host> hosts = new ArrayList<>();
    List<PubSub> pubsubs = new ArrayList<>();
    List<FeedSubscriber> subs = new ArrayList<>();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < n; i++) {
        Host h = new Host(HostConfig.builder(Ed25519Keys.generate(new SecureRandom()))
            .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
            .ioThreads(ioThreadsPerNode)
            .dialTimeout(java.time.Duration.ofSeconds(60))
            .handshakeTimeout(java.time.Duration.ofSeconds(60)).build());
        h.start();
        PubSub ps = new PubSub(h, PubSub.Config.defaults().withParams(params),
            treeRouting ? new dev.weft.routing.tree.TreeRouter(
                dev.weft.routing.tree.TreeParams.defaults()) : null, idFn);
        hosts.add(h);
        pubsubs.add(ps);
        if (i == 0) {
          subs.add(null);
          continue;
        }
        if (feeds) {
          FeedSubscriber[] self = new FeedSubscriber[1];
          FeedSubscriber fs = new FeedSubscriber(new FeedSubscriber.Sink() {
            @Override
            public void deliver(FeedMessage m) {
              record(m.header().publishTimeNs());
            }

            @Override
            public void request(String topic, List<MessageId> ids, int maxPeers) {
              ps.requestMessages(topic, ids, maxPeers);
            }

            private void record(long publishedEpochNs) {
              long now = epochBase + (System.nanoTime() - nanoBase);
              long k = latCount.getAndIncrement();
              if (k < lat.length) {
                lat[(int) k] = now - publishedEpochNs;
              }
              delivered.incrementAndGet();
            }
          }, dev.weft.core.feed.FeedEvents.NONE);
          fs.follow(TOPIC, FeedOptions.defaults());
          self[0] = fs;
          subs.add(fs);
          ps.addListener(d -> {
            synchronized (fs) {
              fs.onMessage(d.receivedAtNanos(), d.topic(), d.id(), d.message(), d.receivedFrom());
            }
          });
        } else {
          subs.add(null);
          ps.addListener(d -> {
            long now = epochBase + (System.nanoTime() - nanoBase);
            long published = FeedHeader.decode(d.message().data()).header().publishTimeNs();
            long k = latCount.getAndIncrement();
            if (k < lat.length) {
              lat[(int) k] = now - published;
            }
            delivered.incrementAndGet();
          });
        }
      }
      if (feeds) {
        ticker.scheduleAtFixedRate(() -> {
          long now = System.nanoTime();
          for (FeedSubscriber fs : subs) {
            if (fs != null) {
              synchronized (fs) {
                if (fs.nextDeadlineNs() <= now) {
                  fs.tick(now);
                }
              }
            }
          }
        }, 5, 5, TimeUnit.MILLISECONDS);
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

      FeedPublisherLoop pub = new FeedPublisherLoop(pubsubs.get(0), rate, total, payloadBytes,
          epochBase, nanoBase);
      long cpu0 = processCpuNs();
      pub.run();
      long expected = total * subscribers;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (delivered.get() < expected && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(feeds ? 1500 : 200); // let recovery finish or give up
      long gaps = 0;
      long recovered = 0;
      long unrecoverable = 0;
      for (FeedSubscriber fs : subs) {
        if (fs != null) {
          synchronized (fs) {
            gaps += fs.stats().gapsDetected();
            recovered += fs.stats().recovered();
            unrecoverable += fs.stats().unrecoverable();
          }
        }
      }
      // CPU of all 20 nodes (publish to last delivery, plus the waits) per published message
      double cpuUsPerMsg = (processCpuNs() - cpu0) / 1e3 / total;
      return new Result(feeds ? "feeds" : "plain", expected, delivered.get(), gaps, recovered,
          unrecoverable, lat, (int) Math.min(lat.length, latCount.get()), pub.failures(),
          cpuUsPerMsg);
    } finally {
      ticker.shutdownNow();
      for (PubSub ps : pubsubs) {
        ps.close();
      }
      for (Host h : hosts) {
        h.close();
      }
    }
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

  /** Publishes {@code total} feed messages at {@code rate} per second from the calling thread. */
  private static final class FeedPublisherLoop {
    private final PubSub ps;
    private final int rate;
    private final long total;
    private final int payloadBytes;
    private final long epochBase;
    private final long nanoBase;
    private final AtomicLong failures = new AtomicLong();

    FeedPublisherLoop(PubSub ps, int rate, long total, int payloadBytes, long epochBase,
        long nanoBase) {
      this.ps = ps;
      this.rate = rate;
      this.total = total;
      this.payloadBytes = payloadBytes;
      this.epochBase = epochBase;
      this.nanoBase = nanoBase;
    }

    void run() {
      long start = System.nanoTime();
      long periodNs = 1_000_000_000L / rate;
      byte[] payload = new byte[payloadBytes];
      for (long seq = 1; seq <= total; seq++) {
        long due = start + (seq - 1) * periodNs;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(Math.min(wait, 200_000));
        }
        ByteBuffer.wrap(payload).putLong(0, seq);
        long ts = epochBase + (System.nanoTime() - nanoBase);
        byte[] data = new FeedHeader(FEED, seq, ts, null).encode(payload);
        ps.publish(TOPIC, data).whenComplete((r, e) -> {
          if (e != null || r.status() != GossipRouter.PublishStatus.PUBLISHED) {
            failures.incrementAndGet();
          }
        });
      }
    }

    long failures() {
      return failures.get();
    }
  }
}
