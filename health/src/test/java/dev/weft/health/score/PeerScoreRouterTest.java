package dev.weft.health.score;

import static dev.weft.health.RouterRig.T;
import static dev.weft.health.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.gossip.PeerScoreThresholds;
import dev.weft.core.wire.ControlMessage;
import dev.weft.core.wire.MessageId;
import dev.weft.health.RouterRig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The score wired into the real router: what the events do to scores and what the router does back. */
class PeerScoreRouterTest {
  static final long S = 1_000_000_000L;

  static PeerScoreParams params() {
    return PeerScoreParams.builder()
        .topic(T, TopicScoreParams.builder().topicWeight(1)
            .meshMessageDeliveriesWeight(-1).meshMessageDeliveriesThreshold(4)
            .meshMessageDeliveriesCap(20).meshMessageDeliveriesDecay(0.9)
            .meshMessageDeliveriesActivation(Duration.ofSeconds(5))
            .invalidMessageDeliveriesWeight(-10).invalidMessageDeliveriesDecay(0.9).build())
        .build();
  }

  @Test
  void shouldGraylistPeerSendingInvalidMessages() {
    PeerScore score = new PeerScore(params(), 0);
    RouterRig rig = new RouterRig(RouterRig.params(), PeerScoreThresholds.jsDefaults(), score);
    rig.start(1, 3);
    rig.advance(Duration.ofMillis(200));
    for (int i = 0; i < 3; i++) {
      rig.send(1, RouterRig.invalid(i));
    }
    // 3 invalid → P4 9 × −10 = −90 < graylist −80
    assertTrue(score.score(peer(1), rig.nowNs) < -80, "score " + score.score(peer(1), rig.nowNs));
    rig.send(1, RouterRig.msg(100));
    assertEquals(1, rig.graylistedRpcs.getOrDefault(peer(1), 0));
    assertEquals(0, rig.graylistedRpcs.getOrDefault(peer(2), 0));
    assertEquals(3.0, score.explain(peer(1), rig.nowNs).topics().get(0).invalidMessageDeliveries(),
        1e-9);
  }

  @Test
  void shouldPenaliseBrokenIWantPromises() {
    PeerScore score = new PeerScore(params(), 0);
    RouterRig rig = new RouterRig(RouterRig.params(), PeerScoreThresholds.jsDefaults(), score);
    rig.start(1, 3);
    rig.advance(Duration.ofMillis(200));
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(RouterRig.id(RouterRig.msg(1000 + i)));
    }
    rig.control(2, new ControlMessage(List.of(new ControlMessage.IHave(T, ids)), null, null, null,
        null));
    assertFalse(rig.iwantsTo(2).isEmpty(), "router asked for the advertised messages");
    rig.advance(Duration.ofSeconds(2));
    assertEquals(0.0, score.explain(peer(2), rig.nowNs).behaviourPenalty(), "promise still open");
    rig.advance(Duration.ofSeconds(2)); // follow-up time 3 s passes, nothing delivered
    ScoreBreakdown b = score.explain(peer(2), rig.nowNs);
    assertTrue(b.penaltiesByReason().getOrDefault(PenaltyReason.BROKEN_PROMISE, 0.0) >= 1,
        b.toString());
  }

  @Test
  void shouldPruneSilentMeshPeerAfterActivationWithDeficit() {
    PeerScore score = new PeerScore(params(), 0);
    RouterRig rig = new RouterRig(RouterRig.params(), PeerScoreThresholds.jsDefaults(), score);
    rig.start(1, 4);
    rig.advance(Duration.ofMillis(200));
    assertTrue(rig.mesh().contains(peer(4)));
    // peers 1..3 deliver first copies every 100 ms; peer 4 is silent
    long n = 0;
    for (int step = 0; step < 80; step++) {
      rig.send(1 + step % 3, RouterRig.msg(n++));
      rig.advance(Duration.ofMillis(100));
      if (rig.nowNs > 5 * S && !rig.mesh().contains(peer(4))) {
        break;
      }
    }
    assertFalse(rig.mesh().contains(peer(4)), "silent peer pruned after activation");
    ScoreBreakdown b = score.explain(peer(4), rig.nowNs);
    assertTrue(b.topics().get(0).p3b() > 0, "deficit became sticky: " + b);
    assertTrue(rig.nowNs > 5 * S, "not before the activation window");
    assertTrue(rig.mesh().contains(peer(1)));
  }

  @Test
  void shouldPenaliseGraftDuringBackoff() {
    PeerScore score = new PeerScore(params(), 0);
    RouterRig rig = new RouterRig(RouterRig.params(), PeerScoreThresholds.jsDefaults(), score);
    rig.start(1, 2);
    rig.advance(Duration.ofMillis(200));
    rig.control(1, new ControlMessage(null, null, null,
        List.of(new ControlMessage.Prune(T, List.of(), 60L)), null));
    rig.control(1, new ControlMessage(null, null, List.of(new ControlMessage.Graft(T)), null, null));
    ScoreBreakdown b = score.explain(peer(1), rig.nowNs);
    assertEquals(2, b.behaviourPenalty(), 1e-9, "backoff + flood window");
    assertEquals(-40, b.total(), 1e-9, "js P7: 2² × −10");
  }
}
