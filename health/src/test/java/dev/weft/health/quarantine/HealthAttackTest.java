package dev.weft.health.quarantine;

import static dev.weft.health.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.gossip.GossipParams;
import dev.weft.core.gossip.PeerScoreThresholds;
import dev.weft.core.gossip.SignaturePolicy;
import dev.weft.core.identity.PeerId;
import dev.weft.core.node.Effect;
import dev.weft.core.wire.ControlMessage;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import dev.weft.health.RouterRig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The line that matters, in virtual time against the real router: honest peers (including one
 * behind a link with 300 ms extra latency and 5% loss) are never quarantined while attackers are,
 * quickly. Peers 1–5 are honest and fast, 6 is honest and slow/lossy.
 */
class HealthAttackTest {
  static final long S = 1_000_000_000L;
  static final long MS = 1_000_000L;
  static final int SLOW = 6;

  final List<Transition> log = new ArrayList<>();
  final HealthMonitor monitor = new HealthMonitor(
      HealthMonitor.Config.defaults(RouterRig.T).withListener(log::add), 0);
  final RouterRig rig;
  final SplittableRandom rnd = new SplittableRandom(42);
  final Set<MessageId> honest = new HashSet<>();
  long nextMsg;

  HealthAttackTest() {
    GossipParams p = GossipParams.builder().d(8).dLow(6).dHigh(12)
        .signaturePolicy(SignaturePolicy.STRICT_NO_SIGN).build();
    rig = new RouterRig(p, PeerScoreThresholds.jsDefaults(), monitor);
  }

  /**
   * Honest traffic on T for {@code seconds}: a message every 50 ms. 95% enter the network away
   * from the slow peer: a fast peer delivers first, the other fast peers 5–25 ms later, the slow
   * peer 300–340 ms later unless its copy is lost (5%). 5% enter behind the slow peer: it delivers
   * first (300 ms late, as it were), everybody else after it.
   */
  void honestTraffic(long fromNs, long seconds, Set<Integer> alsoHonest) {
    for (long t = fromNs; t < fromNs + seconds * S; t += 50 * MS) {
      PubMessage m = RouterRig.msg(nextMsg++);
      honest.add(RouterRig.id(m));
      List<Integer> fast = new ArrayList<>(List.of(1, 2, 3, 4, 5));
      fast.addAll(alsoHonest);
      boolean behindSlow = rnd.nextInt(20) == 0;
      long base = t;
      if (behindSlow) {
        long at = t + 300 * MS + rnd.nextInt(40) * MS;
        rig.at(at, () -> rig.send(SLOW, m));
        base = at;
      } else {
        int first = fast.get(rnd.nextInt(fast.size()));
        rig.at(t, () -> rig.send(first, m));
        if (rnd.nextInt(20) != 0) {
          rig.at(t + 300 * MS + rnd.nextInt(40) * MS, () -> rig.send(SLOW, m));
        }
      }
      for (int f : fast) {
        long at = base + 5 * MS + rnd.nextInt(20) * MS;
        rig.at(at, () -> rig.send(f, m));
      }
    }
  }

  List<Transition> transitionsOf(int i) {
    return log.stream().filter(t -> t.peer().equals(peer(i))).toList();
  }

  long quarantinedAt(int i) {
    return transitionsOf(i).stream().filter(t -> t.to().isIsolated()).mapToLong(Transition::nowNs)
        .findFirst().orElse(-1);
  }

  void assertHonestUntouched(int... extra) {
    List<Integer> ids = new ArrayList<>(List.of(1, 2, 3, 4, 5, SLOW));
    for (int e : extra) {
      ids.add(e);
    }
    for (int i : ids) {
      assertEquals(List.of(), transitionsOf(i), "honest peer " + i + " has no transitions: "
          + monitor.explain(peer(i), rig.nowNs));
      assertFalse(monitor.isGraylisted(peer(i), rig.nowNs), "peer " + i);
    }
    Set<MessageId> delivered = new HashSet<>();
    for (Effect e : rig.effects) {
      if (e instanceof Effect.Deliver d) {
        delivered.add(d.id());
      }
    }
    Set<MessageId> sent = new HashSet<>(honest);
    sent.removeIf(id -> !delivered.contains(id));
    assertEquals(honest.size(), sent.size(), "every honest message delivered");
  }

  void tickDriver(Duration d) {
    long end = rig.nowNs + d.toNanos();
    while (rig.nowNs < end) {
      rig.advance(Duration.ofMillis(100));
      monitor.onTick(rig.nowNs);
    }
  }

  @Test
  void shouldNeverQuarantineSlowLossyHonestPeer() {
    rig.start(1, SLOW);
    honestTraffic(200 * MS, 178, Set.of());
    tickDriver(Duration.ofSeconds(181));
    assertHonestUntouched();
    assertEquals(HealthState.HEALTHY, monitor.state(peer(SLOW)));
    assertTrue(monitor.score(peer(SLOW), rig.nowNs) > -10,
        "slow peer stays above the gossip threshold: " + monitor.explain(peer(SLOW), rig.nowNs));
  }

  @Test
  void shouldRouteAroundButNotQuarantineSlowPeerUnderHarshJsTopicParams() {
    List<Transition> log2 = new ArrayList<>();
    HealthMonitor.Config c = HealthMonitor.Config.defaults(RouterRig.T).withListener(log2::add);
    c = new HealthMonitor.Config(dev.weft.health.score.PeerScoreParams.jsDefaults().toBuilder()
        .topic(RouterRig.T, dev.weft.health.score.TopicScoreParams.jsDefaults()).build(),
        c.thresholds(), c.policy(), c.rateLimits(), c.leechWindow(), c.leechMinTraffic(),
        c.leechConfirmWindows(), c.listener());
    HealthMonitor js = new HealthMonitor(c, 0);
    RouterRig r = new RouterRig(GossipParams.builder().d(8).dLow(6).dHigh(12)
        .signaturePolicy(SignaturePolicy.STRICT_NO_SIGN).build(), PeerScoreThresholds.jsDefaults(),
        js);
    r.start(1, SLOW);
    PubMessage[] ms = new PubMessage[400];
    for (int k = 0; k < ms.length; k++) {
      PubMessage m = RouterRig.msg(k);
      long t = 200 * MS + k * 50 * MS;
      r.at(t, () -> r.send(1 + (int) (t / MS) % 5, m));
      if (k % 20 != 3) {
        r.at(t + 300 * MS, () -> r.send(SLOW, m));
      }
    }
    double minScore = 0;
    boolean pruned = false;
    for (int i = 0; i < 220; i++) {
      r.advance(Duration.ofMillis(100));
      js.onTick(r.nowNs);
      minScore = Math.min(minScore, js.score(peer(SLOW), r.nowNs));
      pruned |= r.nowNs > S && !r.mesh().contains(peer(SLOW));
    }
    assertTrue(minScore < -10, "js P3 (10 ms window) punishes late copies: " + minScore);
    assertTrue(pruned, "so the router routes around it");
    assertTrue(log2.stream().noneMatch(t -> t.peer().equals(peer(SLOW)) && t.to().isIsolated()),
        "but it is never quarantined: " + log2);
  }

  @Test
  void shouldQuarantineInvalidMessageFloodWithinTwoHeartbeats() {
    rig.start(1, 7);
    honestTraffic(200 * MS, 30, Set.of(7)); // the spammer forwards honestly too
    long attack = 10 * S + 300 * MS;
    for (int k = 0; k < 50; k++) {
      long n = 1_000_000 + k;
      rig.at(attack + k * 20 * MS, () -> rig.send(7, RouterRig.invalid(n)));
    }
    tickDriver(Duration.ofSeconds(32));
    long q = quarantinedAt(7);
    assertTrue(q > 0, "spammer quarantined");
    assertTrue(q - attack <= 2 * S, "within 2 heartbeats: " + (q - attack) / MS + " ms");
    assertEquals(QuarantineReason.INVALID_MESSAGES, transitionsOf(7).stream()
        .filter(t -> t.to().isIsolated()).findFirst().orElseThrow().reason());
    assertFalse(rig.mesh().contains(peer(7)));
    assertTrue(rig.graylistedRpcs.getOrDefault(peer(7), 0) > 0, "its later RPCs were ignored");
    assertHonestUntouched();
  }

  @Test
  void shouldQuarantineBlackHoleWithinTenHeartbeatsButNotSlowPeer() {
    rig.start(1, 8); // 7: black hole from the start, 8: covert flash (behaves, then goes silent)
    honestTraffic(200 * MS, 58, Set.of());
    // peer 8 forwards like a fast honest peer for 20 s
    for (long t = 200 * MS; t < 20 * S; t += 50 * MS) {
      long n = 2_000_000 + t;
      rig.at(t + 2 * MS, () -> rig.send(8, RouterRig.msg(n)));
    }
    tickDriver(Duration.ofSeconds(60));
    long hole = quarantinedAt(7);
    assertTrue(hole > 0, "black hole quarantined: " + monitor.explain(peer(7), rig.nowNs));
    assertTrue(hole <= 10 * S, "within 10 heartbeats of joining: " + hole / MS + " ms");
    assertEquals(QuarantineReason.BLACK_HOLE, transitionsOf(7).stream()
        .filter(t -> t.to().isIsolated()).findFirst().orElseThrow().reason());
    long flash = quarantinedAt(8);
    assertTrue(flash > 20 * S, "not while it behaved");
    assertTrue(flash - 20 * S <= 10 * S, "within 10 heartbeats of going silent: "
        + (flash - 20 * S) / MS + " ms");
    assertHonestUntouched();
  }

  @Test
  void shouldQuarantineGraftFloodDuringBackoffWithinTwoHeartbeats() {
    rig.start(1, 7);
    honestTraffic(200 * MS, 18, Set.of(7));
    long attack = 5 * S + 500 * MS;
    rig.at(attack, () -> rig.control(7, new ControlMessage(null, null, null,
        List.of(new ControlMessage.Prune(RouterRig.T, List.of(), 60L)), null)));
    for (int k = 1; k <= 10; k++) {
      rig.at(attack + k * 50 * MS, () -> rig.control(7, new ControlMessage(null, null,
          List.of(new ControlMessage.Graft(RouterRig.T)), null, null)));
    }
    tickDriver(Duration.ofSeconds(20));
    long q = quarantinedAt(7);
    assertTrue(q > 0 && q - attack <= 2 * S, "within 2 heartbeats: " + transitionsOf(7));
    assertHonestUntouched();
  }

  @Test
  void shouldQuarantineIHaveFloodWithinTwoHeartbeats() {
    rig.start(1, 7);
    honestTraffic(200 * MS, 18, Set.of(7));
    long attack = 5 * S + 500 * MS;
    for (int k = 0; k < 40; k++) {
      List<MessageId> ids = List.of(RouterRig.id(RouterRig.msg(5_000_000 + k)));
      rig.at(attack + k * MS, () -> rig.control(7, new ControlMessage(
          List.of(new ControlMessage.IHave(RouterRig.T, ids)), null, null, null, null)));
    }
    tickDriver(Duration.ofSeconds(20));
    long q = quarantinedAt(7);
    assertTrue(q > 0 && q - attack <= 2 * S, "within 2 heartbeats: " + transitionsOf(7)
        + monitor.explain(peer(7), rig.nowNs));
    assertHonestUntouched();
  }

  @Test
  void shouldQuarantineIWantFloodWithinTwoHeartbeats() {
    rig.start(1, 7);
    honestTraffic(200 * MS, 18, Set.of(7));
    long attack = 5 * S + 500 * MS;
    for (int k = 0; k < 30; k++) {
      long at = attack + k * 10 * MS;
      rig.at(at, () -> {
        // ask again and again for the message most recently delivered by an honest peer
        List<MessageId> ids = List.of(RouterRig.id(RouterRig.msg(nextMsgAt(at))));
        rig.control(7, new ControlMessage(null, List.of(new ControlMessage.IWant(ids)), null,
            null, null));
      });
    }
    tickDriver(Duration.ofSeconds(20));
    long q = quarantinedAt(7);
    assertTrue(q > 0 && q - attack <= 2 * S, "within 2 heartbeats: " + transitionsOf(7)
        + monitor.explain(peer(7), rig.nowNs));
    assertEquals(QuarantineReason.PROTOCOL_VIOLATION, transitionsOf(7).stream()
        .filter(t -> t.to().isIsolated()).findFirst().orElseThrow().reason());
    assertHonestUntouched();
  }

  /** The sequence number of the honest message sent at or just before {@code atNs}. */
  static long nextMsgAt(long atNs) {
    return (atNs - 200 * MS) / (50 * MS) - 2;
  }

  @Test
  void shouldQuarantineSpamAboveRateLimitsWithinTwoHeartbeats() {
    rig.start(1, 7);
    honestTraffic(200 * MS, 18, Set.of());
    long attack = 5 * S + 500 * MS;
    int[] passed = new int[1];
    for (int k = 0; k < 10_000; k++) {
      long n = 7_000_000 + k;
      rig.at(attack + k * 100_000L, () -> {
        // the driver asks the rate limiter before handing the RPC to the router
        if (monitor.onRpc(peer(7), 120, rig.nowNs).decision()
            != dev.weft.health.signals.RateDecision.VIOLATION) {
          passed[0]++;
          rig.send(7, RouterRig.msg(n));
        }
      });
    }
    tickDriver(Duration.ofSeconds(20));
    long q = quarantinedAt(7);
    assertTrue(q > 0 && q - attack <= 2 * S, "within 2 heartbeats: " + transitionsOf(7));
    assertEquals(QuarantineReason.RATE_LIMIT, transitionsOf(7).stream()
        .filter(t -> t.to().isIsolated()).findFirst().orElseThrow().reason());
    assertTrue(passed[0] < 10_000);
    assertHonestUntouched();
  }

  @Test
  void shouldProduceIdenticalTransitionsForIdenticalInputs() {
    List<String> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      HealthAttackTest t = new HealthAttackTest();
      t.rig.start(1, 8);
      t.honestTraffic(200 * MS, 20, Set.of(8));
      for (int k = 0; k < 20; k++) {
        long n = 9_000_000 + k;
        t.rig.at(3 * S + k * MS, () -> t.rig.send(8, RouterRig.invalid(n)));
      }
      t.tickDriver(Duration.ofSeconds(20));
      runs.add(t.log.toString() + t.rig.effects.size());
    }
    assertEquals(runs.get(0), runs.get(1));
    assertTrue(runs.get(0).contains("QUARANTINED"));
  }

  @Test
  void shouldGraylistSybilSwarmFromOneIpWithoutQuarantiningHonestPeers() {
    rig.start(1, SLOW);
    for (int i = 100; i < 120; i++) {
      rig.connect(i);
      monitor.setPeerIps(peer(i), List.of("198.51.100.7"));
    }
    for (int i = 1; i <= SLOW; i++) {
      monitor.setPeerIps(peer(i), List.of("10.0.0." + i));
    }
    honestTraffic(200 * MS, 18, Set.of());
    tickDriver(Duration.ofSeconds(20));
    PeerId sybil = peer(105);
    assertTrue(monitor.isGraylisted(sybil, rig.nowNs), "P6 pushes the swarm below graylist");
    assertEquals(HealthState.SUSPECT, monitor.state(sybil));
    assertHonestUntouched();
  }
}
