package dev.weft.net.identify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.weft.core.util.Varint;
import dev.weft.net.FuzzFixtures;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.crypto.Keys;
import dev.weft.net.host.IdentifyInfo;
import dev.weft.net.pb.IdentifyProto;
import dev.weft.net.stream.LengthPrefixedReader;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** identify input: 8 KiB per message and 10 messages, bounded before anything is buffered. */
class IdentifyDecoderTest {
  private final IdentifyDecoder decoder = new IdentifyDecoder(UnpooledByteBufAllocator.DEFAULT);

  @AfterEach
  void release() {
    decoder.release();
  }

  private static byte[] framed(IdentifyProto.Identify m) {
    byte[] b = m.toByteArray();
    byte[] out = Arrays.copyOf(Varint.encode(b.length), Varint.size(b.length) + b.length);
    System.arraycopy(b, 0, out, Varint.size(b.length), b.length);
    return out;
  }

  private static IdentifyProto.Identify full() {
    return IdentifyProto.Identify.newBuilder().setAgentVersion("js-libp2p/3.0.0")
        .setPublicKey(ByteString.copyFrom(Keys.marshalPublicKey(FuzzFixtures.IDENTIFY_REMOTE.publicKey())))
        .addProtocols("/meshsub/1.1.0").build();
  }

  @Test
  void shouldDecodeAMessageSplitAcrossChunks() {
    byte[] f = framed(full());
    decoder.feed(Unpooled.wrappedBuffer(f, 0, 3));
    assertEquals(0, decoder.messageCount());
    decoder.feed(Unpooled.wrappedBuffer(f, 3, f.length - 3));
    IdentifyInfo info = decoder.merge(null, FuzzFixtures.IDENTIFY_REMOTE_ID, false);
    assertEquals("js-libp2p/3.0.0", info.agentVersion());
  }

  @Test
  void shouldRefuseAMessageOver8KiBFromItsLengthPrefixAlone() {
    byte[] prefix = Varint.encode(IdentifyService.MAX_MESSAGE_BYTES + 1);
    var e = assertThrows(LengthPrefixedReader.FrameException.class,
        () -> decoder.feed(Unpooled.wrappedBuffer(prefix)));
    assertTrue(e.getMessage().contains("exceeds the limit of 8192"), e.getMessage());
  }

  @Test
  void shouldAcceptExactly8KiB() {
    byte[] agent = new byte[IdentifyService.MAX_MESSAGE_BYTES - 3]; // tag + 2-byte length
    Arrays.fill(agent, (byte) 'a');
    IdentifyProto.Identify big = IdentifyProto.Identify.newBuilder()
        .setAgentVersion(new String(agent, java.nio.charset.StandardCharsets.US_ASCII)).build();
    assertEquals(IdentifyService.MAX_MESSAGE_BYTES, big.getSerializedSize());
    decoder.feed(Unpooled.wrappedBuffer(framed(big)));
    assertEquals(1, decoder.messageCount());
  }

  @Test
  void shouldRefuseAnEleventhMessage() {
    byte[] one = framed(IdentifyProto.Identify.newBuilder().addProtocols("/a").build());
    for (int i = 0; i < IdentifyService.MAX_MESSAGES; i++) {
      decoder.feed(Unpooled.wrappedBuffer(one));
    }
    assertThrows(LengthPrefixedReader.FrameException.class, () -> decoder.feed(Unpooled.wrappedBuffer(one)));
  }

  @Test
  void shouldRefuseGarbageProtobufAndAKeyOfAnotherPeer() {
    assertThrows(LengthPrefixedReader.FrameException.class,
        () -> decoder.feed(Unpooled.wrappedBuffer(new byte[] {3, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF})));
    IdentifyDecoder other = new IdentifyDecoder(UnpooledByteBufAllocator.DEFAULT);
    try {
      other.feed(Unpooled.wrappedBuffer(framed(full())));
      var e = assertThrows(IllegalArgumentException.class, () -> other.merge(null,
          Ed25519Keys.fromSeed(FuzzFixtures.filled(32, 6)).publicKey().peerId(), false));
      assertTrue(e.getMessage().contains("identify public key belongs to"), e.getMessage());
    } finally {
      other.release();
    }
  }
}
