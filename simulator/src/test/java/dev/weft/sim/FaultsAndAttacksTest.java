package dev.weft.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.gossip.GossipParams;
import dev.weft.sim.engine.RoutingMode;
import dev.weft.sim.engine.SimConfig;
import dev.weft.sim.engine.SimConfig.Fault;
import dev.weft.sim.engine.SimConfig.FaultKind;
import dev.weft.sim.engine.SimResult;
import dev.weft.sim.engine.Simulation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Small networks, short runs: each fault and attack model does what it says. */
class FaultsAndAttacksTest {
  private static Map<String, Double> regions() {
    Map<String, Double> r = new LinkedHashMap<>();
    r.put("us-east-1", 1.0);
    r.put("eu-central-1", 1.0);
    return r;
  }

  private static SimConfig.Traffic market(int messages) {
    return new SimConfig.Traffic(SimConfig.TrafficKind.MARKET, "md", messages, 200, 4, 10, 0,
        2000, 4000);
  }

  private static SimConfig config(int nodes, double upMbps, double loss, boolean health,
      SimConfig.Traffic t, SimConfig.Attack a, List<Fault> faults) {
    return new SimConfig("t", 5, nodes, 10, regions(), upMbps, 100, loss,
        GossipParams.specDefaults(), "/meshsub/1.2.0", health, t, a, faults, 3000);
  }

  private static SimResult run(SimConfig c) {
    return new Simulation(c, RoutingMode.PLAIN).run();
  }

  private static Fault fault(FaultKind k, long at, long dur, double fraction, List<String> regions,
      double bw, long extra, int repeat, long every, long down) {
    return new Fault(k, at, dur, fraction, regions, bw, extra, repeat, every, down);
  }

  @Test
  void blocksPayTheirSerialisationDelay() {
    SimConfig.Traffic blocks = new SimConfig.Traffic(SimConfig.TrafficKind.BLOCKS, "b", 3,
        1 << 20, 1, 1, 6000, 2000, 4000);
    SimConfig c = new SimConfig("t", 5, 30, 10, regions(), 20, 100, 0,
        GossipParams.ethereumConsensus().toBuilder().maxRpcSize(10 << 20).build(),
        "/meshsub/1.2.0", false, blocks, null, List.of(), 20_000);
    SimResult r = run(c);
    assertEquals(1.0, r.deliveryRatio(), 1e-9);
    // 1 MiB at 20 Mbit/s takes 0.42 s on the publisher's uplink before anyone has it
    assertTrue(r.latencyMs().p50() > 420, r.latencyMs().toString());
    assertTrue(r.bytesReceived().p50() >= 3L << 20, r.bytesReceived().toString());
  }

  @Test
  void lossCostsTimeNotMessages() {
    SimResult clean = run(config(40, 100, 0, false, market(40), null, List.of()));
    SimResult lossy = run(config(40, 100, 0.05, false, market(40), null, List.of()));
    assertEquals(1.0, lossy.deliveryRatio(), 1e-9);
    // a hit segment costs one RTT: the mean moves (whether the p99 pair is hit depends on the draw)
    assertTrue(lossy.latencyMs().mean() > clean.latencyMs().mean(),
        clean.latencyMs() + " vs " + lossy.latencyMs());
  }

  @Test
  void survivorsOfAThirtyPercentKillGetEverythingAndRecoveryIsMeasured() {
    SimResult r = run(config(60, 100, 0, false, market(80),
        null, List.of(fault(FaultKind.KILL, 4000, 0, 0.3, List.of(), 1, 0, 1, 0, 0))));
    assertEquals(1.0, r.deliveryRatio(), 1e-9);
    assertEquals(1, r.recoveries().size());
    assertTrue(r.recoveries().get(0).baselineP99Ms() > 0, r.recoveries().toString());
    // plain GossipSub keeps its longer post-kill paths: p99 never returns within 10% here
    // (100 ms instead of 62-96 ms), which the routing module's re-optimisation is meant to fix
    assertEquals(-1.0, r.recoveries().get(0).recoveryMs(), r.recoveries().toString());
    assertEquals(60 - 18, r.bytesSent().count(), "18 of 60 nodes are dead");
  }

  @Test
  void aPartitionLosesMessagesUntilItHeals() {
    SimResult r = run(config(60, 100, 0, false, market(100), null,
        List.of(fault(FaultKind.PARTITION, 4000, 6000, 0, List.of("eu-central-1"), 1, 0, 1, 0,
            0))));
    // messages of the partition's last 3 heartbeats are repaired by IHAVE/IWANT after the heal
    assertTrue(r.deliveryRatio() < 0.95, "cut-off region misses messages: " + r.deliveryRatio());
    assertTrue(r.recoveries().get(0).recoveryMs() >= 5000, r.recoveries().toString());
  }

  @Test
  void congestionSlowsDeliveryWhileItLasts() {
    SimConfig.Traffic blocks = new SimConfig.Traffic(SimConfig.TrafficKind.BLOCKS, "b", 4,
        256 * 1024, 1, 1, 2000, 2000, 4000);
    GossipParams p = GossipParams.ethereumConsensus().toBuilder().maxRpcSize(10 << 20).build();
    SimConfig calm = new SimConfig("t", 5, 40, 10, regions(), 50, 50, 0, p, "/meshsub/1.2.0",
        false, blocks, null, List.of(), 8000);
    SimConfig waves = new SimConfig("t", 5, 40, 10, regions(), 50, 50, 0, p, "/meshsub/1.2.0",
        false, blocks, null, List.of(fault(FaultKind.CONGESTION, 1900, 6_000, 0.5, List.of(), 10,
            100, 1, 0, 0)), 8000);
    SimResult a = run(calm);
    SimResult b = run(waves);
    assertEquals(1.0, b.deliveryRatio(), 1e-9);
    assertTrue(b.latencyMs().p50() > a.latencyMs().p50() + 100,
        a.latencyMs() + " vs " + b.latencyMs());
  }

  @Test
  void churnedNodesComeBackAndReceiveAgain() {
    SimResult r = run(config(50, 100, 0, false, market(120), null,
        List.of(fault(FaultKind.CHURN, 3000, 0, 0.1, List.of(), 1, 0, 3, 2000, 1500))));
    // every node is alive at the end (downtime < period) and counted for later messages
    assertEquals(50, r.bytesSent().count());
    assertTrue(r.deliveryRatio() > 0.99, "delivery " + r.deliveryRatio());
    assertEquals(3, r.recoveries().size());
  }

  @Test
  void blackHolesAreQuarantinedAndHonestPeersAreNot() {
    SimConfig.Attack bh = new SimConfig.Attack(SimConfig.AttackKind.BLACK_HOLE, 0.2, 5, 0, 0, 0,
        0);
    SimConfig.Traffic t = new SimConfig.Traffic(SimConfig.TrafficKind.MARKET, "md", 200, 200, 4,
        20, 0, 2000, 4000);
    SimResult r = run(config(60, 100, 0, true, t, bh, List.of()));
    System.out.println("black-hole quarantine: " + r.quarantine());
    assertEquals(12, r.attackers());
    assertEquals(1.0, r.deliveryRatio(), 1e-9);
    assertNotNull(r.quarantine());
    assertTrue(r.quarantine().truePositives() > 0, r.quarantine().toString());
    assertTrue(r.quarantine().precision() > 0.9, r.quarantine().toString());
    // honest peers are probed (forwarded nothing for a window) before any black-hole verdict
    assertEquals(0, r.quarantine().falsePositives(), r.quarantine().toString());
  }

  @Test
  void blackHolesAreQuarantinedAndHonestPeersAreNotWithTreeRouting() {
    SimConfig.Attack bh = new SimConfig.Attack(SimConfig.AttackKind.BLACK_HOLE, 0.2, 5, 0, 0, 0,
        0);
    SimConfig.Traffic t = new SimConfig.Traffic(SimConfig.TrafficKind.MARKET, "md", 200, 200, 4,
        20, 0, 2000, 4000);
    SimResult r = new Simulation(config(60, 100, 0, true, t, bh, List.of()), RoutingMode.ADAPTIVE)
        .run();
    System.out.println("black-hole quarantine (trees): " + r.quarantine());
    assertEquals(1.0, r.deliveryRatio(), 1e-9);
    assertTrue(r.quarantine().truePositives() > 0, r.quarantine().toString());
    assertEquals(0, r.quarantine().falsePositives(), r.quarantine().toString());
  }

  @Test
  void eclipseAttackersSurroundTheVictim() {
    SimConfig.Attack eclipse = new SimConfig.Attack(SimConfig.AttackKind.ECLIPSE, 1, 1, 0, 0, 1,
        0);
    SimResult r = run(config(40, 100, 0, false, market(20), eclipse, List.of()));
    assertEquals(40, r.attackers());
    assertTrue(r.victimDeliveryRatio() >= 0 && r.victimDeliveryRatio() <= 1);
    assertTrue(r.quarantine() == null);
  }

  @Test
  void censorsDropOnlyTheTargetsMessagesButMeshesRouteAround() {
    SimConfig.Attack censor = new SimConfig.Attack(SimConfig.AttackKind.CENSORSHIP, 2, 10, 0, 0,
        1, 0);
    SimResult r = run(config(40, 100, 0, false, market(40), censor, List.of()));
    assertEquals(80, r.attackers());
    assertTrue(r.deliveryRatio() > 0.9, "delivery " + r.deliveryRatio());
  }
}
