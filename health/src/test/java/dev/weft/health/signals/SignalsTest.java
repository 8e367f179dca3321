package dev.weft.health.signals;

import static dev.weft.health.TestPeers.msg;
import static dev.weft.health.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.events.RejectReason;
import dev.weft.core.events.ThrottleReason;
import dev.weft.core.wire.PubMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignalsTest {
  static final long S = 1_000_000_000L;
  static final long MS = 1_000_000L;

  @Test
  void shouldRefillTokenBucketAtRateUpToCapacity() {
    TokenBucket b = new TokenBucket(10, 5);
    for (int i = 0; i < 10; i++) {
      assertTrue(b.tryTake(1, 0));
    }
    assertFalse(b.tryTake(1, 0));
    assertFalse(b.tryTake(1, 100 * MS), "0.5 tokens after 100 ms");
    assertTrue(b.tryTake(1, 200 * MS), "1 token after 200 ms");
    assertEquals(10, b.available(100 * S), 1e-9, "never above capacity");
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1));
  }

  @ParameterizedTest(name = "{0} RPCs in one instant, soft burst 10, hard ×3 → last is {1}")
  @CsvSource({"10, ALLOW", "11, THROTTLE", "30, THROTTLE", "31, VIOLATION"})
  void shouldThrottleAboveSoftAndViolateAboveHardBudget(int n, RateDecision expected) {
    RateLimiter l = new RateLimiter(new RateLimits(10, 10, 1e9, 1e9, 1, 1, 3));
    RateLimiter.Check last = null;
    for (int i = 0; i < n; i++) {
      last = l.onRpc(peer(1), 10, 0);
    }
    assertEquals(expected, last.decision());
    assertEquals(n > 30 ? 1 : 0, l.violations(peer(1), RateLimitKind.RPCS));
    assertEquals(RateDecision.ALLOW, l.onRpc(peer(2), 10, 0).decision(), "budgets are per peer");
  }

  @Test
  void shouldLimitBytesAndStreamsSeparately() {
    RateLimiter l = new RateLimiter(new RateLimits(1000, 1000, 100, 100, 1, 2, 2));
    assertEquals(RateDecision.ALLOW, l.onRpc(peer(1), 100, 0).decision());
    RateLimiter.Check c = l.onRpc(peer(1), 50, 0);
    assertEquals(RateDecision.THROTTLE, c.decision());
    assertEquals(RateLimitKind.BYTES, c.kind());
    assertEquals(RateDecision.ALLOW, l.onNewStream(peer(1), 0).decision());
    assertEquals(RateDecision.ALLOW, l.onNewStream(peer(1), 0).decision());
    assertEquals(RateDecision.THROTTLE, l.onNewStream(peer(1), 0).decision());
    assertEquals(RateDecision.THROTTLE, l.onNewStream(peer(1), 0).decision());
    assertEquals(RateDecision.VIOLATION, l.onNewStream(peer(1), 0).decision());
    assertEquals(1, l.violations(peer(1)));
    // an honest steady rate at the limit is never throttled
    RateLimiter h = new RateLimiter(new RateLimits(10, 10, 1e9, 1e9, 1, 1, 3));
    for (int i = 0; i < 1000; i++) {
      assertEquals(RateDecision.ALLOW, h.onRpc(peer(3), 10, i * 100 * MS).decision());
    }
  }

  @Test
  void shouldRejectInvalidRateLimitsNamingField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RateLimits(0, 1, 1, 1, 1, 1, 0.5));
    assertTrue(e.getMessage().contains("rpcsPerSecond=0.0 must be > 0"), e.getMessage());
    assertTrue(e.getMessage().contains("hardFactor=0.5 must be >= 1"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} recorded, {1} ms later with half-life 10 s → {2}")
  @CsvSource({"8, 0, 8", "8, 10000, 4", "8, 20000, 2", "8, 5000, 5.656854249492381", "0, 1000, 0"})
  void shouldHalveRecentViolationsEveryHalfLife(double v, long ms, double expected) {
    assertEquals(expected, ViolationCounters.decayed(v, ms * MS, 10 * S), 1e-9);
  }

  @Test
  void shouldCountViolationsFromRouterEvents() {
    ViolationCounters c = new ViolationCounters(10 * S);
    c.onGraftBackoffViolation(0, peer(1), "t", true);
    c.onThrottled(0, peer(1), ThrottleReason.IHAVE_FLOOD);
    c.onThrottled(0, peer(1), ThrottleReason.IWANT_RETRANSMISSION_LIMIT);
    c.onThrottled(0, peer(1), ThrottleReason.GRAYLISTED);
    c.onBrokenPromise(0, peer(1), 3);
    c.onReject(0, msg(1), "t", peer(1), RejectReason.INVALID_SIGNATURE);
    c.record(peer(1), ViolationKind.MALFORMED_FRAME, 2, 0);
    assertEquals(1, c.total(peer(1), ViolationKind.GRAFT_DURING_BACKOFF));
    assertEquals(1, c.total(peer(1), ViolationKind.GRAFT_FLOOD));
    assertEquals(1, c.total(peer(1), ViolationKind.IHAVE_FLOOD));
    assertEquals(1, c.total(peer(1), ViolationKind.IWANT_FLOOD));
    assertEquals(3, c.total(peer(1), ViolationKind.BROKEN_PROMISE));
    assertEquals(1, c.total(peer(1), ViolationKind.INVALID_MESSAGE));
    assertEquals(2, c.total(peer(1), ViolationKind.MALFORMED_FRAME));
    assertEquals(7, c.totals(peer(1)).size());
    assertEquals(0.75, c.recent(peer(1), ViolationKind.BROKEN_PROMISE, 20 * S), 1e-9);
    assertEquals(0, c.total(peer(2), ViolationKind.MALFORMED_FRAME));
  }

  /** A detector with peers 1..4 in the mesh of "t" from time 0; windows of 1 s, ≥ 5 msgs, 2 to confirm. */
  static LeechDetector meshOf4() {
    LeechDetector d = new LeechDetector(S, 5, 2, 0);
    for (int i = 1; i <= 4; i++) {
      d.onGraft(0, peer(i), "t");
    }
    return d;
  }

  static int ids;

  /** One message: peer {@code first} delivers it first, {@code late} peers send duplicates. */
  static void message(LeechDetector d, long nowNs, int first, int... late) {
    int id = ids++;
    d.onFirstSeen(nowNs, msg(id), PubMessage.unsigned("t", new byte[] {(byte) id}), peer(first));
    for (int l : late) {
      d.onDuplicate(nowNs + 300 * MS, msg(id), "t", peer(l));
    }
  }

  @Test
  void shouldTellBlackHoleFromSlowPeer() {
    LeechDetector d = meshOf4();
    // peers 1 and 2 deliver first copies; 3 is slow (late duplicates of 95%); 4 sends nothing
    for (int w = 0; w < 3; w++) {
      for (int i = 0; i < 20; i++) {
        long t = w * S + i * 40 * MS;
        if (i % 20 == 7) {
          message(d, t, 1 + i % 2); // 5% lost on the slow link: no copy from 3
        } else {
          message(d, t, 1 + i % 2, 3);
        }
      }
      d.onHeartbeat((w + 1) * S, w + 1);
      if (w == 0) {
        assertEquals(MeshVerdict.SILENT, d.verdict(peer(4)));
        assertTrue(d.probing(peer(4)), "a silent peer is probed: forwarded nothing");
        assertFalse(d.probing(peer(3)), "a late-only peer is not");
      }
    }
    assertEquals(MeshVerdict.CONTRIBUTING, d.verdict(peer(1)));
    assertEquals(MeshVerdict.LATE_ONLY, d.verdict(peer(3)));
    assertEquals(MeshVerdict.BLACK_HOLE, d.verdict(peer(4)), "silent, then silent twice while probed");
    assertEquals(3, d.silentWindows(peer(4)));
  }

  @Test
  void shouldClearAnHonestLeafThatRelaysWhileProbedAndProbeItAgainOnlyMuchLater() {
    LeechDetector d = meshOf4();
    // peer 4 is a leaf: we always reach it first, so it never sends us anything
    for (int i = 0; i < 10; i++) {
      message(d, i * 50 * MS, 1, 2);
    }
    d.evaluate(S);
    assertEquals(MeshVerdict.SILENT, d.verdict(peer(4)));
    assertTrue(d.probing(peer(4)));
    // probed: it now hears the messages from its other mesh peers and relays them to us, late
    for (int i = 0; i < 10; i++) {
      message(d, S + i * 50 * MS, 1, 2, 4);
    }
    d.evaluate(2 * S);
    assertEquals(MeshVerdict.LATE_ONLY, d.verdict(peer(4)));
    assertFalse(d.probing(peer(4)), "probe passed");
    assertTrue(d.cleared(peer(4)));
    // back to being fed first by us: silent, but neither probed nor counted while cleared
    long t = 2 * S;
    for (int w = 0; w < LeechDetector.CLEAR_WINDOWS - 1; w++) {
      for (int i = 0; i < 10; i++) {
        message(d, t + i * 50 * MS, 1, 2);
      }
      t += S;
      d.evaluate(t);
      assertEquals(MeshVerdict.SILENT, d.verdict(peer(4)), "window " + w);
      assertFalse(d.probing(peer(4)), "window " + w);
      assertEquals(0, d.silentWindows(peer(4)));
    }
    for (int w = 0; w < 2 && !d.probing(peer(4)); w++) {
      for (int i = 0; i < 10; i++) {
        message(d, t + i * 50 * MS, 1, 2);
      }
      t += S;
      d.evaluate(t);
    }
    assertTrue(d.probing(peer(4)), "probed again once the clearance ran out");
    assertEquals(MeshVerdict.SILENT, d.verdict(peer(4)));
  }

  @Test
  void shouldNotConfirmABlackHoleFromSilenceAloneWithoutAProbedWindow() {
    LeechDetector d = new LeechDetector(S, 5, 1, 0);
    d.onGraft(0, peer(4), "t");
    for (int i = 0; i < 10; i++) {
      message(d, i * 50 * MS, 1);
    }
    d.evaluate(S);
    assertEquals(MeshVerdict.SILENT, d.verdict(peer(4)), "one window is enough to confirm, but "
        + "only a probed one");
    for (int i = 0; i < 10; i++) {
      message(d, S + i * 50 * MS, 1);
    }
    d.evaluate(2 * S);
    assertEquals(MeshVerdict.BLACK_HOLE, d.verdict(peer(4)));
  }

  @Test
  void shouldKeepWindowsOnTheirGridWhenClosedLateButNeverJudgeASliver() {
    LeechDetector d = meshOf4();
    assertTrue(d.evaluate(S + 300 * MS), "first window closed 300 ms late");
    assertFalse(d.evaluate(2 * S - MS), "the next window still ends at 2 s, not 2.3 s");
    assertTrue(d.evaluate(2 * S + 100 * MS));
    // a stall: the window ending at 3 s is closed at 3.9 s; the next may not end at 4 s (0.1 s
    // observed) but half a window after the close
    assertTrue(d.evaluate(3 * S + 900 * MS));
    assertFalse(d.evaluate(4 * S + 100 * MS), "no sliver window");
    assertTrue(d.evaluate(4 * S + 400 * MS));
  }

  @Test
  void shouldConfirmBlackHoleInOneWindowWhenItBreaksPromises() {
    LeechDetector d = meshOf4();
    for (int i = 0; i < 10; i++) {
      message(d, i * 10 * MS, 1);
    }
    d.onBrokenPromise(500 * MS, peer(4), 1);
    d.evaluate(S);
    assertEquals(MeshVerdict.BLACK_HOLE, d.verdict(peer(4)));
  }

  @Test
  void shouldNotJudgeWithoutTrafficOrFullWindowInMesh() {
    LeechDetector d = meshOf4();
    message(d, 0, 1);
    d.onGraft(600 * MS, peer(5), "t");
    for (int i = 0; i < 10; i++) {
      message(d, 700 * MS + i, 1);
    }
    d.evaluate(S);
    assertEquals(MeshVerdict.UNJUDGED, d.verdict(peer(5)), "grafted in the second half of the window");
    assertEquals(MeshVerdict.SILENT, d.verdict(peer(4)));
    d.evaluate(2 * S);
    assertEquals(MeshVerdict.UNJUDGED, d.verdict(peer(4)), "no traffic in the window");
    assertEquals(1, d.silentWindows(peer(4)), "an idle window neither adds nor resets");
  }

  @Test
  void shouldCountIHaveFromAMeshPeerAsLazyForwarding() {
    LeechDetector d = meshOf4();
    for (int i = 0; i < 10; i++) {
      message(d, i * MS, 1);
    }
    d.onIHaveReceived(5 * MS, peer(2), "t", 10);
    d.onIHaveReceived(5 * MS, peer(3), "other-topic", 10);
    d.evaluate(S);
    assertEquals(MeshVerdict.LATE_ONLY, d.verdict(peer(2)), "a lazy tree link is not a black hole");
    assertEquals(MeshVerdict.SILENT, d.verdict(peer(3)), "IHAVE for a topic we do not mesh it in");
  }

  @Test
  void shouldCountIDontWantAsForwardingEvidence() {
    LeechDetector d = meshOf4();
    for (int i = 0; i < 10; i++) {
      message(d, i * MS, 1);
    }
    d.onIDontWantReceived(5 * MS, peer(2), 3);
    d.evaluate(S);
    assertEquals(MeshVerdict.LATE_ONLY, d.verdict(peer(2)));
  }
}
