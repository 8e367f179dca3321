package dev.weft.core.gossip;

import static dev.weft.core.gossip.RouterHarness.T;
import static dev.weft.core.gossip.RouterHarness.idOf;
import static dev.weft.core.gossip.RouterHarness.signed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.node.Effect;
import dev.weft.core.wire.GossipProto;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import dev.weft.core.wire.SubOpts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Large messages (blocks): the size cap, oversized RPCs and IDONTWANT on receipt and publish. */
class LargeMessageTest {
  private static final GossipParams SPEC = GossipParams.specDefaults();

  @Test
  void maxMessageSizeDefaultsToTenMebibytesAndIsValidated() {
    assertEquals(10 << 20, SPEC.maxMessageSize());
    assertTrue(SPEC.maxFrameSize() > SPEC.maxMessageSize(), "a driver accepts one maximal message");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SPEC.toBuilder().maxMessageSize(0).build());
    assertTrue(e.getMessage().contains("maxMessageSize=0"), e.getMessage());
    assertEquals(1 << 20, SPEC.toBuilder().maxMessageSize(100).build().maxFrameSize(),
        "the RPC cap when it is the larger");
  }

  @Test
  void aOneMebibyteBlockIsPublishedAloneInAnRpcAboveTheRpcCapAndOtherItemsAreSplitOff() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connectSubscribed(1, 3);
    h.subscribe(T);
    h.clear();
    byte[] block = new byte[(1 << 20) + 1];
    assertEquals(GossipRouter.PublishStatus.PUBLISHED, h.publish(T, block).status());
    for (int i = 1; i <= 3; i++) {
      List<PubMessage> got = h.messagesTo(i);
      assertEquals(1, got.size());
      assertEquals(block.length, got.get(0).dataLength());
      for (Rpc r : h.sentTo(i)) {
        if (!r.messages().isEmpty()) {
          assertEquals(1, r.messages().size());
          assertTrue(r.control() == null || r.control().isEmpty(), "control split off the block");
          assertTrue(GossipProto.encodedSize(r) <= SPEC.maxFrameSize());
        } else {
          assertTrue(GossipProto.encodedSize(r) <= SPEC.maxRpcSize());
        }
      }
    }
  }

  @Test
  void publishSendsIDontWantToV12MeshPeersForLargeMessagesOnly() {
    RouterHarness h = new RouterHarness(SPEC.toBuilder().floodPublish(false).build());
    for (int i = 1; i <= 6; i++) {
      h.connect(i, i <= 3 ? "/meshsub/1.2.0" : "/meshsub/1.1.0", true);
      h.rpc(i, Rpc.ofSubscriptions(List.of(new SubOpts(true, T))));
    }
    h.subscribe(T);
    h.clear();
    GossipRouter.PublishResult big = h.publish(T, new byte[2000]);
    for (int i = 1; i <= 3; i++) {
      assertEquals(List.of(big.id()), h.idontwantsTo(i).get(0).messageIds(), "peer " + i);
      List<Rpc> rpcs = h.sentTo(i);
      if (!h.messagesTo(i).isEmpty()) {
        assertTrue(rpcs.get(0).messages().isEmpty(), "the IDONTWANT goes ahead of the message");
      }
    }
    for (int i = 4; i <= 6; i++) {
      assertTrue(h.idontwantsTo(i).isEmpty(), "1.1 peer " + i + " gets no IDONTWANT");
    }
    h.clear();
    h.publish(T, new byte[100]);
    for (int i = 1; i <= 6; i++) {
      assertTrue(h.idontwantsTo(i).isEmpty(), "small message: no IDONTWANT to " + i);
    }
  }

  @Test
  void idontwantGoesOutOnReceiptBeforeValidationFinishes() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connectSubscribed(1, 4);
    h.subscribe(T);
    h.router.setValidationRequired(T, true);
    h.clear();
    PubMessage big = signed(9, T, new byte[64 * 1024], 1);
    h.rpc(1, Rpc.ofMessages(List.of(big)));
    assertEquals(1, h.effectsOf(Effect.ValidateRequest.class).size());
    assertTrue(h.messagesTo(2).isEmpty(), "not forwarded before validation");
    for (int i = 2; i <= 4; i++) {
      assertEquals(List.of(idOf(big)), h.idontwantsTo(i).get(0).messageIds(), "peer " + i);
    }
    assertTrue(h.idontwantsTo(1).isEmpty(), "not to the sender");
  }

  @Test
  void aReceivedMessageAboveTheCapIsIgnoredAndNotForwarded() {
    RouterHarness h = new RouterHarness(SPEC.toBuilder().maxMessageSize(4096).build());
    h.connectSubscribed(1, 3);
    h.subscribe(T);
    h.clear();
    h.rpc(1, Rpc.ofMessages(List.of(signed(9, T, new byte[5000], 1))));
    assertTrue(h.effectsOf(Effect.Deliver.class).isEmpty());
    assertTrue(h.messagesTo(2).isEmpty());
    assertEquals(1, h.trace.matching("ignore TOO_LARGE").size());
  }
}
