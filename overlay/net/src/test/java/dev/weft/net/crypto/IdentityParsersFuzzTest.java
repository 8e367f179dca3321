package dev.weft.net.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import java.nio.charset.StandardCharsets;

/**
 * Identity parsers (multiaddr, peer ID, libp2p key protobuf, signed envelope, peer record): each
 * either succeeds or throws {@link IllegalArgumentException}; anything else (NPE, index errors, OOM
 * from an unchecked length) fails. What parses must re-encode to a value that parses equal, and
 * stay within the type's stated size bound. The seed corpus replays in every build; set {@code
 * JAZZER_FUZZ=1} to fuzz (see docs/fuzzing.md).
 */
class IdentityParsersFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void multiaddrBytes(byte[] bytes) {
    Multiaddr m;
    try {
      m = Multiaddr.fromBytes(bytes);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertTrue(bytes.length <= Multiaddr.MAX_BYTES);
    assertEquals(m, Multiaddr.fromBytes(m.toBytes()), "binary round trip");
    assertEquals(m, Multiaddr.parse(m.toString()), "text round trip");
  }

  @FuzzTest(maxDuration = "30s")
  void multiaddrText(byte[] bytes) {
    Multiaddr m;
    try {
      m = Multiaddr.parse(new String(bytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertEquals(m, Multiaddr.fromBytes(m.toBytes()), "binary round trip");
    assertEquals(m, Multiaddr.parse(m.toString()), "text round trip");
  }

  @FuzzTest(maxDuration = "30s")
  void peerId(byte[] bytes) {
    PeerId fromBytes = null;
    try {
      fromBytes = PeerId.fromBytes(bytes);
    } catch (IllegalArgumentException expected) {
      // fall through to the text forms
    }
    if (fromBytes != null) {
      assertTrue(fromBytes.length() <= PeerId.MAX_BYTES);
      assertArrayEquals(bytes, fromBytes.toBytes());
      assertEquals(fromBytes, PeerId.parse(fromBytes.toBase58()));
      assertEquals(fromBytes, PeerId.parse(fromBytes.toCidString()));
      assertEquals(fromBytes, PeerId.fromCidBytes(fromBytes.toCidBytes()));
    }
    try {
      PeerId p = PeerId.parse(new String(bytes, StandardCharsets.UTF_8));
      assertEquals(p, PeerId.fromBytes(p.toBytes()));
    } catch (IllegalArgumentException expected) {
      // clean rejection
    }
    try {
      PeerId p = PeerId.fromCidBytes(bytes);
      assertEquals(p, PeerId.fromBytes(p.toBytes()));
    } catch (IllegalArgumentException expected) {
      // clean rejection
    }
  }

  @FuzzTest(maxDuration = "30s")
  void publicKeyProtobuf(byte[] bytes) {
    PubKey key;
    try {
      key = Keys.unmarshalPublicKey(bytes);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertTrue(bytes.length <= Keys.MAX_KEY_PROTOBUF_BYTES);
    PubKey again = Keys.unmarshalPublicKey(Keys.marshalPublicKey(key));
    assertEquals(key.peerId(), again.peerId(), "peer ID changed across a marshal round trip");
    assertEquals(key.peerId(), PeerId.fromPublicKeyProtobuf(Keys.marshalPublicKey(key)));
    // garbage signatures are refused (false), never thrown over
    key.verify(bytes, new byte[0]);
    key.verify(bytes, bytes);
  }

  @FuzzTest(maxDuration = "30s")
  void privateKeyProtobuf(byte[] bytes) {
    PrivKey key;
    try {
      key = Keys.unmarshalPrivateKey(bytes);
    } catch (IllegalArgumentException expected) {
      return;
    }
    byte[] msg = "fuzz".getBytes(StandardCharsets.UTF_8);
    assertTrue(key.publicKey().verify(msg, key.sign(msg)), "a parsed private key signs verifiably");
    assertEquals(key.publicKey().peerId(),
        Keys.unmarshalPrivateKey(Keys.marshalPrivateKey(key)).publicKey().peerId());
  }

  @FuzzTest(maxDuration = "30s")
  void signedPeerRecordEnvelope(byte[] bytes) {
    SignedEnvelope env;
    try {
      env = SignedEnvelope.open(bytes, PeerRecord.DOMAIN);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertTrue(bytes.length <= SignedEnvelope.MAX_BYTES);
    SignedEnvelope again = SignedEnvelope.open(env.toBytes(), PeerRecord.DOMAIN);
    assertEquals(env.signer(), again.signer());
    assertArrayEquals(env.payload(), again.payload());
    try {
      PeerRecord r = PeerRecord.fromEnvelope(env);
      assertEquals(env.signer(), r.peerId(), "a record is accepted only from its own peer");
    } catch (IllegalArgumentException expected) {
      // clean rejection of the payload
    }
  }

  @FuzzTest(maxDuration = "30s")
  void peerRecordProtobuf(byte[] bytes) {
    PeerRecord r;
    try {
      r = PeerRecord.fromProtobuf(bytes);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertEquals(r, PeerRecord.fromProtobuf(r.toProtobuf()), "record round trip");
  }
}
