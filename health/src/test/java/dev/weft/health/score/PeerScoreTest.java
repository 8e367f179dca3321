package dev.weft.health.score;

import static dev.weft.health.TestPeers.msg;
import static dev.weft.health.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.events.IgnoreReason;
import dev.weft.core.events.PruneReason;
import dev.weft.core.events.RejectReason;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.PubMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeerScoreTest {
  static final String T = "t";
  static final long S = 1_000_000_000L;
  static final long MS = 1_000_000L;
  static final double EPS = 1e-9;

  /** Everything off: each test turns on the component it checks. */
  static TopicScoreParams.Builder quietTopic() {
    return TopicScoreParams.builder().topicWeight(1)
        .timeInMeshWeight(0).firstMessageDeliveriesWeight(0).meshMessageDeliveriesWeight(0)
        .meshFailurePenaltyWeight(0).invalidMessageDeliveriesWeight(0)
        .invalidMessageDeliveriesDecay(0.5);
  }

  static PeerScoreParams.Builder quiet() {
    return PeerScoreParams.builder().topicScoreCap(0).appSpecificWeight(0)
        .ipColocationFactorWeight(0).behaviourPenaltyWeight(0)
        .decayInterval(Duration.ofSeconds(1)).decayToZero(0.1).retainScore(Duration.ofSeconds(10));
  }

  static PeerScore score(PeerScoreParams p, PeerId... connected) {
    PeerScore s = new PeerScore(p, 0);
    for (PeerId id : connected) {
      s.onPeerAdded(0, id, "/meshsub/1.1.0", true);
    }
    return s;
  }

  static void deliverFirst(PeerScore s, long nowNs, int m, PeerId from) {
    PubMessage pm = PubMessage.unsigned(T, new byte[] {(byte) m});
    s.onFirstSeen(nowNs, msg(m), pm, from);
    s.onDeliver(nowNs, msg(m), pm, from);
  }

  @ParameterizedTest(name = "P1 after {0} ms in mesh = {1}")
  @CsvSource({"0, 0", "500, 0.5", "3500, 3.5", "10000, 10", "25000, 10"})
  void shouldRewardTimeInMeshLinearlyUpToCap(long ms, double expected) {
    PeerScore s = score(quiet().topic(T, quietTopic().timeInMeshWeight(1)
        .timeInMeshQuantum(Duration.ofSeconds(1)).timeInMeshCap(10).build()).build(), peer(1));
    s.onGraft(0, peer(1), T);
    assertEquals(expected, s.score(peer(1), ms * MS), EPS);
  }

  @Test
  void shouldStopTimeInMeshRewardOnPrune() {
    PeerScore s = score(quiet().topic(T, quietTopic().timeInMeshWeight(2).build()).build(), peer(1));
    s.onGraft(0, peer(1), T);
    assertEquals(6, s.score(peer(1), 3 * S), EPS);
    s.onPrune(3 * S, peer(1), T, PruneReason.REMOTE_PRUNE);
    assertEquals(0, s.score(peer(1), 4 * S), EPS);
  }

  @ParameterizedTest(name = "P2 after {0} decays = {1}")
  @CsvSource({
      // 5 first deliveries, cap 3, decay 0.5 per second, decayToZero 0.1
      "0, 3", "1, 1.5", "2, 0.75", "3, 0.375", "4, 0.1875", "5, 0", "9, 0"})
  void shouldCapAndDecayFirstDeliveries(int seconds, double expected) {
    PeerScore s = score(quiet().topic(T, quietTopic().firstMessageDeliveriesWeight(1)
        .firstMessageDeliveriesDecay(0.5).firstMessageDeliveriesCap(3).build()).build(), peer(1));
    for (int i = 0; i < 5; i++) {
      deliverFirst(s, 0, i, peer(1));
    }
    assertEquals(expected, s.score(peer(1), seconds * S), EPS);
  }

  static TopicScoreParams p3Topic() {
    return quietTopic().meshMessageDeliveriesWeight(-1).meshMessageDeliveriesDecay(0.5)
        .meshMessageDeliveriesCap(10).meshMessageDeliveriesThreshold(4)
        .meshMessageDeliveriesWindow(Duration.ofMillis(10))
        .meshMessageDeliveriesActivation(Duration.ofSeconds(1))
        .meshFailurePenaltyWeight(-1).meshFailurePenaltyDecay(0.5).build();
  }

  static PeerScoreParams p3Params() {
    // decay every 100 s so these tests see no decay
    return quiet().topic(T, p3Topic()).decayInterval(Duration.ofSeconds(100)).build();
  }

  @Test
  void shouldApplyMeshDeliveryDeficitOnlyAfterActivation() {
    PeerScore s = score(p3Params(), peer(1), peer(2));
    s.onGraft(0, peer(1), T);
    // one first delivery, one near-first duplicate (5 ms), one late duplicate (50 ms)
    deliverFirst(s, 100 * MS, 1, peer(1));
    deliverFirst(s, 200 * MS, 2, peer(2));
    s.onDuplicate(205 * MS, msg(2), T, peer(1));
    deliverFirst(s, 300 * MS, 3, peer(2));
    s.onDuplicate(350 * MS, msg(3), T, peer(1));
    assertEquals(0, s.score(peer(1), 900 * MS), EPS, "not active yet");
    // active after 1 s: deliveries 2, threshold 4 → deficit 2 → P3 4 → −4
    assertEquals(-4, s.score(peer(1), 1500 * MS), EPS);
    ScoreBreakdown.TopicBreakdown t = s.explain(peer(1), 1500 * MS).topics().get(0);
    assertTrue(t.p3Active());
    assertEquals(2, t.meshMessageDeliveries(), EPS);
    assertEquals(4, t.p3(), EPS);
  }

  @Test
  void shouldCountDuplicatesReceivedWhileValidationPending() {
    PeerScore s = score(p3Params(), peer(1), peer(2));
    s.onGraft(0, peer(1), T);
    PubMessage pm = PubMessage.unsigned(T, new byte[] {1});
    s.onFirstSeen(0, msg(1), pm, peer(2));
    s.onDuplicate(1 * S, msg(1), T, peer(1)); // long after first seen, but validation pending
    s.onDeliver(2 * S, msg(1), pm, peer(2));
    assertEquals(1, s.explain(peer(1), 2 * S).topics().get(0).meshMessageDeliveries(), EPS);
  }

  @Test
  void shouldMakeDeficitStickyAsMeshFailurePenaltyOnPrune() {
    PeerScore s = score(p3Params(), peer(1));
    s.onGraft(0, peer(1), T);
    deliverFirst(s, 100 * MS, 1, peer(1));
    // deficit 3 → P3 9 while in mesh; pruned → P3b 9, P3 gone
    assertEquals(-9, s.score(peer(1), 2 * S), EPS);
    s.onPrune(2 * S, peer(1), T, PruneReason.NEGATIVE_SCORE);
    ScoreBreakdown b = s.explain(peer(1), 2 * S);
    assertEquals(0, b.topics().get(0).p3(), EPS);
    assertEquals(9, b.topics().get(0).p3b(), EPS);
    assertEquals(-9, b.total(), EPS);
    // P3b decays by 0.5 per (100 s) interval
    assertEquals(-4.5, s.score(peer(1), 100 * S), EPS);
  }

  @Test
  void shouldNotAddMeshFailurePenaltyWhenPrunedBeforeActivation() {
    PeerScore s = score(p3Params(), peer(1));
    s.onGraft(0, peer(1), T);
    s.onPrune(500 * MS, peer(1), T, PruneReason.REMOTE_PRUNE);
    assertEquals(0, s.score(peer(1), 2 * S), EPS);
  }

  @ParameterizedTest(name = "{0} invalid messages with w4=-2 → {1}")
  @CsvSource({"0, 0", "1, -2", "3, -18", "5, -50"})
  void shouldPenaliseInvalidMessagesQuadratically(int n, double expected) {
    PeerScore s = score(quiet().topic(T, quietTopic().invalidMessageDeliveriesWeight(-2).build())
        .build(), peer(1));
    for (int i = 0; i < n; i++) {
      s.onFirstSeen(0, msg(i), PubMessage.unsigned(T, new byte[] {(byte) i}), peer(1));
      s.onReject(0, msg(i), T, peer(1), RejectReason.VALIDATOR_REJECTED);
    }
    assertEquals(expected, s.score(peer(1), 0), EPS);
  }

  @Test
  void shouldPenaliseForwardersOfInvalidMessagesButNotOfIgnoredOnes() {
    PeerScore s = score(quiet().topic(T, quietTopic().invalidMessageDeliveriesWeight(-1).build())
        .build(), peer(1), peer(2), peer(3));
    s.onFirstSeen(0, msg(1), PubMessage.unsigned(T, new byte[] {1}), peer(1));
    s.onDuplicate(0, msg(1), T, peer(2)); // arrives while pending
    s.onReject(0, msg(1), T, peer(1), RejectReason.VALIDATOR_REJECTED);
    s.onDuplicate(1, msg(1), T, peer(3)); // after rejection
    s.onDuplicate(2, msg(1), T, peer(3)); // same peer again: counted once
    assertEquals(-1, s.score(peer(1), 10), EPS);
    assertEquals(-1, s.score(peer(2), 10), EPS);
    assertEquals(-1, s.score(peer(3), 10), EPS);
    s.onFirstSeen(0, msg(2), PubMessage.unsigned(T, new byte[] {2}), peer(1));
    s.onIgnore(0, msg(2), T, peer(1), IgnoreReason.VALIDATOR_IGNORED);
    s.onDuplicate(1, msg(2), T, peer(2));
    assertEquals(-1, s.score(peer(1), 10), EPS);
    assertEquals(-1, s.score(peer(2), 10), EPS);
  }

  @Test
  void shouldForgetDeliveryRecordsAfterTheirTtl() {
    PeerScore s = new PeerScore(quiet().topic(T, quietTopic().invalidMessageDeliveriesWeight(-1)
        .invalidMessageDeliveriesDecay(0.99).build()).decayToZero(0.01).build(), 0, 10 * S);
    s.onPeerAdded(0, peer(1), "/meshsub/1.1.0", true);
    s.onPeerAdded(0, peer(2), "/meshsub/1.1.0", true);
    s.onFirstSeen(0, msg(1), PubMessage.unsigned(T, new byte[] {1}), peer(1));
    s.onReject(0, msg(1), T, peer(1), RejectReason.VALIDATOR_REJECTED);
    s.onDuplicate(9 * S, msg(1), T, peer(2));
    assertEquals(1, s.explain(peer(2), 9 * S).topics().get(0).invalidMessageDeliveries(), 1e-9);
    s.onFirstSeen(0, msg(2), PubMessage.unsigned(T, new byte[] {2}), peer(1));
    s.onReject(0, msg(2), T, peer(1), RejectReason.VALIDATOR_REJECTED);
    s.refresh(11 * S);
    s.onDuplicate(11 * S, msg(2), T, peer(2));
    assertEquals(0.99 * 0.99, s.explain(peer(2), 11 * S).topics().get(0)
        .invalidMessageDeliveries(), 1e-9, "record of msg 2 expired: no new penalty");
  }

  @Test
  void shouldWeighApplicationSpecificScore() {
    PeerScore s = score(quiet().appSpecificWeight(2).build(), peer(1), peer(2));
    s.setAppSpecificScore(p -> p.equals(peer(1)) ? -3 : 0.5);
    assertEquals(-6, s.score(peer(1), 0), EPS);
    assertEquals(1, s.score(peer(2), 0), EPS);
    assertEquals(-6, s.explain(peer(1), 0).p5Weighted(), EPS);
  }

  @ParameterizedTest(name = "{0} peers on one IP, threshold 2, w6 -1 → {1} each")
  @CsvSource({"1, 0", "2, 0", "3, -1", "4, -4", "6, -16"})
  void shouldPenaliseIpColocationAboveThreshold(int n, double expected) {
    PeerScore s = score(quiet().ipColocationFactorWeight(-1).ipColocationFactorThreshold(2)
        .build());
    for (int i = 1; i <= n; i++) {
      s.onPeerAdded(0, peer(i), "/meshsub/1.1.0", false);
      s.setPeerIps(peer(i), List.of("10.0.0.1"));
    }
    for (int i = 1; i <= n; i++) {
      assertEquals(expected, s.score(peer(i), 0), EPS);
    }
  }

  @Test
  void shouldExemptWhitelistedIpsFromColocation() {
    PeerScore s = score(quiet().ipColocationFactorWeight(-1).ipColocationFactorThreshold(1)
        .whitelistIp("127.0.0.1").build());
    for (int i = 1; i <= 5; i++) {
      s.onPeerAdded(0, peer(i), "/meshsub/1.1.0", false);
      s.setPeerIps(peer(i), List.of("127.0.0.1"));
    }
    assertEquals(5, s.peersOnIp("127.0.0.1"));
    assertEquals(0, s.score(peer(1), 0), EPS);
  }

  @ParameterizedTest(name = "behaviour penalty {0}, threshold 1, w7 -1 → {1}")
  @CsvSource({"0, 0", "1, 0", "2, -1", "3, -4", "5.5, -20.25"})
  void shouldPenaliseBehaviourAboveThresholdQuadratically(double count, double expected) {
    PeerScore s = score(quiet().behaviourPenaltyWeight(-1).behaviourPenaltyThreshold(1)
        .behaviourPenaltyDecay(0.5).build(), peer(1));
    s.addPenalty(peer(1), count, PenaltyReason.APPLICATION);
    assertEquals(expected, s.score(peer(1), 0), EPS);
  }

  @Test
  void shouldTurnBrokenPromisesAndGraftFloodsIntoBehaviourPenalty() {
    PeerScore s = score(quiet().behaviourPenaltyWeight(-1).behaviourPenaltyThreshold(0)
        .behaviourPenaltyDecay(0.5).build(), peer(1));
    s.onBrokenPromise(0, peer(1), 2);
    s.onGraftBackoffViolation(0, peer(1), T, true); // +1 backoff, +1 flood
    ScoreBreakdown b = s.explain(peer(1), 0);
    assertEquals(4, b.behaviourPenalty(), EPS);
    assertEquals(-16, b.total(), EPS);
    assertEquals(2.0, b.penaltiesByReason().get(PenaltyReason.BROKEN_PROMISE), EPS);
    assertEquals(1.0, b.penaltiesByReason().get(PenaltyReason.GRAFT_FLOOD), EPS);
    // decay 0.5/s: 4 → 2 → 1 → 0.5 → 0.25 → 0.125 → 0 (below 0.1)
    assertEquals(-4, s.score(peer(1), 1 * S), EPS);
    assertEquals(-1, s.score(peer(1), 2 * S), EPS);
    assertEquals(0, s.explain(peer(1), 6 * S).behaviourPenalty(), EPS);
  }

  @Test
  void shouldCapPositiveTopicSumButNotPenalties() {
    PeerScoreParams p = quiet().topicScoreCap(10)
        .topic("a", quietTopic().topicWeight(2).timeInMeshWeight(1).build())
        .topic("b", quietTopic().topicWeight(1).timeInMeshWeight(1).build())
        .behaviourPenaltyWeight(-1).behaviourPenaltyThreshold(0).behaviourPenaltyDecay(0.5)
        .decayInterval(Duration.ofSeconds(100)).build();
    PeerScore s = score(p, peer(1));
    s.onGraft(0, peer(1), "a");
    s.onGraft(0, peer(1), "b");
    // a: 2 × 3 = 6, b: 1 × 3 = 3 → 9 (below cap)
    assertEquals(9, s.score(peer(1), 3 * S), EPS);
    // a: 2 × 5 = 10, b: 5 → 15 capped at 10
    assertEquals(10, s.score(peer(1), 5 * S), EPS);
    s.addPenalty(peer(1), 2, PenaltyReason.APPLICATION);
    assertEquals(6, s.score(peer(1), 5 * S), EPS);
    ScoreBreakdown b = s.explain(peer(1), 5 * S);
    assertEquals(15, b.topicSum(), EPS);
    assertEquals(10, b.topicContribution(), EPS);
  }

  @Test
  void shouldIgnoreTopicsWithoutParameters() {
    PeerScore s = score(quiet().topic(T, quietTopic().timeInMeshWeight(1).build()).build(), peer(1));
    s.onGraft(0, peer(1), "other");
    assertEquals(0, s.score(peer(1), 5 * S), EPS);
    assertTrue(s.explain(peer(1), 5 * S).topics().isEmpty());
  }

  @Test
  void shouldRetainNegativeScoreAfterDisconnectUntilRetainScoreThenForget() {
    PeerScore s = score(quiet().behaviourPenaltyWeight(-1).behaviourPenaltyDecay(0.99)
        .decayToZero(0.01).build(), peer(1));
    s.addPenalty(peer(1), 3, PenaltyReason.APPLICATION);
    s.onPeerRemoved(0, peer(1));
    assertFalse(s.isConnected(peer(1)));
    assertEquals(-9, s.score(peer(1), 0), EPS);
    // reconnecting does not wash the score
    s.onPeerAdded(5 * S, peer(1), "/meshsub/1.1.0", true);
    assertTrue(s.score(peer(1), 5 * S) < -8);
    s.onPeerRemoved(5 * S, peer(1));
    assertTrue(s.knownPeers().contains(peer(1)));
    assertEquals(0, s.score(peer(1), 15 * S), EPS, "retainScore is 10 s");
    assertFalse(s.knownPeers().contains(peer(1)));
  }

  @Test
  void shouldForgetPositiveScoreImmediatelyOnDisconnect() {
    PeerScore s = score(quiet().topic(T, quietTopic().timeInMeshWeight(1).build()).build(), peer(1));
    s.onGraft(0, peer(1), T);
    s.onPeerRemoved(2 * S, peer(1));
    assertFalse(s.knownPeers().contains(peer(1)));
  }

  @Test
  void shouldDropFirstDeliveryCreditWhenRetaining() {
    PeerScore s = score(quiet().topic(T, quietTopic().firstMessageDeliveriesWeight(1)
        .firstMessageDeliveriesDecay(0.9).invalidMessageDeliveriesWeight(-1).build())
        .decayInterval(Duration.ofSeconds(100)).build(), peer(1));
    deliverFirst(s, 0, 1, peer(1));
    s.onFirstSeen(0, msg(2), PubMessage.unsigned(T, new byte[] {2}), peer(1));
    s.onReject(0, msg(2), T, peer(1), RejectReason.VALIDATOR_REJECTED);
    s.onFirstSeen(0, msg(3), PubMessage.unsigned(T, new byte[] {3}), peer(1));
    s.onReject(0, msg(3), T, peer(1), RejectReason.VALIDATOR_REJECTED);
    assertEquals(1 - 4, s.score(peer(1), 0), EPS);
    s.onPeerRemoved(0, peer(1));
    assertEquals(-4, s.score(peer(1), 0), EPS);
  }

  @ParameterizedTest(name = "decayStep({0}, {1}, {2}) = {3}")
  @CsvSource({
      "10, 0.5, 0.1, 5", "0.3, 0.5, 0.1, 0.15", "0.19, 0.5, 0.1, 0", "100, 0.99, 0.01, 99",
      "0, 0.5, 0.1, 0"})
  void shouldDecayMultiplicativelyAndSnapToZero(double v, double d, double z, double expected) {
    assertEquals(expected, PeerScore.decayStep(v, d, z), EPS);
  }

  @Test
  void shouldNotDecayAPenaltyForTimeBeforeItWasAdded() {
    PeerScore s = score(quiet().behaviourPenaltyWeight(-1).behaviourPenaltyDecay(0.5)
        .decayToZero(0.001).build(), peer(1));
    s.onBrokenPromise(5 * S, peer(1), 4); // no refresh since t=0: five steps are due first
    assertEquals(4, s.explain(peer(1), 5 * S).behaviourPenalty(), EPS);
    s.addPenalty(peer(1), 4, PenaltyReason.APPLICATION, 6 * S);
    assertEquals(6, s.explain(peer(1), 6 * S).behaviourPenalty(), EPS);
  }

  @Test
  void shouldApplyEveryMissedDecayStepOnLateRefresh() {
    PeerScore s = score(quiet().behaviourPenaltyWeight(-1).behaviourPenaltyDecay(0.5)
        .decayToZero(0.001).build(), peer(1));
    s.addPenalty(peer(1), 16, PenaltyReason.APPLICATION);
    // 3.7 s later: 3 steps → 2; no refresh in between
    assertEquals(2, s.explain(peer(1), 3700 * MS).behaviourPenalty(), EPS);
    // the 0.7 s remainder counts towards the next step
    assertEquals(1, s.explain(peer(1), 4 * S).behaviourPenalty(), EPS);
  }

  @Test
  void shouldExplainUnknownPeerAsZero() {
    PeerScore s = score(PeerScoreParams.jsDefaults());
    ScoreBreakdown b = s.explain(peer(9), 0);
    assertFalse(b.known());
    assertEquals(0, b.total(), EPS);
  }

  @Test
  void shouldMakeBreakdownAddUpToScore() {
    PeerScoreParams p = PeerScoreParams.weftMarketData(T);
    PeerScore s = score(p, peer(1), peer(2));
    s.setPeerIps(peer(1), List.of("10.1.1.1"));
    s.onGraft(0, peer(1), T);
    for (int i = 0; i < 20; i++) {
      deliverFirst(s, i * 100 * MS, i, i % 3 == 0 ? peer(2) : peer(1));
    }
    s.onBrokenPromise(3 * S, peer(1), 9);
    long now = 15 * S;
    ScoreBreakdown b = s.explain(peer(1), now);
    double sum = b.topicContribution() + b.p5Weighted() + b.p6Weighted() + b.p7Weighted();
    assertEquals(b.total(), sum, EPS);
    assertEquals(s.score(peer(1), now), b.total(), EPS);
  }

  @Test
  void shouldRoundTripRetainedRecordsThroughExportImport() {
    PeerScoreParams p = quiet().topic(T, quietTopic().invalidMessageDeliveriesWeight(-1).build())
        .behaviourPenaltyWeight(-1).behaviourPenaltyDecay(0.5).retainScore(Duration.ofSeconds(60))
        .build();
    PeerScore a = score(p, peer(1));
    a.setPeerIps(peer(1), List.of("10.0.0.7"));
    a.onFirstSeen(0, msg(1), PubMessage.unsigned(T, new byte[] {1}), peer(1));
    a.onReject(0, msg(1), T, peer(1), RejectReason.VALIDATOR_REJECTED);
    a.addPenalty(peer(1), 2, PenaltyReason.BROKEN_PROMISE);
    a.onPeerRemoved(0, peer(1));
    List<RetainedScore> saved = a.exportRetained(0);
    assertEquals(1, saved.size());
    assertEquals(60 * S, saved.get(0).retainRemainingNs());
    PeerScore b = new PeerScore(p, 1000 * S);
    b.importRetained(saved, 1000 * S);
    assertEquals(a.score(peer(1), 0), b.score(peer(1), 1000 * S), EPS);
    assertEquals(1, b.peersOnIp("10.0.0.7"));
    assertEquals(0, b.score(peer(1), 1061 * S), EPS, "expires after the remaining retention");
  }
}
