package dev.weft.net.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.weft.core.wire.ControlMessage;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import dev.weft.core.wire.SubOpts;
import dev.weft.net.pb.RpcProto;
import dev.weft.net.stream.LengthPrefixedReader;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Truncated, oversized and garbage RPC frames, and the PRUNE backoff edge cases. */
class RpcCodecTest {
  private static final RpcCodec.Limits LIMITS = RpcCodec.Limits.defaults();

  private static byte[] prune(long backoff) {
    return RpcProto.RPC.newBuilder().setControl(RpcProto.ControlMessage.newBuilder()
        .addPrune(RpcProto.ControlPrune.newBuilder().setTopicID("t").setBackoff(backoff)))
        .build().toByteArray();
  }

  private static Long decodedBackoff(byte[] frame) throws Exception {
    return RpcCodec.decode(frame, LIMITS).control().prune().get(0).backoffSeconds();
  }

  @Test
  void shouldKeepOrdinaryPruneBackoff() throws Exception {
    assertEquals(60L, decodedBackoff(prune(60)));
    assertEquals(RpcCodec.MAX_BACKOFF_SECONDS, decodedBackoff(prune(RpcCodec.MAX_BACKOFF_SECONDS)));
  }

  @Test
  void shouldSaturateHugePruneBackoffInsteadOfFailingOrOverflowing() throws Exception {
    // 2^64-1 (a 10-byte varint) arrives from protobuf-java as -1; 2^63 as Long.MIN_VALUE
    for (long wire : new long[] {-1L, Long.MIN_VALUE, Long.MAX_VALUE, RpcCodec.MAX_BACKOFF_SECONDS + 1}) {
      Long b = decodedBackoff(prune(wire));
      assertEquals(RpcCodec.MAX_BACKOFF_SECONDS, b, "wire backoff " + Long.toUnsignedString(wire));
      // the clamped value converts to nanoseconds without overflow
      assertTrue(Math.multiplyExact(b, 1_000_000_000L) > 0);
    }
  }

  @Test
  void shouldRoundTripTheClampedBackoff() throws Exception {
    Rpc rpc = RpcCodec.decode(prune(-1L), LIMITS);
    assertEquals(rpc, RpcCodec.decode(RpcCodec.encode(rpc), LIMITS));
  }

  @Test
  void shouldRejectEveryTruncationOfAValidFrameWithDecodeExceptionOnly() {
    Rpc rpc = new Rpc(List.of(new SubOpts(true, "topic-a")),
        List.of(new PubMessage(new byte[] {0, 1}, new byte[100], new byte[8], "topic-a", null, null)),
        new ControlMessage(
            List.of(new ControlMessage.IHave("topic-a", List.of(MessageId.of(new byte[] {1, 2, 3})))),
            List.of(), List.of(new ControlMessage.Graft("topic-b")),
            List.of(new ControlMessage.Prune("topic-c", List.of(), 30L)), List.of()));
    byte[] full = RpcCodec.encode(rpc);
    int rejected = 0;
    for (int n = 0; n < full.length; n++) {
      try {
        RpcCodec.decode(Arrays.copyOf(full, n), LIMITS);
      } catch (RpcCodec.DecodeException e) {
        rejected++;
      }
    }
    // most cuts land inside a field; the rest are shorter but well-formed RPCs
    assertTrue(rejected > full.length / 2, rejected + " of " + full.length);
  }

  @Test
  void shouldRejectGarbageWithDecodeException() {
    java.util.Random rnd = new java.util.Random(7);
    for (int i = 0; i < 2000; i++) {
      byte[] b = new byte[rnd.nextInt(64)];
      rnd.nextBytes(b);
      try {
        RpcCodec.decode(b, LIMITS);
      } catch (RpcCodec.DecodeException expected) {
        // clean rejection; anything else fails the test
      }
    }
  }

  @Test
  void shouldRejectMoreEntriesThanTheLimitsBeforeBuildingObjects() {
    RpcProto.ControlIHave.Builder ihave = RpcProto.ControlIHave.newBuilder().setTopicID("t");
    for (int i = 0; i < 5001; i++) {
      ihave.addMessageIDs(ByteString.copyFrom(new byte[] {(byte) i, (byte) (i >> 8)}));
    }
    byte[] frame = RpcProto.RPC.newBuilder()
        .setControl(RpcProto.ControlMessage.newBuilder().addIhave(ihave)).build().toByteArray();
    assertTrue(assertThrows(RpcCodec.DecodeException.class, () -> RpcCodec.decode(frame, LIMITS))
        .getMessage().contains("IHAVE"));

    RpcProto.ControlPrune.Builder px = RpcProto.ControlPrune.newBuilder().setTopicID("t");
    for (int i = 0; i < 17; i++) {
      px.addPeers(RpcProto.PeerInfo.newBuilder().setPeerID(ByteString.copyFrom(new byte[] {0, 1, (byte) i})));
    }
    byte[] pxFrame = RpcProto.RPC.newBuilder()
        .setControl(RpcProto.ControlMessage.newBuilder().addPrune(px)).build().toByteArray();
    assertTrue(assertThrows(RpcCodec.DecodeException.class, () -> RpcCodec.decode(pxFrame, LIMITS))
        .getMessage().contains("PX"));
  }

  @Test
  void shouldCountControlEntriesAcrossRepeatedControlFields() throws Exception {
    // protobuf merges repeated occurrences of RPC.control into one; the limits must see the sum
    RpcProto.ControlIHave.Builder ihave = RpcProto.ControlIHave.newBuilder().setTopicID("t");
    for (int i = 0; i < 3000; i++) {
      ihave.addMessageIDs(ByteString.copyFrom(new byte[] {(byte) i, (byte) (i >> 8)}));
    }
    byte[] one = RpcProto.RPC.newBuilder()
        .setControl(RpcProto.ControlMessage.newBuilder().addIhave(ihave)).build().toByteArray();
    assertEquals(3000, RpcCodec.decode(one, LIMITS).control().ihave().get(0).messageIds().size());
    byte[] twice = new byte[one.length * 2];
    System.arraycopy(one, 0, twice, 0, one.length);
    System.arraycopy(one, 0, twice, one.length, one.length);
    var e = assertThrows(RpcCodec.DecodeException.class, () -> RpcCodec.decode(twice, LIMITS));
    assertTrue(e.getMessage().contains("IHAVE"), e.getMessage());
  }

  @Test
  void shouldRejectAnEmptyMessageIdAndAMissingTopic() {
    byte[] emptyId = RpcProto.RPC.newBuilder().setControl(RpcProto.ControlMessage.newBuilder()
        .addIwant(RpcProto.ControlIWant.newBuilder().addMessageIDs(ByteString.EMPTY)))
        .build().toByteArray();
    assertThrows(RpcCodec.DecodeException.class, () -> RpcCodec.decode(emptyId, LIMITS));
    byte[] noTopic = RpcProto.RPC.newBuilder()
        .addPublish(RpcProto.Message.newBuilder().setData(ByteString.copyFromUtf8("x")))
        .build().toByteArray();
    assertThrows(RpcCodec.DecodeException.class, () -> RpcCodec.decode(noTopic, LIMITS));
  }

  @Test
  void shouldRefuseAFrameOverTheRpcSizeCapBeforeBufferingIt() {
    int cap = 1 << 20;
    LengthPrefixedReader reader = new LengthPrefixedReader(ByteBufAllocator.DEFAULT, cap);
    try {
      var header = Unpooled.buffer();
      LengthPrefixedReader.writeUvarint(header, cap + 1L);
      List<Object> got = new ArrayList<>();
      var e = assertThrows(LengthPrefixedReader.FrameException.class, () -> reader.feed(header, got::add));
      assertTrue(e.getMessage().contains("exceeds the limit"));
      assertTrue(got.isEmpty());
      assertTrue(reader.buffered() <= 5);
    } finally {
      reader.release();
    }
  }
}
