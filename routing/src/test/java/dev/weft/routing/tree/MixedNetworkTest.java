package dev.weft.routing.tree;

import static dev.weft.routing.tree.LatencyNet.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.gossip.GossipParams;
import org.junit.jupiter.api.Test;

/** Tree nodes mixed with plain GossipSub nodes (as js-libp2p peers are) in virtual time. */
class MixedNetworkTest {
  static final long S = 1000 * MS;

  @Test
  void mixedNetworkDeliversEverythingAndTreeNodesStillSaveCopies() {
    boolean[] tree = new boolean[20];
    for (int i = 0; i < 20; i++) {
      tree[i] = i % 2 == 0;
    }
    LatencyNet net = new LatencyNet(RegionRtt.oneWayNs(20), tree, GossipParams.specDefaults(),
        TreeParams.defaults(), 5, 4);
    net.workload(S, 40 * S, 50 * MS);
    net.runUntil(45 * S);
    assertEquals(1.0, net.deliveryRatio(S, 40 * S), 1e-9);
    for (int i = 0; i < 20; i += 2) {
      for (int j = 1; j < 20; j += 2) {
        assertTrue(!net.routers[i].isCapable(net.ids[j]), "plain peers never join trees");
      }
    }
    System.out.printf("mixed 10 tree + 10 plain: delivery %.4f, copies/node/msg %.2f%n",
        net.deliveryRatio(S, 40 * S), net.copiesPerNodePerMessage(20 * S, 40 * S));
  }
}
