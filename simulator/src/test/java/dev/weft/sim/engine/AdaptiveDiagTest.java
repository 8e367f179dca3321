package dev.weft.sim.engine;

import dev.weft.core.gossip.GossipParams;
import dev.weft.routing.tree.TreeRouter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdaptiveDiagTest {
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
  void diag() {
    for (RoutingMode mode : RoutingMode.values()) {
      Simulation s = new Simulation(baseline(60, 1), mode);
      SimResult r = s.run();
      System.out.println(mode + " p50 " + r.latencyMs().p50() + " p99 " + r.latencyMs().p99()
          + " stretch " + r.stretch().p50() + "/" + r.stretch().p99() + " copies "
          + r.copiesPerNodePerMessage());
      int h = s.honest();
      for (int m = 0; m < s.messages(); m++) {
        int[] l = new int[h];
        int n = 0;
        for (int i = 0; i < h; i++) {
          int v = s.latUs()[m * h + i];
          if (v >= 0) {
            l[n++] = v;
          }
        }
        int[] x = Arrays.copyOf(l, n);
        Arrays.sort(x);
        System.out.printf("  msg %2d pub %2d max %7.1f p90 %7.1f%n", m, s.publisher()[m],
            x[n - 1] / 1000.0, x[(int) (n * 0.9)] / 1000.0);
      }
      long[] st = new long[7];
      for (int i = 0; i < h; i++) {
        TreeRouter t = s.tree(i);
        if (t != null) {
          TreeRouter.Stats q = t.stats();
          st[0] += q.demotions(); st[1] += q.promotions(); st[2] += q.swaps();
          st[3] += q.reparents(); st[4] += q.controlsSent(); st[6] += q.repairs();
        }
      }
      System.out.println("  stats dem/prom/swap/rep/ctl/-/repairs " + Arrays.toString(st));
    }
  }
}
