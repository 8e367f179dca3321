package dev.weft.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cli.topology.Topology;
import dev.weft.cli.topology.TopologyLoader;
import dev.weft.core.gossip.ValidationResult;
import dev.weft.core.wire.PubMessage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The demo's resizing, market-data format, publish clock and validator. */
class DemoPiecesTest {
  private final Topology demo = TopologyLoader.loadResource(DemoCommand.RESOURCE);

  @Test
  void fewerNodesKeepEveryoneConnected() {
    Topology t = DemoCommand.resize(demo, 4, new SplittableRandom(1));
    assertEquals(4, t.nodes().size());
    for (Topology.NodeSpec n : t.nodes()) {
      assertTrue(n.name().equals("relay-1") || !n.peers().isEmpty(), n.toString());
      assertTrue(n.peers().stream().allMatch(p -> t.byName().containsKey(p)), n.toString());
    }
    assertTrue(t.scenario().isEmpty(), "steps about dropped nodes go: " + t.scenario());
  }

  @Test
  void moreNodesAreSubscribersOnRelays() {
    Topology t = DemoCommand.resize(demo, 15, new SplittableRandom(1));
    assertEquals(15, t.nodes().size());
    Topology.NodeSpec extra = t.nodes().get(14);
    assertEquals(Topology.Role.subscriber, extra.role());
    assertFalse(extra.peers().isEmpty());
    assertTrue(extra.peers().stream().allMatch(p -> p.startsWith("relay-")), extra.toString());
    assertEquals(demo.scenario(), t.scenario());
  }

  @Test
  void marketDataCarriesItsPublishTimeAndSpamIsRejected() {
    SplittableRandom r = new SplittableRandom(3);
    long before = MarketData.epochNanos();
    for (String kind : new String[] {"quotes", "trades", "blocks"}) {
      PubMessage m = PubMessage.unsigned("q", MarketData.message(kind, "BTC-USD", 42, r, kind.equals("blocks") ? 4096 : null));
      long ts = MarketData.CLOCK.applyAsLong(m);
      assertTrue(ts >= before && ts <= MarketData.epochNanos(), kind + " " + ts);
      assertEquals(ValidationResult.ACCEPT, MarketData.VALIDATOR.validate(m, null));
    }
    assertEquals(4096, MarketData.message("blocks", "-", 1, r, 4096).length);
    PubMessage spam = PubMessage.unsigned("q", MarketData.spam(1, r));
    assertEquals(-1, MarketData.CLOCK.applyAsLong(spam));
    assertEquals(ValidationResult.REJECT, MarketData.VALIDATOR.validate(spam, null));
    assertEquals(ValidationResult.REJECT, MarketData.VALIDATOR.validate(
        PubMessage.unsigned("q", "Q|x|1|2|3|notanumber".getBytes()), null));
  }
}
