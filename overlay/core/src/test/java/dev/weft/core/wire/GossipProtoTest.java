package dev.weft.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.identity.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class GossipProtoTest {
  static final HexFormat HEX = HexFormat.of();
  static final String PUB_PB = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  static final String PEER_MH = "0024" + PUB_PB;
  static final String SIG = "f05e62a21b5f1f89b4ab356feb34c493746a2af8ef2fa03b9fd4956fb40d3c27"
      + "9b1eae5153c6b28dce3b2f9bed546dc1cfd5a71513af0aa38ee38d31675ac30f";

  static PubMessage digestVectorMessage() {
    return new PubMessage(HEX.parseHex(PEER_MH), "hello".getBytes(StandardCharsets.UTF_8),
        HEX.parseHex("0000000000000001"), "test", HEX.parseHex(SIG), null);
  }

  @Test
  void shouldEncodeSubscribeAndGraftLikeJs() {
    Rpc rpc = new Rpc(List.of(new SubOpts(true, "test")), List.of(),
        new ControlMessage(null, null, List.of(new ControlMessage.Graft("test")), null, null));
    byte[] expected = HEX.parseHex("0a0808011204746573741a081a060a0474657374");
    assertArrayEquals(expected, GossipProto.encode(rpc));
    assertEquals(expected.length, GossipProto.encodedSize(rpc));
  }

  @Test
  void shouldBuildSigningBytesFromDigestVector() {
    byte[] body = HEX.parseHex("0a26" + PEER_MH + "120568656c6c6f1a0800000000000000012204" + "74657374");
    byte[] expected = new byte[14 + body.length];
    System.arraycopy("libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII), 0, expected, 0, 14);
    System.arraycopy(body, 0, expected, 14, body.length);
    assertArrayEquals(expected, SigningBytes.of(digestVectorMessage()));
  }

  @Test
  void shouldExcludeSignatureAndKeyFromSigningBytes() {
    PubMessage m = digestVectorMessage();
    PubMessage withKey = new PubMessage(m.from(), m.data(), m.seqno(), m.topic(), null,
        HEX.parseHex(PUB_PB));
    assertArrayEquals(SigningBytes.of(m), SigningBytes.of(withKey));
  }

  @Test
  void shouldVerifyDigestSignatureOverSigningBytesWithJdkEd25519() throws Exception {
    byte[] raw = HEX.parseHex(PUB_PB.substring(8));
    byte[] x509 = HEX.parseHex("302a300506032b6570032100" + HEX.formatHex(raw));
    PublicKey pk = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    Signature s = Signature.getInstance("Ed25519");
    s.initVerify(pk);
    s.update(SigningBytes.of(digestVectorMessage()));
    assertTrue(s.verify(HEX.parseHex(SIG)));
  }

  @Test
  void shouldComputeSizeEqualToEncodingForEveryField() {
    PeerId p = PeerId.fromBytes(HEX.parseHex(PEER_MH));
    MessageId id = MessageId.of(new byte[] {1, 2, 3});
    Rpc rpc = new Rpc(
        List.of(new SubOpts(true, "a"), new SubOpts(false, "béta")),
        List.of(digestVectorMessage(), PubMessage.unsigned("t", new byte[300])),
        new ControlMessage(
            List.of(new ControlMessage.IHave("t", List.of(id, id))),
            List.of(new ControlMessage.IWant(List.of(id))),
            List.of(new ControlMessage.Graft("t")),
            List.of(new ControlMessage.Prune("t", List.of(new PeerInfo(p, new byte[200]),
                new PeerInfo(p, null)), 60L)),
            List.of(new ControlMessage.IDontWant(List.of(id)))));
    assertEquals(GossipProto.encode(rpc).length, GossipProto.encodedSize(rpc));
  }

  @Test
  void shouldEncodePruneBackoffAsVarintField3() {
    Rpc rpc = Rpc.ofControl(new ControlMessage(null, null, null,
        List.of(new ControlMessage.Prune("t", List.of(), 60L)), null));
    // control(3) len 7 → prune(4) len 5 → topic(1) "t", backoff(3)=60
    assertEquals("1a0722050a0174183c",
        HEX.formatHex(GossipProto.encode(rpc)));
  }
}
