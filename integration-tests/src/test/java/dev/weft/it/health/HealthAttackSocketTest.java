package dev.weft.it.health;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.gossip.GossipParams;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.ControlMessage;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import dev.weft.core.wire.SubOpts;
import dev.weft.health.quarantine.HealthState;
import dev.weft.net.emulation.LinkEmulatorRegistry;
import dev.weft.net.emulation.LinkProfile;
import dev.weft.net.health.HealthEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Attacks on real sockets: a victim and five honest weft nodes (Host + PubSub + NodeHealth) on
 * loopback, one of them behind an emulated link with 300 ms added latency each way and 5% loss,
 * publish 20 messages/s while hostile peers built from weft's own connection stack attack the
 * victim. For each attack: time to quarantine (or graylist) in heartbeats, delivery of every honest
 * message to every honest node, and no honest peer quarantined anywhere. The numbers are printed
 * ("HEALTH-ATTACK ...") and recorded in docs/health.md.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HealthAttackSocketTest {
  static final String TOPIC = "prices";
  static final Duration HEARTBEAT = Duration.ofSeconds(1);
  static final LinkProfile SLOW_LOSSY =
      LinkProfile.builder().latencyMs(300).lossRatio(0.05).build();

  private final LinkEmulatorRegistry registry = new LinkEmulatorRegistry(7);
  private final GossipParams params = GossipParams.builder().heartbeatInterval(HEARTBEAT).build();
  private final List<HealthNode> honest = new ArrayList<>();
  private final List<RawAttacker> attackers = new ArrayList<>();
  private final Map<String, HealthNode> published = new ConcurrentHashMap<>();
  private final AtomicLong seq = new AtomicLong();
  private final AtomicLong unsent = new AtomicLong();
  /** Delivery is measured for messages published from the attack on (set by the attacks). */
  private volatile boolean counting;
  private final SplittableRandom random = new SplittableRandom(11);
  private HealthNode victim;
  private HealthNode slow;
  /** An honest subscriber that never publishes (only in the leaf test). */
  private HealthNode leaf;
  private ScheduledExecutorService publisher;

  @BeforeEach
  void startNetwork() throws Exception {
    victim = new HealthNode("victim", "127.0.0.2", TOPIC, params, registry);
    for (int i = 0; i < 5; i++) {
      honest.add(new HealthNode("honest-" + i, "127.0.0." + (10 + i), TOPIC, params, registry));
    }
    slow = honest.get(4);
    for (HealthNode n : all()) {
      if (n != slow) {
        registry.setLink(slow.id().toBase58(), n.id().toBase58(), SLOW_LOSSY);
      }
    }
    // the victim dials everyone, so it sees each honest peer on its own IP (127.0.0.1x)
    for (HealthNode h : honest) {
      victim.host.dial(h.addr).get(20, TimeUnit.SECONDS);
    }
    for (int i = 0; i < honest.size(); i++) {
      for (int j = i + 1; j < honest.size(); j++) {
        honest.get(i).host.dial(honest.get(j).addr).get(20, TimeUnit.SECONDS);
      }
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      StringBuilder b = new StringBuilder();
      boolean ok = true;
      for (HealthNode n : all()) {
        int t = n.pubsub.topicPeers(TOPIC).get().size();
        int m = n.pubsub.meshPeers(TOPIC).get().size();
        b.append(n).append(" topic=").append(t).append(" mesh=").append(m).append("; ");
        ok &= m >= 3;
      }
      System.out.println("network forming: " + b);
      return ok;
    });
    publisher = Executors.newSingleThreadScheduledExecutor();
    publisher.scheduleAtFixedRate(() -> {
      // the victim never publishes: every message it sees is a first delivery by someone else
      HealthNode from = honest.get((int) (seq.get() % honest.size()));
      String data = "h-" + seq.getAndIncrement();
      from.pubsub.publish(TOPIC, data.getBytes(StandardCharsets.UTF_8))
          .thenAccept(r -> {
            if (r.recipients() > 0 && counting) {
              published.put(data, from);
            } else {
              unsent.incrementAndGet(); // no peer to send to at that moment: not a delivery test
            }
          });
    }, 0, 50, TimeUnit.MILLISECONDS);
    Thread.sleep(2_000); // traffic flowing, P3 windows filled before the attack
  }

  @AfterEach
  void stopNetwork() {
    if (publisher != null) {
      publisher.shutdownNow();
    }
    attackers.forEach(RawAttacker::close);
    all().forEach(HealthNode::close);
  }

  private List<HealthNode> all() {
    List<HealthNode> l = new ArrayList<>();
    if (victim != null) {
      l.add(victim);
    }
    l.addAll(honest);
    if (leaf != null) {
      l.add(leaf);
    }
    return l;
  }

  private RawAttacker attacker() {
    RawAttacker a = new RawAttacker();
    attackers.add(a);
    return a;
  }

  private RawAttacker subscribedAttacker() throws Exception {
    RawAttacker a = attacker().connect(victim.addr);
    a.send(Rpc.ofSubscriptions(List.of(new SubOpts(true, TOPIC))));
    await().atMost(Duration.ofSeconds(20))
        .until(() -> victim.pubsub.topicPeers(TOPIC).get().contains(a.id()));
    return a;
  }

  /** When the victim isolated {@code peer} (monotonic ns), or -1. */
  private long isolatedAt(PeerId peer) {
    for (HealthEvent e : victim.events) {
      if (e.transition().peer().equals(peer) && e.transition().to().isIsolated()) {
        return e.transition().nowNs();
      }
    }
    return -1;
  }

  /** A measured delay: victim heartbeats run in it (the one that decided included) and wall ms. */
  record Delay(int heartbeats, double ms) {}

  private Delay awaitIsolation(PeerId peer, long fromNs) {
    await().atMost(Duration.ofSeconds(40)).until(() -> isolatedAt(peer) >= 0);
    long at = isolatedAt(peer);
    await().atMost(Duration.ofSeconds(5)).until(() -> victim.heartbeatsBetween(fromNs, at) > 0
        || victim.heartbeats.stream().anyMatch(t -> t - at >= 0));
    return new Delay(victim.heartbeatsBetween(fromNs, at), (at - fromNs) / 1e6);
  }

  /**
   * Stops traffic after {@code moreMs}, waits for the honest messages to arrive everywhere, prints
   * and returns the delivery ratio, and asserts that no honest peer was isolated anywhere.
   */
  private double finish(String attack, String measure, Delay delay, long moreMs)
      throws Exception {
    Thread.sleep(moreMs);
    publisher.shutdownNow();
    publisher.awaitTermination(5, TimeUnit.SECONDS);
    Thread.sleep(200); // last publish futures complete
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long expected = 0;
    long delivered = 0;
    while (true) {
      expected = 0;
      delivered = 0;
      for (Map.Entry<String, HealthNode> m : published.entrySet()) {
        for (HealthNode n : all()) {
          if (n != m.getValue()) {
            expected++;
            delivered += n.received.contains(m.getKey()) ? 1 : 0;
          }
        }
      }
      if (delivered == expected || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(200);
    }
    Map<PeerId, String> names = new java.util.HashMap<>();
    all().forEach(n -> names.put(n.id(), n.name));
    Set<PeerId> honestIds = new HashSet<>(names.keySet());
    for (Map.Entry<String, HealthNode> m : published.entrySet()) {
      for (HealthNode n : all()) {
        if (n != m.getValue() && !n.received.contains(m.getKey())) {
          System.out.println("MISSING " + m.getKey() + " from " + m.getValue() + " at " + n);
        }
      }
    }
    int isolations = 0;
    int otherTransitions = 0;
    for (HealthNode n : all()) {
      for (HealthEvent e : n.events) {
        if (honestIds.contains(e.transition().peer())) {
          if (e.transition().to().isIsolated()) {
            isolations++;
            System.out.println("HONEST ISOLATED on " + n + ": "
                + names.get(e.transition().peer()) + " " + e);
          } else {
            otherTransitions++;
            System.out.println("honest transition on " + n + ": "
                + names.get(e.transition().peer()) + " " + e);
          }
        }
      }
    }
    double ratio = expected == 0 ? 0 : delivered / (double) expected;
    System.out.printf(Locale.ROOT, "HEALTH-ATTACK %-28s %s %d heartbeat(s) (%.0f ms); honest "
        + "delivery %d/%d (%.2f%%); honest peers isolated %d; other honest transitions %d%n",
        attack, measure, delay.heartbeats(), delay.ms(), delivered, expected, ratio * 100,
        isolations, otherTransitions);
    if (unsent.get() > 0) {
      System.out.println("(" + unsent.get() + " publishes found no recipient and are not counted)");
    }
    assertTrue(published.size() > 50, "traffic flowed: " + published.size());
    assertEquals(expected, delivered, "every honest message reached every honest node");
    assertEquals(0, isolations, "no honest peer isolated");
    return ratio;
  }

  private PubMessage badlySigned(RawAttacker a, long i) {
    byte[] sig = new byte[64];
    random.nextBytes(sig);
    return new PubMessage(a.id().toBytes(), ("bad-" + i).getBytes(StandardCharsets.UTF_8),
        PubMessage.seqnoBytes(i + 1), TOPIC, sig, null);
  }

  @Test
  void invalidSignatureFloodIsQuarantinedWithinTwoHeartbeats() throws Exception {
    RawAttacker a = subscribedAttacker();
    counting = true;
    long t0 = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      a.send(Rpc.ofMessages(List.of(badlySigned(a, i))));
    }
    Delay hb = awaitIsolation(a.id(), t0);
    finish("invalid-signature flood", "quarantined after", hb, 3_000);
    assertTrue(hb.heartbeats() <= 2, "quarantined within 2 heartbeats: " + hb);
  }

  @Test
  void rateLimitSpamIsQuarantinedWithinTwoHeartbeats() throws Exception {
    RawAttacker a = subscribedAttacker();
    byte[] frame = dev.weft.net.pubsub.RpcCodec.encode(
        Rpc.ofSubscriptions(List.of(new SubOpts(true, TOPIC))));
    counting = true;
    long t0 = System.nanoTime();
    for (int i = 0; i < 20_000; i++) {
      a.sendRaw(frame);
    }
    Delay hb = awaitIsolation(a.id(), t0);
    finish("RPC spam above rate limits", "quarantined after", hb, 3_000);
    assertTrue(hb.heartbeats() <= 2, "quarantined within 2 heartbeats: " + hb);
    assertEquals(dev.weft.health.quarantine.QuarantineReason.RATE_LIMIT,
        victim.health.admin().explain(a.id()).status().lastReason());
  }

  @Test
  void malformedFramesAreQuarantinedWithinTwoHeartbeats() throws Exception {
    RawAttacker a = subscribedAttacker();
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x01, 0x02};
    counting = true;
    long t0 = System.nanoTime();
    for (int i = 0; i < 5 && isolatedAt(a.id()) < 0; i++) {
      a.sendRaw(garbage);
      Thread.sleep(50);
      a.reopen(); // the victim reset the stream: open another one
    }
    Delay hb = awaitIsolation(a.id(), t0);
    finish("malformed frames", "quarantined after", hb, 3_000);
    assertTrue(hb.heartbeats() <= 2, "quarantined within 2 heartbeats: " + hb);
    assertEquals(dev.weft.health.quarantine.QuarantineReason.PROTOCOL_VIOLATION,
        victim.health.admin().explain(a.id()).status().lastReason());
  }

  @Test
  void sybilSwarmFromOneIpIsGraylistedButHonestPeersAreUntouched() throws Exception {
    List<RawAttacker> swarm = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      RawAttacker a = attacker().connect(victim.addr); // all from 127.0.0.1
      a.send(Rpc.ofSubscriptions(List.of(new SubOpts(true, TOPIC))));
      swarm.add(a);
    }
    counting = true;
    long t0 = System.nanoTime();
    await().atMost(Duration.ofSeconds(30)).until(() -> swarm.stream()
        .allMatch(a -> victim.health.admin().explain(a.id()).report().graylisted()));
    long at = System.nanoTime();
    Delay hb = new Delay(victim.heartbeatsBetween(t0, at), (at - t0) / 1e6);
    Thread.sleep(3_000);
    for (RawAttacker a : swarm) {
      HealthState s = victim.health.state(a.id());
      assertTrue(s == HealthState.SUSPECT, "colocation alone is suspicion, not quarantine: " + s);
    }
    finish("Sybil swarm (12 peers, 1 IP)", "all graylisted after", hb, 0);
    assertTrue(hb.heartbeats() <= 2, "graylisted within 2 heartbeats: " + hb);
  }

  @Test
  void blackHoleIsQuarantinedWithinTenHeartbeatsOfJoiningTheMesh() throws Exception {
    RawAttacker a = attacker().connect(victim.addr);
    a.send(new Rpc(List.of(new SubOpts(true, TOPIC)), List.of(), new ControlMessage(List.of(),
        List.of(), List.of(new ControlMessage.Graft(TOPIC)), List.of(), List.of())));
    await().atMost(Duration.ofSeconds(20))
        .until(() -> victim.pubsub.meshPeers(TOPIC).get().contains(a.id()));
    counting = true;
    long joined = System.nanoTime();
    Delay hb = awaitIsolation(a.id(), joined);
    finish("black hole (mesh, silent)", "quarantined after", hb, 2_000);
    assertTrue(a.bytesReceived.get() > 0, "the black hole was fed messages");
    assertTrue(hb.heartbeats() <= 10, "quarantined within 10 heartbeats of joining the mesh: "
        + hb);
  }

  /**
   * An honest leaf subscriber that the victim always reaches first (its only other links, to
   * honest-0 and honest-1, are 40 ms slower), so it never has anything to send the victim, sits in
   * the victim's mesh with the slow/lossy peer while a black hole and an invalid-message spammer
   * join: the attackers are quarantined, the leaf and the slow peer never.
   */
  @Test
  void honestLeafAndSlowPeerAreNeverQuarantinedWhileBlackHoleAndSpammerAre() throws Exception {
    leaf = new HealthNode("leaf", "127.0.0.20", TOPIC, params, registry);
    LinkProfile slower = LinkProfile.builder().latencyMs(40).build();
    for (HealthNode h : List.of(honest.get(0), honest.get(1))) {
      registry.setLink(leaf.id().toBase58(), h.id().toBase58(), slower);
    }
    victim.host.dial(leaf.addr).get(20, TimeUnit.SECONDS);
    leaf.host.dial(honest.get(0).addr).get(20, TimeUnit.SECONDS);
    leaf.host.dial(honest.get(1).addr).get(20, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(30)).until(() -> victim.pubsub.meshPeers(TOPIC).get()
        .containsAll(List.of(leaf.id(), slow.id())));
    RawAttacker hole = attacker().connect(victim.addr);
    hole.send(new Rpc(List.of(new SubOpts(true, TOPIC)), List.of(), new ControlMessage(List.of(),
        List.of(), List.of(new ControlMessage.Graft(TOPIC)), List.of(), List.of())));
    await().atMost(Duration.ofSeconds(20))
        .until(() -> victim.pubsub.meshPeers(TOPIC).get().contains(hole.id()));
    counting = true;
    long joined = System.nanoTime();
    Thread.sleep(3_000);
    RawAttacker spammer = subscribedAttacker();
    long spamAt = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      spammer.send(Rpc.ofMessages(List.of(badlySigned(spammer, i))));
    }
    Delay spam = awaitIsolation(spammer.id(), spamAt);
    Delay hb = awaitIsolation(hole.id(), joined);
    // long enough for the leaf to be probed more than once (3 s windows)
    finish("leaf + slow peer vs black hole", "black hole quarantined after", hb, 20_000);
    System.out.printf(Locale.ROOT, "HEALTH-ATTACK %-28s quarantined after %d heartbeat(s) (%.0f ms)"
        + " alongside the black hole%n", "invalid flood + leaf", spam.heartbeats(), spam.ms());
    assertEquals(dev.weft.health.quarantine.QuarantineReason.BLACK_HOLE,
        victim.health.admin().explain(hole.id()).status().lastReason());
    assertTrue(hb.heartbeats() <= 10, "black hole within 10 heartbeats of joining: " + hb);
    assertTrue(spam.heartbeats() <= 2, "spammer within 2 heartbeats: " + spam);
    assertEquals(HealthState.HEALTHY, victim.health.state(leaf.id()));
    assertEquals(HealthState.HEALTHY, victim.health.state(slow.id()));
  }

  private static Rpc control(List<ControlMessage.Graft> graft, List<ControlMessage.Prune> prune) {
    return Rpc.ofControl(new ControlMessage(List.of(), List.of(), graft, prune, List.of()));
  }

  @Test
  void graftFloodDuringBackoffIsQuarantinedWithinTwoHeartbeats() throws Exception {
    RawAttacker a = subscribedAttacker();
    a.send(control(List.of(new ControlMessage.Graft(TOPIC)), List.of()));
    await().atMost(Duration.ofSeconds(20))
        .until(() -> victim.pubsub.meshPeers(TOPIC).get().contains(a.id()));
    // leave the mesh: the victim now keeps us in backoff for the prune's 60 s
    a.send(control(List.of(), List.of(new ControlMessage.Prune(TOPIC, List.of(), 60L))));
    await().atMost(Duration.ofSeconds(20))
        .until(() -> !victim.pubsub.meshPeers(TOPIC).get().contains(a.id()));
    counting = true;
    long t0 = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      a.send(control(List.of(new ControlMessage.Graft(TOPIC)), List.of()));
    }
    Delay hb = awaitIsolation(a.id(), t0);
    finish("GRAFT flood during backoff", "quarantined after", hb, 3_000);
    assertTrue(hb.heartbeats() <= 2, "quarantined within 2 heartbeats: " + hb);
  }

  @Test
  void iwantFloodIsQuarantinedWithinTwoHeartbeats() throws Exception {
    RawAttacker a = subscribedAttacker();
    a.send(control(List.of(new ControlMessage.Graft(TOPIC)), List.of()));
    await().atMost(Duration.ofSeconds(20)).until(() -> !a.received.isEmpty());
    var id = a.received.get(a.received.size() - 1);
    Rpc iwant = Rpc.ofControl(new ControlMessage(List.of(),
        List.of(new ControlMessage.IWant(List.of(id))), List.of(), List.of(), List.of()));
    counting = true;
    long t0 = System.nanoTime();
    for (int i = 0; i < 30; i++) {
      a.send(iwant); // the same message again and again, far past the retransmission limit
    }
    Delay hb = awaitIsolation(a.id(), t0);
    finish("IWANT flood (same ID x30)", "quarantined after", hb, 3_000);
    assertTrue(hb.heartbeats() <= 2, "quarantined within 2 heartbeats: " + hb);
  }
}
