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

/**
 * 1 MiB blocks, plain GossipSub v1.2 versus the chunked erasure-coded relay, same topology and
 * seed (a small version of topology-configs/sim/blocks-1mib.yaml).
 */
class BlocksModeTest {
  static SimConfig blocks(int nodes, int blocks, long seed) {
    Map<String, Double> regions = new LinkedHashMap<>();
    regions.put("us-east-1", 3.0);
    regions.put("eu-central-1", 3.0);
    regions.put("ap-northeast-1", 1.0);
    return new SimConfig("blocks-test", seed, nodes, 20, regions, 50, 100, 0,
        GossipParams.ethereumConsensus().toBuilder().maxRpcSize(10 << 20).build(),
        "/meshsub/1.2.0", false,
        new SimConfig.Traffic(SimConfig.TrafficKind.BLOCKS, "blocks", blocks, 1 << 20, 1, 0,
            12_000, 5_000, 4_000),
        null, List.of(), 8_000);
  }

  @Test
  void chunkedBlocksReach95PercentInAtMostHalfThePlainTimeWithAboutOneBlockSentPerNode() {
    SimConfig c = blocks(150, 3, 1);
    SimResult plain = new Simulation(c, RoutingMode.PLAIN).run();
    SimResult chunked = new Simulation(c, RoutingMode.BLOCKS).run();
    System.out.println("plain  " + plain.toMap());
    System.out.println("blocks " + chunked.toMap());
    assertEquals(1.0, plain.deliveryRatio(), 1e-9);
    assertEquals(1.0, chunked.deliveryRatio(), 1e-9);
    assertEquals(0, chunked.notReached95());
    double ratio = chunked.reach95Ms().max() / plain.reach95Ms().max();
    assertTrue(ratio <= 0.5, "slowest block to 95%: " + chunked.reach95Ms().max() + " ms vs plain "
        + plain.reach95Ms().max() + " ms (ratio " + ratio + ")");
    assertTrue(chunked.bytesSentPerNodeOverMessageBytes() <= 1.5,
        "bytes sent per node per block / block size " + chunked.bytesSentPerNodeOverMessageBytes());
    assertTrue(plain.bytesSentPerNodeOverMessageBytes() > 3,
        "plain GossipSub sends several copies: " + plain.bytesSentPerNodeOverMessageBytes());
  }

  @Test
  void inAMixedNetworkPeersWithoutTheBlockProtocolGetWholeMessagesAndEveryoneGetsEveryBlock() {
    SimConfig c = blocks(80, 2, 2);
    SimResult mixed = new Simulation(c, RoutingMode.BLOCKS, 0.5).run();
    System.out.println("mixed  " + mixed.toMap());
    assertEquals(1.0, mixed.deliveryRatio(), 1e-9);
    assertTrue(mixed.copiesPerNodePerMessage() > 0.2, "some nodes got whole copies over GossipSub");
  }

  @Test
  void signedBlocksRebuiltFromChunksPassTheCoresSignatureCheck() {
    SimConfig c = blocks(80, 2, 3);
    SimConfig signed = new SimConfig(c.name(), c.seed(), c.nodes(), c.connections(), c.regions(),
        c.uplinkMbps(), c.downlinkMbps(), c.loss(),
        c.params().toBuilder().signaturePolicy(dev.weft.core.gossip.SignaturePolicy.STRICT_SIGN)
            .build(), c.protocolId(), c.health(), c.traffic(), c.attack(), c.faults(), c.tailMs());
    SimResult r = new Simulation(signed, RoutingMode.BLOCKS).run();
    System.out.println("signed " + r.toMap());
    assertEquals(1.0, r.deliveryRatio(), 1e-9);
    // a rejected rebuild would be fetched whole over GossipSub after 2 s: more copies, later
    assertTrue(r.copiesPerNodePerMessage() < 1.3, "copies " + r.copiesPerNodePerMessage());
    assertTrue(r.reach95Ms().max() < 1500, "reach95 " + r.reach95Ms());
  }
}
