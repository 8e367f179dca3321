package dev.weft.net.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.net.FuzzFixtures;
import dev.weft.net.crypto.PrivKey;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Noise: the handshake payload protobuf, handshake message framing in both roles, and transport
 * frame decoding. Every failure is a {@link NoiseException} or a closed channel, never an escaped
 * exception; nothing is decrypted that a reference decryption would not produce.
 */
class NoiseFuzzTest {
  static final byte[] STATIC_PUB = FuzzFixtures.NOISE_STATIC_PUB;
  static final byte[] OTHER_STATIC_PUB = FuzzFixtures.NOISE_OTHER_STATIC_PUB;
  static final PrivKey IDENTITY = FuzzFixtures.NOISE_IDENTITY;
  static final byte[] TRANSPORT_KEY = FuzzFixtures.NOISE_TRANSPORT_KEY;

  @FuzzTest(maxDuration = "30s")
  void handshakePayload(byte[] payload) {
    NoiseHandshakePayloads.Verified v;
    try {
      v = NoiseHandshakePayloads.verify(payload, STATIC_PUB, null);
    } catch (NoiseException expected) {
      return;
    }
    // accepted only with a signature by the key it names, and within the muxer bounds
    assertEquals(v.identityKey().peerId(), v.peerId());
    assertTrue(v.streamMuxers().size() <= NoiseHandshakePayloads.MAX_MUXERS);
    for (String m : v.streamMuxers()) {
      assertTrue(!m.isEmpty() && m.length() <= NoiseHandshakePayloads.MAX_MUXER_NAME);
    }
    // the signature binds the static key: the same payload must fail for another one
    try {
      NoiseHandshakePayloads.verify(payload, OTHER_STATIC_PUB, null);
      throw new AssertionError("payload verified against a different static key");
    } catch (NoiseException expected) {
      // bound to STATIC_PUB only
    }
  }

  @FuzzTest(maxDuration = "30s")
  void handshakeMessages(byte[] input) {
    boolean initiator = input.length > 0 && (input[0] & 1) == 1;
    EmbeddedChannel ch = new EmbeddedChannel();
    NoiseHandshakeHandlerTest.Recorder rec = new NoiseHandshakeHandlerTest.Recorder();
    ch.pipeline().addLast(new NoiseHandshakeHandler(IDENTITY, initiator, null, List.of("/yamux/1.0.0")));
    ch.pipeline().addLast(rec);
    try {
      int chunk = 1 + (input.length > 1 ? (input[1] & 0x3F) : 0);
      for (int i = Math.min(1, input.length); i < input.length && ch.isOpen(); i += chunk) {
        ch.writeInbound(Unpooled.wrappedBuffer(input, i, Math.min(chunk, input.length - i)));
      }
      ch.checkException();
      // a handshake cannot complete against bytes that do not know our ephemeral key
      assertNull(ch.pipeline().get(NoiseTransportCodec.class));
      assertNull(rec.secured());
      assertEquals(0, rec.data.size());
      if (rec.failed() != null) {
        assertFalse(ch.isOpen(), "failed handshake left the channel open");
      }
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @FuzzTest(maxDuration = "30s")
  void transportFrames(byte[] input) throws Exception {
    CipherState receive = new CipherState();
    receive.initializeKey(TRANSPORT_KEY);
    CipherState unused = new CipherState();
    unused.initializeKey(TRANSPORT_KEY);
    EmbeddedChannel ch = new EmbeddedChannel(new NoiseTransportCodec(unused, receive));
    NoiseHandshakeHandlerTest.Recorder rec = new NoiseHandshakeHandlerTest.Recorder();
    ch.pipeline().addLast(rec);
    try {
      int chunk = 1 + (input.length > 0 ? (input[0] & 0xFF) * 3 : 0);
      for (int i = 0; i < input.length && ch.isOpen(); i += chunk) {
        ch.writeInbound(Unpooled.wrappedBuffer(input, i, Math.min(chunk, input.length - i)));
      }
      ch.checkException();
      byte[] got = rec.data.toByteArray();
      Reference ref = reference(input);
      assertTrue(got.length <= ref.plain.length
          && Arrays.equals(got, Arrays.copyOf(ref.plain, got.length)),
          "decrypted bytes that a reference decryption does not produce");
      if (ref.failed) {
        assertFalse(ch.isOpen(), "a bad frame left the connection open");
      } else {
        assertTrue(ch.isOpen());
        assertArrayEquals(ref.plain, got);
      }
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  private record Reference(byte[] plain, boolean failed) {}

  /** Decrypts complete frames one by one until the first bad one. */
  private static Reference reference(byte[] in) {
    CipherState cs = new CipherState();
    cs.initializeKey(TRANSPORT_KEY);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    while (in.length - pos >= 2) {
      int len = ((in[pos] & 0xFF) << 8) | (in[pos + 1] & 0xFF);
      if (len < ChaChaPolyAead.TAG_LENGTH) {
        return new Reference(out.toByteArray(), true);
      }
      if (in.length - pos - 2 < len) {
        break;
      }
      try {
        out.writeBytes(cs.decryptWithAd(new byte[0], Arrays.copyOfRange(in, pos + 2, pos + 2 + len)));
      } catch (NoiseException e) {
        return new Reference(out.toByteArray(), true);
      }
      pos += 2 + len;
    }
    return new Reference(out.toByteArray(), false);
  }
}
