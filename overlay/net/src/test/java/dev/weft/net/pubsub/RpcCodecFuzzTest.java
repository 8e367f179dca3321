package dev.weft.net.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.core.wire.ControlMessage;
import dev.weft.core.wire.GossipProto;
import dev.weft.core.wire.Rpc;

/**
 * The gossip RPC decoder: any bytes end in a decoded RPC within the limits or a {@link
 * RpcCodec.DecodeException}; a decoded RPC re-encodes (core encoder) to bytes that decode to the
 * same RPC, and every PRUNE backoff is within {@link RpcCodec#MAX_BACKOFF_SECONDS}.
 */
class RpcCodecFuzzTest {
  /** Small limits so the fuzzer reaches every limit check. */
  static final RpcCodec.Limits LIMITS = new RpcCodec.Limits(8, 8, 8, 8, 8, 4, 2);

  @FuzzTest(maxDuration = "30s")
  void decodeOnlyThrowsDecodeExceptionAndRoundTrips(byte[] frame) throws Exception {
    Rpc rpc;
    try {
      rpc = RpcCodec.decode(frame, LIMITS);
    } catch (RpcCodec.DecodeException expected) {
      return;
    }
    assertTrue(rpc.subscriptions().size() <= LIMITS.maxSubscriptions());
    assertTrue(rpc.messages().size() <= LIMITS.maxMessages());
    ControlMessage c = rpc.control();
    if (c != null) {
      int ihaveIds = c.ihave().stream().mapToInt(h -> h.messageIds().size()).sum();
      int iwantIds = c.iwant().stream().mapToInt(w -> w.messageIds().size()).sum();
      assertTrue(ihaveIds <= LIMITS.maxIHaveIds() && iwantIds <= LIMITS.maxIWantIds());
      for (ControlMessage.Prune p : c.prune()) {
        assertTrue(p.peers().size() <= LIMITS.maxPeerExchange());
        assertTrue(p.backoffSeconds() == null
            || (p.backoffSeconds() >= 0 && p.backoffSeconds() <= RpcCodec.MAX_BACKOFF_SECONDS));
      }
    }
    byte[] again = RpcCodec.encode(rpc);
    assertEquals(GossipProto.encodedSize(rpc), again.length);
    assertEquals(rpc, RpcCodec.decode(again, LIMITS), "re-encoded RPC decodes differently");
  }
}
