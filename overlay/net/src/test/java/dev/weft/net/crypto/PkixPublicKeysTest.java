package dev.weft.net.crypto;

import static dev.weft.net.crypto.Vectors.b;
import static dev.weft.net.crypto.Vectors.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.weft.net.pb.CryptoProto;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PkixPublicKeysTest {
  // go-libp2p generated vectors (P-256 / P-384): message "noise-libp2p-static-key:hello".
  static final byte[] MESSAGE = "noise-libp2p-static-key:hello".getBytes(StandardCharsets.US_ASCII);
  static final String P256_PUB = "0803125b3059301306072a8648ce3d020106082a8648ce3d030107034200045a"
      + "eb4301c696080333039169ce896ee644373b3924a000a968ec3af9507be376e8"
      + "c9815be6c588a7d1feafa00a801e4d338cb4976aaae604ec75535bdc5b1bd8";
  static final String P256_SIG = "30440220073327d029b0ca814587fb09f9cdac24c7cee8f402e3e2f64626b7d4"
      + "7f4de8ca02200427d783c872828e464c5aab2047804f993358d92be35def4e64893b1b11f657";
  static final String P384_PUB = "080312783076301006072a8648ce3d020106052b81040022036200041725a0b8"
      + "49d136aebc32884cf072cf0c48e7f4f6da753a9f78fe1b1a69295b4885e485bc"
      + "6d38a3bc3989363a465ce80f1d75d5b0bb46c5b9a691280fd03409c8ad03675b"
      + "6f1fa4163a19e18d00f6a31635441bb585a303dcee29a62374bf4629";
  static final String P384_SIG = "306402301e8f01bf40a1ea862af76d91ff8aaa461015508a5777234d8ef1a741"
      + "41215d04b8b3565e0f6909b2cb1615d283dbc450023060292bbd2cd3b221587a"
      + "ce86332c4145bf5ff5be0bf7fa08bd73f218221da8fa2ab2c08280fdb5a49efae371db7c34bd";

  @Test
  void shouldVerifyGoEcdsaSignaturesAndDeriveGoPeerIds() {
    PubKey p256 = Keys.unmarshalPublicKey(b(P256_PUB));
    assertEquals(KeyType.ECDSA, p256.type());
    assertTrue(p256.verify(MESSAGE, b(P256_SIG)));
    assertFalse(p256.verify(new byte[] {1, 2, 3}, b(P256_SIG)));
    assertEquals("QmZu9py8NZfiSnsrrB1nYNMZ2WZp4Vr5z37QLftYGzVJiY", p256.peerId().toBase58());
    assertEquals(P256_PUB, s(p256.toProtobuf()));

    PubKey p384 = Keys.unmarshalPublicKey(b(P384_PUB));
    assertTrue(p384.verify(MESSAGE, b(P384_SIG)));
    assertEquals("QmcDmwZw6pmb6QJEjDA9e3ADz3dw7GCy4jEmuhEETnSdsr", p384.peerId().toBase58());
  }

  @Test
  void shouldRejectCorruptedEcdsaKeysAndSignatures() {
    byte[] bad = b(P256_PUB);
    bad[bad.length - 1] ^= 1; // point no longer on the curve
    assertThrows(IllegalArgumentException.class, () -> Keys.unmarshalPublicKey(bad));
    byte[] cut = Arrays.copyOf(b(P256_PUB), 40);
    assertThrows(IllegalArgumentException.class, () -> Keys.unmarshalPublicKey(cut));
    PubKey p256 = Keys.unmarshalPublicKey(b(P256_PUB));
    assertFalse(p256.verify(MESSAGE, new byte[0]));
    assertFalse(p256.verify(MESSAGE, b("3000")));
    assertFalse(p256.verify(MESSAGE, new byte[5000]));
  }

  @Test
  void shouldVerifyRsaPkcs1Sha256AndUseSha256PeerId() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair kp = g.generateKeyPair();
    byte[] pb = wrap(CryptoProto.KeyType.RSA, kp.getPublic().getEncoded());
    PubKey pub = Keys.unmarshalPublicKey(pb);
    assertEquals(KeyType.RSA, pub.type());
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(kp.getPrivate());
    signer.update(MESSAGE);
    byte[] sig = signer.sign();
    assertTrue(pub.verify(MESSAGE, sig));
    sig[10] ^= 1;
    assertFalse(pub.verify(MESSAGE, sig));
    assertFalse(pub.peerId().isIdentity());
    assertTrue(pub.peerId().toBase58().startsWith("Qm"));
    assertEquals(s(pb), s(pub.toProtobuf()));
  }

  @Test
  void shouldRejectSmallRsaKeysAndAllPkixPrivateKeys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    byte[] pb = wrap(CryptoProto.KeyType.RSA, g.generateKeyPair().getPublic().getEncoded());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Keys.unmarshalPublicKey(pb));
    assertTrue(e.getMessage().contains("1024 bits"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Keys.unmarshalPrivateKey(b("08031204deadbeef")));
    assertThrows(IllegalArgumentException.class,
        () -> Keys.unmarshalPublicKey(wrap(CryptoProto.KeyType.RSA, b("3000"))));
  }

  private static byte[] wrap(CryptoProto.KeyType type, byte[] data) {
    return CryptoProto.PublicKey.newBuilder().setType(type).setData(ByteString.copyFrom(data))
        .build().toByteArray();
  }
}
