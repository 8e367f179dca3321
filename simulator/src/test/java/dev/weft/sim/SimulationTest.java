package dev.weft.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.gossip.GossipParams;
import dev.weft.sim.engine.RoutingMode;
import dev.weft.sim.engine.SimConfig;
import dev.weft.sim.engine.SimResult;
import dev.weft.sim.engine.Simulation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulationTest {
  static SimConfig baseline(int nodes, long seed) {
    Map<String, Double> regions = new LinkedHashMap<>();
    regions.put("us-east-1", 2.0);
    regions.put("eu-central-1", 2.0);
    regions.put("ap-northeast-1", 1.0);
    return new SimConfig("test", seed, nodes, 12, regions, 100, 100, 0,
        GossipParams.specDefaults(), "/meshsub/1.2.0", false,
        new SimConfig.Traffic(SimConfig.TrafficKind.MARKET, "md", 30, 200, 5, 20, 0, 3000, 4000),
        null, List.of(), 3000);
  }

  @Test
  void baselineDeliversEverythingWithPlausibleLatency() {
    SimResult r = new Simulation(baseline(60, 1), RoutingMode.PLAIN).run();
    System.out.println(r.toMap());
    assertEquals(30, r.published());
    assertEquals(1.0, r.deliveryRatio(), 1e-9);
    assertTrue(r.latencyMs().p50() > 5 && r.latencyMs().p50() < 1000, r.latencyMs().toString());
    assertTrue(r.stretch().p50() >= 1.0 - 1e-6, r.stretch().toString());
    assertTrue(r.copiesPerNodePerMessage() > 1, "gossipsub sends duplicates");
  }

  @Test
  void adaptiveTreesCutDuplicatesAndStillDeliverEverything() {
    SimConfig c = baseline(60, 1);
    SimResult plain = new Simulation(c, RoutingMode.PLAIN).run();
    SimResult adaptive = new Simulation(c, RoutingMode.ADAPTIVE).run();
    System.out.println(adaptive.toMap());
    assertEquals(1.0, adaptive.deliveryRatio(), 1e-9);
    assertTrue(adaptive.copiesPerNodePerMessage() < plain.copiesPerNodePerMessage(),
        plain.copiesPerNodePerMessage() + " vs " + adaptive.copiesPerNodePerMessage());
    // virtual time: deterministic, so the direction of the latency comparison is a fact
    assertTrue(adaptive.latencyMs().p99() <= plain.latencyMs().p99(),
        plain.latencyMs() + " vs " + adaptive.latencyMs());
    assertTrue(adaptive.stretch().p99() <= 1.3, adaptive.stretch().toString());
  }
}
