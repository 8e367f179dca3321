package dev.weft.routing.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.identity.PeerId;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkTableTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000 * MS;

  @Test
  void shouldFlagCongestionWhenRttRisesAboveBaseline() {
    LinkTable<String> t = new LinkTable<>(MeasureParams.defaults());
    long now = 0;
    for (int i = 0; i < 4; i++) {
      t.recordRtt("a", 50 * MS, now += S);
    }
    assertFalse(t.congested("a", now));
    // srtt after k samples of 200 ms: 50 + 150 * (1 - (7/8)^k); k = 1 gives 68.75 < 75
    t.recordRtt("a", 200 * MS, now += S);
    assertFalse(t.congested("a", now));
    t.recordRtt("a", 200 * MS, now += S); // 85.16 > 1.5 * 50 and excess >= 20 ms
    assertTrue(t.congested("a", now));
    assertEquals(List.of("a"), t.congested(now));
  }

  @Test
  void shouldNotFlagSmallAbsoluteRttRiseOnFastLink() {
    LinkTable<String> t = new LinkTable<>(MeasureParams.defaults());
    long now = 0;
    for (int i = 0; i < 4; i++) {
      t.recordRtt("lan", 1 * MS, now += S);
    }
    for (int i = 0; i < 30; i++) {
      t.recordRtt("lan", 5 * MS, now += S); // 5x, but only 4 ms more
    }
    assertFalse(t.congested("lan", now));
  }

  @Test
  void shouldNotFlagCongestionBeforeMinimumRttSamples() {
    LinkTable<String> t = new LinkTable<>(MeasureParams.defaults());
    t.recordRtt("a", 10 * MS, 0);
    t.recordRtt("a", 500 * MS, 1);
    t.recordRtt("a", 500 * MS, 2);
    assertFalse(t.congested("a", 2), "3 samples < rttMinSamples 4");
  }

  @Test
  void shouldFlagCongestionOnRisingBacklog() {
    LinkTable<String> t = new LinkTable<>(MeasureParams.defaults());
    t.recordBacklog("b", 0, 0);
    t.recordBacklog("b", 200_000, 1);
    t.recordBacklog("b", 400_000, 2);
    assertTrue(t.congested("b", 2));
    assertFalse(t.congested("unknown", 2));
  }

  @Test
  void shouldRankLinksByCost() {
    MeasureParams p = MeasureParams.defaults();
    LinkTable<String> t = new LinkTable<>(p);
    t.recordRtt("near", 20 * MS, 0);
    t.recordRtt("far", 120 * MS, 0);
    assertEquals(20 * MS, t.costNs("near", 0));
    assertEquals(120 * MS, t.costNs("far", 0));
    assertEquals(p.unknownRttNs(), t.costNs("nobody", 0));
    // lossy near link: 8 losses out of 8 -> ratio 1, confidence 1: + timeout
    for (int i = 0; i < 8; i++) {
      t.recordOutcome("near", true, i);
    }
    // timeout = max(50 ms floor, 20 + 4 * 10) = 60 ms
    assertEquals(60 * MS, t.timeoutNs("near"));
    assertEquals(80 * MS, t.costNs("near", 8));
    assertEquals(p.timeoutCeilNs(), t.timeoutNs("nobody"));
  }

  @Test
  void shouldSnapshotEveryLinkInInsertionOrder() {
    LinkTable<PeerId> t = new LinkTable<>(MeasureParams.defaults());
    PeerId a = PeerId.fromBytes(new byte[] {0, 2, 1, 1});
    PeerId b = PeerId.fromBytes(new byte[] {0, 2, 2, 2});
    t.recordCopy(b, 100, 100);
    t.recordRtt(a, 30 * MS, 5);
    t.recordGap(a, 1, 6);
    t.recordCopy(a, 100, 100 + 7 * MS);
    List<LinkSnapshot<PeerId>> snap = t.snapshot(10);
    assertEquals(2, snap.size());
    LinkSnapshot<PeerId> sb = snap.get(0);
    assertEquals(b, sb.peer());
    assertEquals(-1, sb.srttNs());
    assertEquals(-1, sb.minRttNs());
    assertEquals(0, sb.leadLagNs());
    assertEquals(1, sb.leadFirsts());
    LinkSnapshot<PeerId> sa = snap.get(1);
    assertEquals(30 * MS, sa.srttNs());
    assertEquals(15 * MS, sa.rttvarNs());
    assertEquals(30 * MS, sa.minRttNs());
    assertEquals(0.5, sa.lossRatio(), 1e-12);
    assertEquals(2, sa.lossSamples());
    assertEquals(7 * MS, sa.leadLagNs());
    assertEquals(0, sa.leadFirsts());
    assertEquals(10, sa.atNs());
    assertTrue(t.remove(a));
    assertFalse(t.remove(a));
    assertEquals(1, t.size());
  }
}
