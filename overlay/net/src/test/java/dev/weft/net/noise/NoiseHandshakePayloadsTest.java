package dev.weft.net.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.identity.PeerId;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.crypto.Keys;
import dev.weft.net.crypto.PrivKey;
import dev.weft.net.pb.NoiseProto;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoiseHandshakePayloadsTest {
  private static final HexFormat HEX = HexFormat.of();
  /** Spec Ed25519 test key (wire digest section 9). */
  static final PrivKey SPEC_KEY = Keys.unmarshalPrivateKey(HEX.parseHex(
      "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
          + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"));
  private static final byte[] STATIC_0_TO_31 = new byte[32];

  static {
    for (int i = 0; i < 32; i++) {
      STATIC_0_TO_31[i] = (byte) i;
    }
  }

  @Test
  void shouldProduceDigestIdentitySignature() throws Exception {
    byte[] msg = NoiseHandshakePayloads.signedMessage(STATIC_0_TO_31);
    assertEquals("6e6f6973652d6c69627032702d7374617469632d6b65793a", HEX.formatHex(msg, 0, 24));
    assertEquals("6748f6f4c32e36aa2ef8df283a99a76275a9358b224844c53ced6ae4789262d0"
        + "0a86a6fe47a578ae243faa2a3ed9f4fd22d1bc38527f4797548e568ca43f500c",
        HEX.formatHex(SPEC_KEY.sign(msg)));
    byte[] payload = NoiseHandshakePayloads.encode(SPEC_KEY, STATIC_0_TO_31, List.of("/yamux/1.0.0"));
    NoiseProto.NoiseHandshakePayload pb = NoiseProto.NoiseHandshakePayload.parseFrom(payload);
    assertEquals("080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e",
        HEX.formatHex(pb.getIdentityKey().toByteArray()));
    assertEquals(List.of("/yamux/1.0.0"), pb.getExtensions().getStreamMuxersList());
    // Field order on the wire: 0a (key), 12 (sig), 22 (extensions, field 4).
    assertEquals(0x0a, payload[0] & 0xff);
    assertEquals(0x12, payload[2 + 36] & 0xff);
    assertEquals(0x22, payload[2 + 36 + 2 + 64] & 0xff);

    NoiseHandshakePayloads.Verified v = NoiseHandshakePayloads.verify(payload, STATIC_0_TO_31,
        PeerId.fromBase58("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq"));
    assertEquals("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq", v.peerId().toBase58());
    assertArrayEquals(SPEC_KEY.publicKey().raw(), v.identityKey().raw());
  }

  @Test
  void shouldOmitExtensionsWhenNoMuxers() throws Exception {
    byte[] payload = NoiseHandshakePayloads.encode(SPEC_KEY, STATIC_0_TO_31, List.of());
    assertTrue(!NoiseProto.NoiseHandshakePayload.parseFrom(payload).hasExtensions());
    assertEquals(List.of(), NoiseHandshakePayloads.verify(payload, STATIC_0_TO_31, null).streamMuxers());
  }

  @Test
  void shouldRejectSignatureOverOtherStaticKey() {
    byte[] payload = NoiseHandshakePayloads.encode(SPEC_KEY, STATIC_0_TO_31, List.of());
    byte[] other = STATIC_0_TO_31.clone();
    other[0] ^= 1;
    assertThrows(NoiseException.class, () -> NoiseHandshakePayloads.verify(payload, other, null));
  }

  @Test
  void shouldRejectUnexpectedPeer() {
    byte[] payload = NoiseHandshakePayloads.encode(SPEC_KEY, STATIC_0_TO_31, List.of());
    PeerId someoneElse = Ed25519Keys.generate(new SecureRandom()).publicKey().peerId();
    NoiseException e = assertThrows(NoiseException.class,
        () -> NoiseHandshakePayloads.verify(payload, STATIC_0_TO_31, someoneElse));
    assertTrue(e.getMessage().contains("unexpected peer"));
  }

  @Test
  void shouldRejectMissingSignatureAndGarbage() {
    byte[] keyOnly = NoiseProto.NoiseHandshakePayload.newBuilder()
        .setIdentityKey(com.google.protobuf.ByteString.copyFrom(SPEC_KEY.publicKey().toProtobuf()))
        .build().toByteArray();
    assertThrows(NoiseException.class, () -> NoiseHandshakePayloads.verify(keyOnly, STATIC_0_TO_31, null));
    assertThrows(NoiseException.class,
        () -> NoiseHandshakePayloads.verify(new byte[] {(byte) 0xff, 1, 2}, STATIC_0_TO_31, null));
  }

  @Test
  void shouldSelectFirstInitiatorMuxerSupportedByResponder() throws Exception {
    List<String> init = List.of("/mplex/6.7.0", "/yamux/1.0.0");
    List<String> resp = List.of("/yamux/1.0.0", "/mplex/6.7.0");
    assertEquals("/mplex/6.7.0", NoiseHandshakePayloads.selectEarlyMuxer(init, resp));
    assertEquals("/yamux/1.0.0", NoiseHandshakePayloads.selectEarlyMuxer(resp, init));
    assertEquals("/yamux/1.0.0",
        NoiseHandshakePayloads.selectEarlyMuxer(List.of("/x/1", "/yamux/1.0.0"), List.of("/yamux/1.0.0")));
  }

  @Test
  void shouldSelectNoMuxerWhenEitherListEmpty() throws Exception {
    assertNull(NoiseHandshakePayloads.selectEarlyMuxer(List.of(), List.of("/yamux/1.0.0")));
    assertNull(NoiseHandshakePayloads.selectEarlyMuxer(List.of("/yamux/1.0.0"), List.of()));
    assertNull(NoiseHandshakePayloads.selectEarlyMuxer(List.of(), List.of()));
  }

  @Test
  void shouldFailWhenMuxerListsDoNotOverlap() {
    assertThrows(NoiseException.class,
        () -> NoiseHandshakePayloads.selectEarlyMuxer(List.of("/mplex/6.7.0"), List.of("/yamux/1.0.0")));
  }
}
