package dev.weft.net.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Known-answer tests against the public cacophony vector for Noise_XX_25519_ChaChaPoly_SHA256
 * (haskell-cryptography/cacophony vectors/cacophony.txt; also shipped by snow): prologue
 * "John Galt", fixed statics and ephemerals, three handshake messages then three transport messages.
 */
class NoiseKnownAnswerTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] PROLOGUE = HEX.parseHex("4a6f686e2047616c74");
  private static final byte[] INIT_STATIC =
      HEX.parseHex("e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1");
  private static final byte[] INIT_EPHEMERAL =
      HEX.parseHex("893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a");
  private static final byte[] RESP_STATIC =
      HEX.parseHex("4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893");
  private static final byte[] RESP_EPHEMERAL =
      HEX.parseHex("bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b");
  private static final String HANDSHAKE_HASH =
      "c8e5f64e846193be2a834104c2a009868d6c9f3bd3c186299888b488b2f1f58e";
  private static final String[][] MESSAGES = {
    {"4c756477696720766f6e204d69736573",
     "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573"},
    {"4d757272617920526f746862617264",
     "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f14480884381cbad1f276e038c48378ffce2b6528"
         + "5e08d6b68aaa3629a5a8639392490e5b9bd5269c2f1e4f488ed8831161f19b7815528f8982ffe09be9b5c412f8a0db5"
         + "0f8814c7194e83f23dbd8d162c9326ad"},
    {"462e20412e20486179656b",
     "c7195ffacac1307ff99046f219750fc47693e23c3cb08b89c2af808b444850a80ae475b9df0f169ae80a89be0865b57f"
         + "58c9fea0d4ec82a286427402f113e4b6ae769a1d95941d49b25030"},
    {"4361726c204d656e676572", "96763ed773f8e47bb3712f0e29b3060ffc956ffc146cee53d5e1df"},
    {"4a65616e2d426170746973746520536179",
     "3e40f15f6f3a46ae446b253bf8b1d9ffb6ed9b174d272328ff91a7e2e5c79c07f5"},
    {"457567656e2042f6686d20766f6e2042617765726b",
     "eb3f3515110702e047a6c9da4478b6ead94873c11c0f2d710ddb3f09fce024b3a58502ae3f"},
  };

  @Test
  void shouldReproduceCacophonyXxVectorInBothRoles() throws Exception {
    SecureRandom unused = new SecureRandom();
    HandshakeState init = new HandshakeState(true, PROLOGUE, X25519Keys.KeyPair.fromPrivate(INIT_STATIC),
        unused, INIT_EPHEMERAL);
    HandshakeState resp = new HandshakeState(false, PROLOGUE, X25519Keys.KeyPair.fromPrivate(RESP_STATIC),
        unused, RESP_EPHEMERAL);
    for (int i = 0; i < 3; i++) {
      HandshakeState writer = i % 2 == 0 ? init : resp;
      HandshakeState reader = i % 2 == 0 ? resp : init;
      byte[] payload = HEX.parseHex(MESSAGES[i][0]);
      byte[] msg = writer.writeMessage(payload);
      assertEquals(MESSAGES[i][1], HEX.formatHex(msg), "handshake message " + (i + 1));
      assertArrayEquals(payload, reader.readMessage(msg));
    }
    assertEquals(HANDSHAKE_HASH, HEX.formatHex(init.handshakeHash()));
    assertEquals(HANDSHAKE_HASH, HEX.formatHex(resp.handshakeHash()));
    assertArrayEquals(X25519Keys.publicFromPrivate(RESP_STATIC), init.remoteStatic());
    assertArrayEquals(X25519Keys.publicFromPrivate(INIT_STATIC), resp.remoteStatic());

    HandshakeState.TransportCiphers ic = init.split();
    HandshakeState.TransportCiphers rc = resp.split();
    for (int i = 3; i < MESSAGES.length; i++) {
      // The vector alternates senders: after the initiator's message 3 the responder speaks first.
      boolean initiatorSends = i % 2 == 0;
      CipherState enc = initiatorSends ? ic.send() : rc.send();
      CipherState dec = initiatorSends ? rc.receive() : ic.receive();
      byte[] payload = HEX.parseHex(MESSAGES[i][0]);
      byte[] ct = enc.encryptWithAd(new byte[0], payload);
      assertEquals(MESSAGES[i][1], HEX.formatHex(ct), "transport message " + (i + 1));
      assertArrayEquals(payload, dec.decryptWithAd(new byte[0], ct));
    }
  }

  @Test
  void shouldRejectTamperedHandshakeMessageTwo() throws Exception {
    SecureRandom unused = new SecureRandom();
    HandshakeState init = new HandshakeState(true, PROLOGUE, X25519Keys.KeyPair.fromPrivate(INIT_STATIC),
        unused, INIT_EPHEMERAL);
    init.writeMessage(HEX.parseHex(MESSAGES[0][0]));
    byte[] msg2 = HEX.parseHex(MESSAGES[1][1]);
    msg2[40] ^= 1;
    assertThrows(NoiseException.class, () -> init.readMessage(msg2));
  }

  @Test
  void shouldFailWhenProloguesDiffer() throws Exception {
    SecureRandom rnd = new SecureRandom();
    HandshakeState init = new HandshakeState(true, new byte[0], X25519Keys.KeyPair.generate(rnd), rnd);
    HandshakeState resp = new HandshakeState(false, PROLOGUE, X25519Keys.KeyPair.generate(rnd), rnd);
    resp.readMessage(init.writeMessage(new byte[0]));
    byte[] msg2 = resp.writeMessage(new byte[0]);
    assertThrows(NoiseException.class, () -> init.readMessage(msg2));
  }

  @Test
  void shouldUseLittleEndianCounterNonceAndFailAtExhaustion() throws Exception {
    byte[] key = new byte[32];
    CipherState a = new CipherState();
    a.initializeKey(key);
    CipherState b = new CipherState(new ChaChaPolyAead.Jdk());
    b.initializeKey(key);
    a.setNonce(0x0102030405060708L);
    b.setNonce(0x0102030405060708L);
    byte[] pt = "hello".getBytes();
    byte[] ct = a.encryptWithAd(new byte[0], pt);
    // The JDK back end agrees byte for byte (same nonce layout), and decrypts BC's output.
    assertArrayEquals(ct, b.encryptWithAd(new byte[0], pt));
    CipherState c = new CipherState(new ChaChaPolyAead.Jdk());
    c.initializeKey(key);
    c.setNonce(0x0102030405060708L);
    assertArrayEquals(pt, c.decryptWithAd(new byte[0], ct));

    byte[] nonce = new byte[12];
    ChaChaPolyAead.noiseNonce(0x0102030405060708L, nonce);
    assertEquals("000000000807060504030201", HEX.formatHex(nonce));

    a.setNonce(-2L); // 2^64-2: the last usable nonce
    a.encryptWithAd(new byte[0], pt);
    assertEquals(-1L, a.nonce());
    assertThrows(NoiseException.class, () -> a.encryptWithAd(new byte[0], pt));
  }
}
