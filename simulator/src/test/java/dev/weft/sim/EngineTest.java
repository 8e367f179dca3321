package dev.weft.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.sim.engine.EventQueue;
import dev.weft.sim.engine.Geo;
import dev.weft.sim.engine.RoutingMode;
import dev.weft.sim.engine.Simulation;
import dev.weft.sim.report.JsonReport;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EngineTest {
  @Test
  void queueOrdersByTimeThenSchedulingOrder() {
    EventQueue q = new EventQueue(2);
    SplittableRandom r = new SplittableRandom(3);
    long[] times = new long[1000];
    for (int i = 0; i < times.length; i++) {
      times[i] = r.nextInt(50);
      q.schedule(times[i], 0, i, 0, 0, times[i], "p" + i);
    }
    long lastT = -1;
    int lastIdx = -1;
    for (int k = 0; k < times.length; k++) {
      long t = q.poll();
      assertEquals(t, q.x());
      assertEquals("p" + q.a(), q.payload());
      assertTrue(t > lastT || t == lastT && q.a() > lastIdx, "order at " + k);
      lastT = t;
      lastIdx = q.a();
    }
    assertTrue(q.isEmpty());
  }

  @Test
  void geographyUsesTheMeasuredTableAndFibreDistance() {
    int use1 = Geo.regionIndex("us-east-1");
    int euc1 = Geo.regionIndex("eu-central-1");
    // cloudping sample: 92 ms and 91 ms RTT, one way is half the mean
    assertEquals(45_750_000L, Geo.interRegionNs(use1, euc1));
    assertEquals(Geo.interRegionNs(euc1, use1), Geo.interRegionNs(use1, euc1));
    // 100 km apart in one region: 100 km x 2 x 4.9 us = 0.98 ms plus both access delays
    long l = Geo.latencyNs(use1, 0, 0, 1_000, use1, 100, 0, 2_000);
    assertEquals(980_000 + 3_000, l);
  }

  @Test
  void sameSeedGivesAByteIdenticalReportAndAnotherSeedDoesNot() {
    String a = JsonReport.of(List.of(
        new Simulation(SimulationTest.baseline(40, 7), RoutingMode.PLAIN).run()));
    String b = JsonReport.of(List.of(
        new Simulation(SimulationTest.baseline(40, 7), RoutingMode.PLAIN).run()));
    String c = JsonReport.of(List.of(
        new Simulation(SimulationTest.baseline(40, 8), RoutingMode.PLAIN).run()));
    assertEquals(a, b);
    assertNotEquals(a, c);
  }
}
