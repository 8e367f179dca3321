package dev.weft.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.gossip.GossipParams;
import dev.weft.core.gossip.GossipRouter;
import dev.weft.core.gossip.SignaturePolicy;
import dev.weft.core.gossip.ValidationResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestNetworkTest {

  @Test
  void shouldDeliverEveryMessageToAllNodesInTwentyNodeNetwork() {
    TestNetwork net = TestNetwork.builder().peers(20).outboundPerNode(4).topics("t").seed(1).build();
    net.runFor(Duration.ofSeconds(3));
    for (int k = 0; k < 10; k++) {
      GossipRouter.PublishResult r = net.publish(k, "t", ("m" + k).getBytes());
      assertEquals(GossipRouter.PublishStatus.PUBLISHED, r.status());
      net.runFor(Duration.ofMillis(200));
    }
    net.runFor(Duration.ofSeconds(2));
    for (int i = 0; i < 20; i++) {
      // publishers do not deliver their own messages (js emitSelf=false behaviour)
      int expected = i < 10 ? 9 : 10;
      assertEquals(expected, net.deliveries(i).size(), "node " + i);
    }
  }

  @Test
  void shouldKeepMeshSizesWithinBoundsAfterHeartbeats() {
    GossipParams params = GossipParams.specDefaults();
    TestNetwork net = TestNetwork.builder().peers(30).outboundPerNode(8).topics("t").seed(3).build();
    net.runFor(Duration.ofSeconds(10));
    for (int i = 0; i < net.size(); i++) {
      int size = net.node(i).router().meshPeers("t").size();
      int connected = net.node(i).router().topicPeers("t").size();
      assertTrue(size <= params.dHigh(), "node " + i + " mesh " + size);
      assertTrue(size >= Math.min(params.dLow(), connected), "node " + i + " mesh " + size
          + " of " + connected);
    }
  }

  @Test
  void shouldHaveSymmetricMeshesAfterHeartbeats() {
    TestNetwork net = TestNetwork.builder().peers(25).outboundPerNode(6).topics("t").seed(9).build();
    net.runFor(Duration.ofSeconds(10));
    for (int i = 0; i < net.size(); i++) {
      for (var peer : net.node(i).router().meshPeers("t")) {
        int j = net.indexOf(peer);
        assertTrue(net.node(j).router().meshPeers("t").contains(net.node(i).self()),
            "mesh link " + i + "->" + j + " is not reciprocated");
      }
    }
  }

  @Test
  void shouldProduceIdenticalTraceForSameSeed() {
    List<String> a = runScenario(42);
    List<String> b = runScenario(42);
    assertEquals(a, b);
    assertNotEquals(a, runScenario(43));
  }

  @Test
  void shouldDeliverUnderStrictNoSignWithContentIds() {
    TestNetwork net = TestNetwork.builder().peers(12).topics("t").seed(5)
        .params(GossipParams.builder().signaturePolicy(SignaturePolicy.STRICT_NO_SIGN).build())
        .build();
    net.runFor(Duration.ofSeconds(2));
    net.publish(0, "t", "x".getBytes());
    net.runFor(Duration.ofSeconds(1));
    for (int i = 1; i < 12; i++) {
      assertEquals(1, net.deliveries(i).size(), "node " + i);
    }
    assertEquals(GossipRouter.PublishStatus.DUPLICATE, net.publish(1, "t", "x".getBytes()).status());
  }

  @Test
  void shouldNotPropagateMessagesRejectedByValidators() {
    TestNetwork net = TestNetwork.builder().peers(10).topics("t").seed(6).build();
    for (int i = 0; i < 10; i++) {
      net.validator(i, "t", m -> new String(m.data()).startsWith("bad")
          ? ValidationResult.REJECT : ValidationResult.ACCEPT);
    }
    net.runFor(Duration.ofSeconds(2));
    // node 0 does not validate its own publish: its direct recipients reject and stop it
    net.publish(0, "t", "bad".getBytes());
    net.publish(0, "t", "good".getBytes());
    net.runFor(Duration.ofSeconds(2));
    for (int i = 1; i < 10; i++) {
      assertEquals(1, net.deliveries(i).size(), "node " + i);
      assertEquals("good", new String(net.deliveries(i).get(0).message().data()));
    }
  }

  private static List<String> runScenario(long seed) {
    TestNetwork net = TestNetwork.builder().peers(15).topics("t", "u").seed(seed).build();
    net.runFor(Duration.ofSeconds(3));
    for (int k = 0; k < 5; k++) {
      net.publish(k, k % 2 == 0 ? "t" : "u", new byte[2000]);
      net.runFor(Duration.ofMillis(300));
    }
    net.runFor(Duration.ofSeconds(5));
    return net.trace();
  }

  @Test
  void shouldDeliverAcrossMixedProtocolVersionsIncludingFloodsub() {
    TestNetwork net = TestNetwork.builder().peers(16).outboundPerNode(4).topics("t").seed(11)
        .protocolOf(1, "/floodsub/1.0.0").protocolOf(2, "/meshsub/1.0.0")
        .protocolOf(3, "/meshsub/1.1.0").protocolOf(4, "/floodsub/1.0.0")
        .build();
    net.runFor(Duration.ofSeconds(3));
    net.publish(1, "t", "from-floodsub".getBytes());
    net.publish(5, "t", "from-1.2".getBytes());
    net.runFor(Duration.ofSeconds(2));
    for (int i = 0; i < 16; i++) {
      int expected = (i == 1 || i == 5) ? 1 : 2;
      assertEquals(expected, net.deliveries(i).size(), "node " + i);
    }
  }

  @Test
  void shouldHealMeshAndKeepDeliveringAfterLinksFail() {
    TestNetwork net = TestNetwork.builder().peers(20).outboundPerNode(5).topics("t").seed(12).build();
    net.runFor(Duration.ofSeconds(3));
    // cut every mesh link of node 0 except those needed to stay connected to the network
    var mesh0 = net.node(0).router().meshPeers("t");
    for (int k = 0; k < mesh0.size() - 1; k++) {
      net.disconnect(0, net.indexOf(mesh0.get(k)));
    }
    net.runFor(Duration.ofSeconds(3));
    for (int i = 0; i < net.size(); i++) {
      for (var p : net.node(i).router().meshPeers("t")) {
        assertTrue(net.isConnected(i, net.indexOf(p)), "mesh only over live links");
      }
    }
    net.publish(7, "t", "after-failures".getBytes());
    net.runFor(Duration.ofSeconds(2));
    for (int i = 0; i < net.size(); i++) {
      if (i != 7) {
        assertEquals(1, net.deliveries(i).size(), "node " + i);
      }
    }
  }

  /** IDONTWANT pays off while receivers are still validating (it is sent before validation). */
  @Test
  void shouldCarryFewerPayloadCopiesWithIDontWantForLargeMessages() {
    long withIdw = copiesFor(GossipParams.builder().idontwantSizeThreshold(1024).build());
    long without = copiesFor(GossipParams.builder().idontwantSizeThreshold(1 << 20).build());
    assertTrue(withIdw < without, "IDONTWANT " + withIdw + " vs none " + without);
  }

  private static long copiesFor(GossipParams params) {
    TestNetwork net = TestNetwork.builder().peers(30).outboundPerNode(8).topics("t").seed(13)
        .latency(Duration.ofMillis(20)).jitter(Duration.ofMillis(30)).params(params)
        .validationDelay(Duration.ofMillis(40)).build();
    net.runFor(Duration.ofSeconds(3));
    long before = net.messageCopies();
    for (int k = 0; k < 5; k++) {
      net.publish(k, "t", new byte[50_000]);
      net.runFor(Duration.ofMillis(500));
    }
    net.runFor(Duration.ofSeconds(1));
    for (int i = 5; i < 30; i++) {
      assertEquals(5, net.deliveries(i).size());
    }
    return net.messageCopies() - before;
  }

  @Test
  void shouldDeliverFromNonSubscribedPublisherViaFanout() {
    TestNetwork net = TestNetwork.builder().peers(12).topics("t").seed(14)
        .params(GossipParams.builder().floodPublish(false).build()).build();
    net.runFor(Duration.ofSeconds(2));
    net.unsubscribe(0, "t");
    net.runFor(Duration.ofSeconds(2));
    net.publish(0, "t", "fan".getBytes());
    net.runFor(Duration.ofSeconds(2));
    assertEquals(6, net.node(0).router().fanoutPeers("t").size());
    for (int i = 1; i < 12; i++) {
      assertEquals(1, net.deliveries(i).size(), "node " + i);
    }
  }

  @Test
  void shouldDeliverEveryMessageInHundredNodeNetworkWithSpecParams() {
    TestNetwork net = TestNetwork.builder().peers(100).outboundPerNode(6).topics("t").seed(21)
        .latency(Duration.ofMillis(15)).jitter(Duration.ofMillis(40)).build();
    net.runFor(Duration.ofSeconds(5));
    for (int k = 0; k < 20; k++) {
      net.publish(k * 5, "t", ("m" + k).getBytes());
      net.runFor(Duration.ofMillis(50));
    }
    net.runFor(Duration.ofSeconds(3));
    int total = 0;
    for (int i = 0; i < net.size(); i++) {
      total += net.deliveries(i).size();
    }
    assertEquals(20 * 99, total);
  }

  @Test
  void shouldRecoverLostMessagesThroughIHaveIWantGossip() {
    GossipParams sparse = GossipParams.builder().d(2).dLow(1).dHigh(4).dScore(1).dOut(0)
        .floodPublish(false).build();
    int withGossip = deliveredUnderLoss(sparse);
    int withoutGossip = deliveredUnderLoss(sparse.toBuilder().dLazy(0).gossipFactor(0).build());
    assertEquals(30 * 29, withGossip, "gossip repairs every loss");
    assertTrue(withoutGossip < withGossip, "without gossip " + withoutGossip);
  }

  private static int deliveredUnderLoss(GossipParams params) {
    TestNetwork net = TestNetwork.builder().peers(30).outboundPerNode(4).topics("t").seed(31)
        .params(params).messageLoss(0.3).build();
    net.runFor(Duration.ofSeconds(3));
    for (int k = 0; k < 30; k++) {
      net.publish(k, "t", ("m" + k).getBytes());
      net.runFor(Duration.ofMillis(100));
    }
    net.runFor(Duration.ofSeconds(6));
    int total = 0;
    for (int i = 0; i < net.size(); i++) {
      total += net.deliveries(i).size();
    }
    return total;
  }

  @Test
  void shouldGrowConnectivityThroughPeerExchangeFromOversubscribedHub() {
    TestNetwork.Builder b = TestNetwork.builder().peers(25).topics("t").seed(41)
        .params(GossipParams.builder().doPx(true).build());
    for (int leaf = 1; leaf < 25; leaf++) {
      b.edge(leaf, 0); // every leaf dials the hub: the hub sees 24 inbound GRAFTs
    }
    TestNetwork net = b.build();
    net.runFor(Duration.ofSeconds(1));
    assertTrue(net.node(0).router().meshPeers("t").size() <= 12);
    net.runFor(Duration.ofSeconds(5));
    int leavesWithOtherLinks = 0;
    for (int leaf = 1; leaf < 25; leaf++) {
      if (net.node(leaf).router().connectedPeers().size() > 1) {
        leavesWithOtherLinks++;
      }
    }
    assertTrue(leavesWithOtherLinks >= 12, "PX connected " + leavesWithOtherLinks + " leaves");
    assertTrue(net.trace().stream().anyMatch(l -> l.contains(" px ")));
  }
}
