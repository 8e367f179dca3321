package dev.weft.health.quarantine;

import static dev.weft.health.TestPeers.msg;
import static dev.weft.health.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.events.RejectReason;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.PubMessage;
import dev.weft.health.score.PenaltyReason;
import dev.weft.health.signals.RateDecision;
import dev.weft.health.signals.ViolationKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state machine driven by synthetic event sequences, in virtual time. */
class HealthMonitorTest {
  static final String T = "t";
  static final long S = 1_000_000_000L;

  final List<Transition> log = new ArrayList<>();
  final HealthMonitor m = new HealthMonitor(HealthMonitor.Config.defaults(T).withListener(log::add), 0);
  int ids;

  HealthMonitorTest() {
    for (int i = 1; i <= 3; i++) {
      m.onPeerAdded(0, peer(i), "/meshsub/1.2.0", true);
    }
  }

  void invalid(PeerId from, long nowNs, int n) {
    for (int i = 0; i < n; i++) {
      int id = ids++;
      m.onFirstSeen(nowNs, msg(id), PubMessage.unsigned(T, new byte[] {(byte) id}), from);
      m.onReject(nowNs, msg(id), T, from, RejectReason.VALIDATOR_REJECTED);
    }
  }

  /** Ticks every second from {@code fromS} to {@code toS} inclusive; returns the actions. */
  List<HealthAction> tick(long fromS, long toS) {
    List<HealthAction> out = new ArrayList<>();
    for (long s = fromS; s <= toS; s++) {
      out.addAll(m.onTick(s * S));
    }
    return out;
  }

  @Test
  void shouldQuarantineInvalidMessageSenderAtNextTickAndDisconnectAfterGrace() {
    invalid(peer(1), 100_000_000L, 2); // P4 = 4 × −20 = −80: not below −80 yet
    tick(1, 1);
    assertEquals(HealthState.SUSPECT, m.state(peer(1)));
    invalid(peer(1), 1_100_000_000L, 1);
    List<HealthAction> a = tick(2, 2);
    assertEquals(HealthState.QUARANTINED, m.state(peer(1)));
    assertTrue(a.isEmpty(), "grace period first");
    assertEquals(HealthMonitor.ISOLATED_SCORE, m.score(peer(1), 2 * S));
    assertTrue(m.isGraylisted(peer(1), 2 * S));
    assertFalse(m.isBanned(peer(1), 2 * S));
    Transition q = log.get(log.size() - 1);
    assertEquals(QuarantineReason.INVALID_MESSAGES, q.reason());
    assertEquals(2 * S, q.nowNs());
    assertTrue(q.detail().contains("P4"), q.detail());
    List<HealthAction> later = tick(3, 8);
    assertEquals(List.of(new HealthAction.Disconnect(peer(1), HealthState.QUARANTINED,
        QuarantineReason.INVALID_MESSAGES)), later, "once, 5 s into the quarantine");
    assertEquals(HealthState.HEALTHY, m.state(peer(2)));
  }

  @Test
  void shouldWalkQuarantineProbationHealthyAndRecordEveryTransition() {
    invalid(peer(1), 0, 3);
    tick(1, 1);
    m.onPeerRemoved(6 * S, peer(1));
    tick(2, 60);
    assertEquals(HealthState.QUARANTINED, m.state(peer(1)));
    tick(61, 61); // quarantine was 60 s from t=1
    assertEquals(HealthState.PROBATION, m.state(peer(1)));
    tick(62, 360);
    assertEquals(HealthState.PROBATION, m.state(peer(1)));
    tick(361, 362);
    assertEquals(HealthState.HEALTHY, m.state(peer(1)));
    List<HealthState> path = log.stream().filter(t -> t.peer().equals(peer(1)))
        .map(Transition::to).toList();
    assertEquals(List.of(HealthState.QUARANTINED, HealthState.PROBATION, HealthState.HEALTHY),
        path);
    PeerReport r = m.explain(peer(1), 362 * S);
    assertEquals(3, r.history().size());
    assertEquals(QuarantineReason.QUARANTINE_EXPIRED, r.history().get(1).reason());
    assertEquals(QuarantineReason.CLEAN_PERIOD, r.history().get(2).reason());
    assertEquals(1, r.quarantines());
    String text = r.toText();
    assertTrue(text.contains("state HEALTHY"), text);
    assertTrue(text.contains("1.000s HEALTHY -> QUARANTINED INVALID_MESSAGES: misbehaviour score"),
        text);
    assertTrue(text.contains("violations {INVALID_MESSAGE=3}"), text);
  }

  @Test
  void shouldForgetDisconnectedPeerOnceItsQuarantineLeavesTheBanWindow() {
    invalid(peer(1), 0, 3);
    tick(1, 1);
    m.onPeerRemoved(2 * S, peer(1));
    tick(2, 400); // quarantine, probation, healthy
    assertEquals(HealthState.HEALTHY, m.state(peer(1)));
    assertTrue(m.list(400 * S).stream().anyMatch(s -> s.peer().equals(peer(1))),
        "still remembered: its quarantine counts towards a ban for an hour");
    m.onTick(3602 * S);
    assertFalse(m.list(3602 * S).stream().anyMatch(s -> s.peer().equals(peer(1))));
    assertTrue(m.list(3602 * S).stream().anyMatch(s -> s.peer().equals(peer(2))),
        "connected peers stay");
  }

  @Test
  void shouldRequarantineOnRelapseWithDoubledDurationThenBan() {
    invalid(peer(1), 0, 3);
    tick(1, 62);
    assertEquals(HealthState.PROBATION, m.state(peer(1)));
    invalid(peer(1), 62 * S + 1, 3); // relapse
    tick(63, 63);
    assertEquals(HealthState.QUARANTINED, m.state(peer(1)));
    assertTrue(log.get(log.size() - 1).detail().contains("relapse"));
    assertTrue(log.get(log.size() - 1).detail().contains("PT2M"), "second quarantine doubles");
    tick(64, 183);
    assertEquals(HealthState.PROBATION, m.state(peer(1)));
    invalid(peer(1), 183 * S + 1, 3);
    List<HealthAction> a = tick(184, 184);
    assertEquals(HealthState.BANNED, m.state(peer(1)));
    assertEquals(List.of(new HealthAction.Disconnect(peer(1), HealthState.BANNED,
        QuarantineReason.REPEATED_QUARANTINE)), a, "banned peers are disconnected at once");
    assertEquals(QuarantineReason.REPEATED_QUARANTINE, log.get(log.size() - 1).reason());
    assertTrue(m.isBanned(peer(1), 184 * S));
    assertTrue(m.isBanned(peer(1), 184 * S + Duration.ofMinutes(59).toNanos()));
    assertTrue(m.onTick(185 * S).isEmpty(), "only once");
    long end = 184 * S + Duration.ofHours(1).toNanos();
    assertFalse(m.isBanned(peer(1), end));
    m.onTick(end);
    assertEquals(HealthState.PROBATION, m.state(peer(1)));
    assertEquals(QuarantineReason.BAN_EXPIRED, log.get(log.size() - 1).reason());
  }

  @Test
  void shouldNotRelapseOnOldEvidenceDuringProbation() {
    invalid(peer(1), 0, 6); // P4 36 × −20: still below −80 when the quarantine ends
    tick(1, 62);
    assertEquals(HealthState.PROBATION, m.state(peer(1)));
    assertTrue(m.explain(peer(1), 62 * S).score().misbehaviour() < -80);
    tick(63, 120);
    assertEquals(HealthState.PROBATION, m.state(peer(1)), "decaying old evidence is not a relapse");
  }

  @Test
  void shouldSuspectOnBehaviourPenaltyAndClearAfterCleanPeriod() {
    m.peerScore().addPenalty(peer(2), 10, PenaltyReason.BROKEN_PROMISE); // (10−6)² × −2 = −32
    tick(1, 1);
    assertEquals(HealthState.SUSPECT, m.state(peer(2)));
    assertEquals(QuarantineReason.LOW_SCORE, log.get(0).reason());
    assertFalse(m.isGraylisted(peer(2), S));
    tick(2, 80);
    assertEquals(HealthState.HEALTHY, m.state(peer(2)));
    assertEquals(QuarantineReason.CLEAN_PERIOD, log.get(log.size() - 1).reason());
  }

  @Test
  void shouldQuarantineOnMalformedFramesAndRateLimitViolations() {
    for (int i = 0; i < 4; i++) {
      m.onMalformedFrame(peer(1), i);
    }
    RateDecision last = null;
    for (int i = 0; i < 10_000; i++) {
      last = m.onRpc(peer(2), 100, S / 2).decision();
    }
    assertEquals(RateDecision.VIOLATION, last);
    tick(1, 1);
    assertEquals(HealthState.QUARANTINED, m.state(peer(1)));
    assertEquals(QuarantineReason.PROTOCOL_VIOLATION, m.explain(peer(1), S).history().get(0).reason());
    assertEquals(HealthState.QUARANTINED, m.state(peer(2)));
    assertEquals(QuarantineReason.RATE_LIMIT, m.explain(peer(2), S).history().get(0).reason());
    assertTrue(m.explain(peer(2), S).violations().get(ViolationKind.RATE_LIMIT) > 5);
  }

  @Test
  void shouldObeyOperatorBanAndRelease() {
    m.ban(peer(3), Duration.ofMinutes(10), "operator: scraping", 5 * S);
    assertEquals(HealthState.BANNED, m.state(peer(3)));
    assertTrue(m.isBanned(peer(3), 5 * S));
    assertEquals(QuarantineReason.OPERATOR_BAN, log.get(0).reason());
    m.ban(peer(4), null, "forever", 5 * S);
    assertTrue(m.isBanned(peer(4), Long.MAX_VALUE - 1));
    invalid(peer(1), 0, 3);
    tick(6, 6);
    assertEquals(HealthState.QUARANTINED, m.state(peer(1)));
    m.release(peer(1), "operator: false positive", 7 * S);
    assertEquals(HealthState.HEALTHY, m.state(peer(1)));
    assertTrue(m.score(peer(1), 7 * S) >= 0, "penalties forgiven");
    tick(8, 9);
    assertEquals(HealthState.HEALTHY, m.state(peer(1)), "forgiven evidence does not come back");
    m.release(peer(3), "operator", 8 * S);
    assertFalse(m.isBanned(peer(3), 8 * S));
    List<PeerReport.Summary> list = m.list(9 * S);
    assertTrue(list.stream().anyMatch(s -> s.peer().equals(peer(4))
        && s.state() == HealthState.BANNED && s.lastReason() == QuarantineReason.OPERATOR_BAN));
  }

  @Test
  void shouldSuspectButNotQuarantineColocatedPeers() {
    for (int i = 10; i < 30; i++) {
      m.onPeerAdded(0, peer(i), "/meshsub/1.2.0", false);
      m.setPeerIps(peer(i), List.of("203.0.113.9"));
    }
    tick(1, 20);
    assertEquals(HealthState.SUSPECT, m.state(peer(10)));
    assertEquals(QuarantineReason.IP_COLOCATION, m.explain(peer(10), 20 * S).history().get(0).reason());
    assertTrue(m.score(peer(10), 20 * S) < 0, "P6 still lowers the score");
  }
}
