package dev.weft.routing.tree;

import static dev.weft.routing.tree.LatencyNet.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.gossip.GossipParams;
import dev.weft.core.identity.PeerId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Faults in virtual time, tree routing against plain GossipSub in the same run: a congested tree
 * link and 30% of the nodes killed at once. Prints the numbers recorded in docs/routing.md.
 */
class TreeRoutingFaultsTest {
  static final int N = 20;
  static final long S = 1000 * MS;

  static LatencyNet net(boolean tree, long[][] lat) {
    boolean[] t = new boolean[N];
    Arrays.fill(t, tree);
    return new LatencyNet(lat, t, GossipParams.specDefaults(), TreeParams.defaults(), 11, 5);
  }

  @Test
  void congestedTreeLinkIsReroutedWithinThreeSeconds() {
    long[][] lat = LatencyNet.uniform(N, 20 * MS);
    LatencyNet net = net(true, lat);
    net.workload(S, 60 * S, 50 * MS);
    net.runUntil(30 * S);
    // pick a receiver whose upstream for source 0 is another node than the source itself
    int source = 0;
    PeerId src = net.ids[source];
    int rx = -1;
    int up = -1;
    for (int i = 1; i < N && rx < 0; i++) {
      Optional<PeerId> u = net.routers[i].upstream(LatencyNet.TOPIC, src);
      if (u.isPresent()) {
        rx = i;
        up = net.indexOf(u.get());
      }
    }
    assertTrue(rx > 0, "no tree upstream found");
    long t0 = net.nowNs();
    net.congest(rx, up, 200 * MS);
    net.runUntil(45 * S);
    int receiver = rx;
    int upstream = up;
    // last message of `source` that still reached rx first over the congested link
    long lastOverCongested = t0;
    for (LatencyNet.Delivery d : net.deliveries(t0, 45 * S, i -> i == receiver)) {
      if (d.publisher() == source && net.indexOf(d.receivedFrom()) == upstream) {
        lastOverCongested = Math.max(lastOverCongested, d.publishNs());
      }
    }
    long rerouteNs = lastOverCongested - t0;
    List<LatencyNet.Delivery> after = net.deliveries(t0 + 3 * S, 45 * S,
        i -> i == receiver);
    long worst = after.stream().mapToLong(LatencyNet.Delivery::latencyNs).max().orElse(-1);
    System.out.printf("congestion +200 ms on %d->%d: tree rerouted after %.2f s; worst latency "
        + "at the receiver 3 s on: %.1f ms; stats %s%n", upstream, receiver, rerouteNs / 1e9,
        worst / 1e6, net.routers[receiver].stats());
    assertTrue(rerouteNs <= 3 * S, "rerouted after " + rerouteNs / 1e9 + " s");
    assertTrue(worst < 200 * MS, "worst latency after rerouting " + worst / 1e6 + " ms");
    assertEquals(1.0, net.deliveryRatio(t0, 40 * S), 1e-9);
  }

  record KillResult(double deliveryAfterOneHeartbeat, long baselineP99, long p99After5s,
      double recoverySeconds) {}

  static KillResult killThirty(boolean tree) {
    long[][] lat = RegionRtt.oneWayNs(N);
    LatencyNet net = net(tree, lat);
    net.workload(S, 60 * S, 50 * MS);
    long kill = 40 * S;
    net.runUntil(kill);
    int[] victims = {3, 6, 9, 12, 15, 18};
    for (int v : victims) {
      net.kill(v);
    }
    net.runUntil(70 * S);
    java.util.function.IntPredicate alive = i -> !net.dead(i);
    long baseline = LatencyNet.percentile(net.deliveries(kill - 10 * S, kill, alive), 0.99);
    double ratio = net.deliveryRatio(kill + S, 60 * S);
    long after = LatencyNet.percentile(net.deliveries(kill + 5 * S, 60 * S, alive), 0.99);
    // recovery: first 1 s window from which every later window's p99 is within 10% of baseline
    double recovery = -1;
    for (long w = kill; w + S <= 60 * S; w += S) {
      boolean ok = true;
      for (long x = w; x + S <= 60 * S && ok; x += S) {
        ok = LatencyNet.percentile(net.deliveries(x, x + S, alive), 0.99) <= baseline * 1.1;
      }
      if (ok) {
        recovery = (w - kill) / 1e9;
        break;
      }
    }
    return new KillResult(ratio, baseline, after, recovery);
  }

  @Test
  void thirtyPercentKilledFullDeliveryAndP99BackWithinFiveSeconds() {
    KillResult plain = killThirty(false);
    KillResult tree = killThirty(true);
    System.out.println("kill 6/20 (AWS regions): plain " + plain + " | tree " + tree);
    assertEquals(1.0, tree.deliveryAfterOneHeartbeat(), 1e-9);
    assertTrue(tree.p99After5s() <= tree.baselineP99() * 1.1,
        "p99 " + tree.p99After5s() + " vs baseline " + tree.baselineP99());
    assertTrue(tree.recoverySeconds() >= 0 && tree.recoverySeconds() <= 5,
        "recovery " + tree.recoverySeconds());
  }
}
