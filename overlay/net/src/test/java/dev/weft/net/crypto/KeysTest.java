package dev.weft.net.crypto;

import static dev.weft.net.crypto.Vectors.b;
import static dev.weft.net.crypto.Vectors.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.identity.PeerId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeysTest {
  @Test
  void shouldMatchEd25519SpecKeyKnownAnswers() {
    PrivKey key = Vectors.edKey();
    assertEquals(KeyType.ED25519, key.type());
    assertEquals(Vectors.ED_PRIV_PB, s(key.toProtobuf()));
    assertEquals(Vectors.ED_PUB_PB, s(key.publicKey().toProtobuf()));
    assertEquals(Vectors.ED_PEER_MH, s(key.publicKey().peerId().toBytes()));
    assertEquals(Vectors.ED_PEER_B58, key.publicKey().peerId().toBase58());
    assertEquals(key.publicKey(), Keys.publicKeyOf(PeerId.fromBase58(Vectors.ED_PEER_B58)));
  }

  @Test
  void shouldProduceNoiseIdentitySignatureKnownAnswer() throws Exception {
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    msg.write("noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < 32; i++) {
      msg.write(i);
    }
    PrivKey key = Vectors.edKey();
    byte[] sig = key.sign(msg.toByteArray());
    assertEquals(Vectors.NOISE_SIG, s(sig));
    assertTrue(key.publicKey().verify(msg.toByteArray(), sig));
    sig[0] ^= 1;
    assertFalse(key.publicKey().verify(msg.toByteArray(), sig));
  }

  @Test
  void shouldDeriveSecp256k1SpecPeerIdFromPublicKey() {
    PubKey pub = Keys.unmarshalPublicKey(b(Vectors.SECP_PUB_PB));
    assertEquals(KeyType.SECP256K1, pub.type());
    assertEquals(Vectors.SECP_PUB_PB, s(pub.toProtobuf()));
    assertEquals(Vectors.SECP_PEER_B58, pub.peerId().toBase58());
    assertEquals(pub, Keys.publicKeyOf(PeerId.fromBase58(Vectors.SECP_PEER_B58)));
  }

  @Test
  void shouldGenerateKeysThatRoundTripThroughProtobuf() {
    SecureRandom rnd = new SecureRandom();
    for (KeyType t : new KeyType[] {KeyType.ED25519, KeyType.SECP256K1}) {
      PrivKey k = Keys.generate(t, rnd);
      assertEquals(t, k.type());
      PrivKey back = Keys.unmarshalPrivateKey(k.toProtobuf());
      assertArrayEquals(k.raw(), back.raw());
      assertEquals(k.publicKey(), back.publicKey());
      assertEquals(k.publicKey(), Keys.unmarshalPublicKey(k.publicKey().toProtobuf()));
      byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
      assertTrue(back.publicKey().verify(msg, k.sign(msg)));
      assertTrue(k.publicKey().peerId().isIdentity());
    }
    assertThrows(IllegalArgumentException.class, () -> Keys.generate(KeyType.RSA, rnd));
    assertThrows(IllegalArgumentException.class, () -> Keys.generate(KeyType.ECDSA, rnd));
  }

  @Test
  void shouldRejectTruncatedOversizedAndGarbageKeyProtobufs() {
    byte[] priv = b(Vectors.ED_PRIV_PB);
    byte[] pub = b(Vectors.ED_PUB_PB);
    for (int n = 0; n < priv.length; n++) {
      byte[] cut = Arrays.copyOf(priv, n);
      assertThrows(IllegalArgumentException.class, () -> Keys.unmarshalPrivateKey(cut), "len " + n);
    }
    for (int n = 0; n < pub.length; n++) {
      byte[] cut = Arrays.copyOf(pub, n);
      assertThrows(IllegalArgumentException.class, () -> Keys.unmarshalPublicKey(cut), "len " + n);
    }
    assertThrows(IllegalArgumentException.class,
        () -> Keys.unmarshalPublicKey(new byte[Keys.MAX_KEY_PROTOBUF_BYTES + 1]));
    assertThrows(IllegalArgumentException.class, () -> Keys.unmarshalPublicKey(null));
    // unknown key type 9, secp256k1 point not on curve, private scalar zero / >= n
    assertThrows(IllegalArgumentException.class, () -> Keys.unmarshalPublicKey(b("08091201ff")));
    assertThrows(IllegalArgumentException.class,
        () -> Keys.unmarshalPublicKey(b("0802122102" + "ff".repeat(32))));
    assertThrows(IllegalArgumentException.class,
        () -> Keys.unmarshalPrivateKey(b("08021220" + "00".repeat(32))));
    assertThrows(IllegalArgumentException.class,
        () -> Keys.unmarshalPrivateKey(b("08021220" + "ff".repeat(32))));
    assertThrows(IllegalArgumentException.class,
        () -> Keys.unmarshalPrivateKey(b("08001201ff")));
    Random r = new Random(1);
    for (int i = 0; i < 3000; i++) {
      byte[] g = new byte[r.nextInt(80)];
      r.nextBytes(g);
      if (i % 2 == 0 && g.length > 4) {
        g[0] = 0x08;
        g[1] = (byte) r.nextInt(4);
        g[2] = 0x12;
      }
      try {
        Keys.unmarshalPublicKey(g);
      } catch (IllegalArgumentException expected) {
        // clean rejection
      }
      try {
        Keys.unmarshalPrivateKey(g);
      } catch (IllegalArgumentException expected) {
        // clean rejection
      }
    }
  }
}
