package dev.weft.net.crypto;

import static dev.weft.net.crypto.Vectors.b;
import static dev.weft.net.crypto.Vectors.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

class Secp256k1KeysTest {
  static final BigInteger N = new BigInteger(
      "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);
  static final byte[] MSG = "weft secp256k1 test".getBytes(StandardCharsets.UTF_8);

  @Test
  void shouldDeriveSpecPublicKeyFromSpecPrivateKey() {
    // libp2p peer-ids spec secp256k1 test key
    PrivKey k = Keys.unmarshalPrivateKey(
        b("0802122053dadf1d5a164d6b4acdb15e24aa4c5b1d3461bdbd42abedb0a4404d56ced8fb"));
    assertEquals(Vectors.SECP_PUB_PB, s(k.publicKey().toProtobuf()));
    assertEquals(Vectors.SECP_PEER_B58, k.publicKey().peerId().toBase58());
  }

  @Test
  void shouldMatchWellKnownRfc6979Secp256k1Vector() {
    // Widely used RFC 6979 secp256k1/SHA-256 vector (private key 1, "Satoshi Nakamoto"), low-S form.
    PrivKey k = Secp256k1Keys.fromPrivateBytes(b("00".repeat(31) + "01"));
    byte[] msg = "Satoshi Nakamoto".getBytes(StandardCharsets.US_ASCII);
    String expected = "3045022100"
        + "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8" + "0220"
        + "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5";
    assertTrue(k.publicKey().verify(msg, b(expected)));
    assertEquals(expected, s(k.sign(msg)));
  }

  @Test
  void shouldSignDeterministicallyWithLowSStrictDer() {
    PrivKey k = Secp256k1Keys.fromPrivateBytes(b("01".repeat(32)));
    for (int i = 0; i < 50; i++) {
      byte[] m = ("message " + i).getBytes(StandardCharsets.UTF_8);
      byte[] sig = k.sign(m);
      assertArrayEquals(sig, k.sign(m));
      ASN1Sequence seq = ASN1Sequence.getInstance(sig);
      BigInteger sv = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
      assertTrue(sv.compareTo(N.shiftRight(1)) <= 0, "high S emitted");
      assertTrue(k.publicKey().verify(m, sig));
    }
  }

  @Test
  void shouldProduceSignaturesAnIndependentVerifierAccepts() throws Exception {
    PrivKey k = Secp256k1Keys.fromPrivateBytes(b("2a".repeat(32)));
    byte[] sig = k.sign(MSG);
    byte[] spki = new SubjectPublicKeyInfo(
        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1),
        k.publicKey().raw()).getEncoded();
    BouncyCastleProvider bc = new BouncyCastleProvider();
    PublicKey jca = KeyFactory.getInstance("EC", bc).generatePublic(new X509EncodedKeySpec(spki));
    Signature v = Signature.getInstance("SHA256withECDSA", bc);
    v.initVerify(jca);
    v.update(MSG);
    assertTrue(v.verify(sig));
  }

  @Test
  void shouldRejectHighSSignatureLikeJsNoble() throws Exception {
    PrivKey k = Secp256k1Keys.fromPrivateBytes(b("03".repeat(32)));
    byte[] sig = k.sign(MSG);
    ASN1Sequence seq = ASN1Sequence.getInstance(sig);
    BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
    BigInteger sv = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
    byte[] high = new DERSequence(new ASN1Integer[] {new ASN1Integer(r),
        new ASN1Integer(N.subtract(sv))}).getEncoded();
    assertFalse(k.publicKey().verify(MSG, high));
    assertTrue(k.publicKey().verify(MSG, sig));
  }

  @Test
  void shouldRejectNonStrictDerAndGarbageSignatures() {
    PrivKey k = Secp256k1Keys.fromPrivateBytes(b("04".repeat(32)));
    PubKey pub = k.publicKey();
    byte[] sig = k.sign(MSG);
    byte[] trailing = Arrays.copyOf(sig, sig.length + 1);
    assertFalse(pub.verify(MSG, trailing));
    for (int n = 0; n < sig.length; n++) {
      assertFalse(pub.verify(MSG, Arrays.copyOf(sig, n)));
    }
    assertFalse(pub.verify(MSG, new byte[0]));
    assertFalse(pub.verify(MSG, new byte[200]));
    assertFalse(pub.verify(MSG, null));
    assertFalse(pub.verify("other".getBytes(StandardCharsets.UTF_8), sig));
    byte[] flipped = sig.clone();
    flipped[flipped.length - 1] ^= 1;
    assertFalse(pub.verify(MSG, flipped));
  }

  @Test
  void shouldAcceptUncompressedPublicKeyAndReencodeCompressed() {
    PrivKey k = Secp256k1Keys.fromPrivateBytes(b("05".repeat(32)));
    byte[] compressed = k.publicKey().raw();
    assertEquals(33, compressed.length);
    org.bouncycastle.math.ec.ECPoint p = org.bouncycastle.crypto.ec.CustomNamedCurves
        .getByName("secp256k1").getCurve().decodePoint(compressed);
    PubKey fromUncompressed = Secp256k1Keys.unmarshalPublic(p.getEncoded(false));
    assertArrayEquals(compressed, fromUncompressed.raw());
    assertTrue(fromUncompressed.verify(MSG, k.sign(MSG)));
  }
}
