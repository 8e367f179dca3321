package dev.weft.net.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.SigningBytes;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.crypto.PrivKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict cache: each distinct message verified once, forged copies never ride on it. */
class PreverifyingVerifierTest {
  private final PrivKey author = Ed25519Keys.fromSeed(new byte[32]);
  private final byte[] from = author.publicKey().peerId().toBytes();

  private PubMessage signed(byte[] data, long seq) {
    PubMessage unsigned = new PubMessage(from, data, PubMessage.seqnoBytes(seq), "t", null, null);
    byte[] sig = author.sign(SigningBytes.of(unsigned));
    return new PubMessage(from, data, PubMessage.seqnoBytes(seq), "t", sig, null);
  }

  /** The same signature and author over different data. */
  private static PubMessage forgedFrom(PubMessage genuine, byte[] data) {
    return new PubMessage(genuine.from(), data, genuine.seqno(), genuine.topic(),
        genuine.signature(), null);
  }

  private static boolean check(PreverifyingVerifier v, PubMessage m) {
    byte[] key = PeerId.fromBytes(m.from()).inlinedPublicKeyProtobuf();
    return v.verify(key, SigningBytes.of(m), m.signature());
  }

  @Test
  void shouldVerifyEachDistinctMessageOnceHoweverManyCopiesArrive() {
    PreverifyingVerifier v = new PreverifyingVerifier();
    PubMessage a = signed(new byte[] {1, 2, 3}, 1);
    PubMessage b = signed(new byte[] {4, 5, 6}, 2);
    for (int copy = 0; copy < 5; copy++) {
      var pre = v.preverify(List.of(a, b));
      v.use(pre);
      assertTrue(check(v, a));
      assertTrue(check(v, b));
      v.use(java.util.Map.of());
    }
    assertEquals(2, v.verifications());
    assertTrue(check(v, a), "later copies hit the cache off the preverified path too");
    assertEquals(2, v.verifications());
  }

  @Test
  void shouldRefuseAForgedCopyThatReusesAGenuineSignatureInEitherOrder() {
    PubMessage genuine = signed(new byte[] {1, 2, 3}, 7);
    PubMessage forged = forgedFrom(genuine, new byte[] {9, 9, 9});

    PreverifyingVerifier genuineFirst = new PreverifyingVerifier();
    genuineFirst.use(genuineFirst.preverify(List.of(genuine)));
    assertTrue(check(genuineFirst, genuine));
    genuineFirst.use(genuineFirst.preverify(List.of(forged)));
    assertFalse(check(genuineFirst, forged), "a cached genuine verdict must not cover other bytes");

    PreverifyingVerifier forgedFirst = new PreverifyingVerifier();
    forgedFirst.use(forgedFirst.preverify(List.of(forged)));
    assertFalse(check(forgedFirst, forged));
    forgedFirst.use(forgedFirst.preverify(List.of(genuine)));
    assertTrue(check(forgedFirst, genuine), "a forged copy must not suppress the genuine one");
    forgedFirst.use(java.util.Map.of());
    assertTrue(check(forgedFirst, genuine));
    assertFalse(check(forgedFirst, forged));
  }

  @Test
  void shouldRefuseMissingOrMalformedSignatures() {
    PreverifyingVerifier v = new PreverifyingVerifier();
    PubMessage genuine = signed(new byte[] {1}, 1);
    byte[] key = PeerId.fromBytes(genuine.from()).inlinedPublicKeyProtobuf();
    assertFalse(v.verify(key, SigningBytes.of(genuine), null));
    assertFalse(v.verify(key, SigningBytes.of(genuine), new byte[5]));
    assertFalse(v.verify(new byte[] {1, 2}, SigningBytes.of(genuine), genuine.signature()));
  }
}
