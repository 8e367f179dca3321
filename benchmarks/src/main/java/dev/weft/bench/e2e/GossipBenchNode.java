package dev.weft.bench.e2e;

import dev.weft.core.gossip.GossipParams;
import dev.weft.core.gossip.SignaturePolicy;
import dev.weft.core.identity.Multiaddr;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostConfig;
import dev.weft.net.pubsub.PubSub;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One weft GossipSub node in its own JVM for {@link GossipBench}, speaking the same line protocol
 * as the js twin {@code integration-tests/src/test/js/gossip-bench.mjs} (see there): replies on
 * stdout prefixed {@code "@@ "}, commands on stdin. Payloads carry the publisher's
 * {@link System#nanoTime()} (CLOCK_MONOTONIC, comparable across processes on one machine).
 * Argument {@code --signaturePolicy StrictNoSign} (same flag as the js twin): unsigned messages
 * with content-hash IDs; default StrictSign.
 */
public final class GossipBenchNode {
  static final String TOPIC = "weft-bench";
  static final int BUCKETS = 600;
  static final double LN = Math.log(1.05);

  private static final PrintStream OUT = new PrintStream(
      new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);

  private final AtomicLong received = new AtomicLong();
  private final AtomicLongArray hist = new AtomicLongArray(BUCKETS);
  private final Host host;
  private final PubSub pubsub;
  private int seq;

  GossipBenchNode(boolean sign) throws Exception {
    host = new Host(HostConfig.builder(Ed25519Keys.generate(new SecureRandom()))
        .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).build());
    // StrictNoSign: no from/seqno/signature, message ID = SHA-256 of the data (js's "hash" ID)
    GossipParams params = sign ? GossipParams.specDefaults()
        : GossipParams.specDefaults().toBuilder().signaturePolicy(SignaturePolicy.STRICT_NO_SIGN).build();
    pubsub = new PubSub(host, PubSub.Config.defaults().withParams(params));
    pubsub.addListener(d -> {
      long now = System.nanoTime();
      byte[] data = d.message().data();
      if (data.length < 8) {
        return;
      }
      long sent = ByteBuffer.wrap(data, 0, 8).getLong();
      hist.incrementAndGet(bucket((now - sent) / 1000.0));
      received.incrementAndGet();
    });
    host.start();
    pubsub.subscribe(TOPIC).get(10, TimeUnit.SECONDS);
  }

  /** Log bucket of a latency in microseconds (shared with the js node and the harness). */
  static int bucket(double us) {
    return us <= 1 ? 0 : Math.min(BUCKETS - 1, 1 + (int) Math.floor(Math.log(us) / LN));
  }

  private byte[] payload(int size) {
    ByteBuffer b = ByteBuffer.allocate(Math.max(16, size));
    b.putLong(System.nanoTime()).putInt((int) ProcessHandle.current().pid()).putInt(seq++);
    return b.array();
  }

  private String run(double rate, long ms, int size) throws InterruptedException {
    long total = Math.round(rate * ms / 1000.0);
    long start = System.nanoTime();
    long published = 0;
    AtomicLong failed = new AtomicLong();
    while (published < total) {
      double elapsed = (System.nanoTime() - start) / 1e9;
      long due = Math.min(total, (long) Math.floor(rate * elapsed));
      while (published < due) {
        pubsub.publish(TOPIC, payload(size)).whenComplete((r, err) -> {
          if (err != null || r.status() != dev.weft.core.gossip.GossipRouter.PublishStatus.PUBLISHED) {
            failed.incrementAndGet();
          }
        });
        published++;
      }
      Thread.sleep(5);
    }
    Thread.sleep(50);
    return "ok run " + (published - failed.get()) + " " + failed.get();
  }

  private String stats() {
    StringBuilder sb = new StringBuilder("stats ").append(received.getAndSet(0)).append(' ');
    boolean any = false;
    for (int i = 0; i < BUCKETS; i++) {
      long c = hist.getAndSet(i, 0);
      if (c > 0) {
        sb.append(any ? "," : "").append(i).append(':').append(c);
        any = true;
      }
    }
    return any ? sb.toString() : sb.append('-').toString();
  }

  public static void main(String[] args) throws Exception {
    boolean sign = !(args.length >= 2 && args[0].equals("--signaturePolicy")
        && args[1].equals("StrictNoSign"));
    GossipBenchNode n = new GossipBenchNode(sign);
    OUT.println("@@ ready " + n.host.peerId() + " " + n.host.listenAddrs().get(0));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] t = line.trim().split("\\s+");
      try {
        switch (t[0]) {
          case "dial" -> {
            n.host.dial(Multiaddr.parse(t[1])).get(20, TimeUnit.SECONDS);
            OUT.println("@@ ok dial");
          }
          case "mesh" -> OUT.println("@@ mesh " + n.pubsub.meshPeers(TOPIC).get().size() + " "
              + n.pubsub.topicPeers(TOPIC).get().size());
          case "run" -> OUT.println("@@ " + n.run(Double.parseDouble(t[1]), Long.parseLong(t[2]),
              Integer.parseInt(t[3])));
          case "stats" -> OUT.println("@@ " + n.stats());
          case "quit" -> {
            n.pubsub.close();
            n.host.close();
            System.exit(0);
          }
          case "" -> { }
          default -> OUT.println("@@ err unknown command " + t[0]);
        }
      } catch (Exception e) {
        OUT.println("@@ err " + e.toString().replaceAll("\\s+", " "));
      }
    }
    n.pubsub.close();
    n.host.close();
    System.exit(0);
  }
}
