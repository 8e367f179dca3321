package dev.weft.net.crypto;

import static dev.weft.net.crypto.Vectors.b;
import static dev.weft.net.crypto.Vectors.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SignedEnvelopeTest {
  static final List<Multiaddr> ADDRS = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"));

  @Test
  void shouldEncodePeerRecordPayloadKnownAnswer() {
    PeerRecord r = new PeerRecord(PeerId.fromBase58(Vectors.ED_PEER_B58), 1, ADDRS);
    assertEquals(Vectors.RECORD_PAYLOAD, s(r.toProtobuf()));
    assertEquals(r, PeerRecord.fromProtobuf(b(Vectors.RECORD_PAYLOAD)));
  }

  @Test
  void shouldSealPeerRecordEnvelopeByteForByteLikeJs() {
    PeerRecord r = new PeerRecord(PeerId.fromBase58(Vectors.ED_PEER_B58), 1, ADDRS);
    SignedEnvelope env = r.toEnvelope(Vectors.edKey());
    assertEquals(Vectors.ENVELOPE, s(env.toBytes()));
  }

  @Test
  void shouldOpenJsEnvelopeAndDecodeRecord() {
    PeerRecord r = PeerRecord.fromEnvelope(b(Vectors.ENVELOPE));
    assertEquals(Vectors.ED_PEER_B58, r.peerId().toBase58());
    assertEquals(1, r.seq());
    assertEquals(ADDRS, r.addresses());
    SignedEnvelope env = SignedEnvelope.open(b(Vectors.ENVELOPE), PeerRecord.DOMAIN);
    assertArrayEquals(b(Vectors.RECORD_PAYLOAD), env.payload());
    assertArrayEquals(new byte[] {3, 1}, env.payloadType());
    assertEquals(Vectors.ED_PEER_B58, env.signer().toBase58());
    assertEquals(Vectors.ENVELOPE, s(env.toBytes()));
  }

  @Test
  void shouldBuildSigningBufferWithLengthPrefixes() {
    byte[] buf = SignedEnvelope.signingBuffer(PeerRecord.DOMAIN, new byte[] {3, 1},
        b(Vectors.RECORD_PAYLOAD));
    assertEquals("12" + s(PeerRecord.DOMAIN.getBytes(StandardCharsets.UTF_8)) + "020301" + "36"
        + Vectors.RECORD_PAYLOAD, s(buf));
  }

  @Test
  void shouldRejectEnvelopeUnderWrongDomain() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SignedEnvelope.open(b(Vectors.ENVELOPE), "libp2p-routing-state"));
    assertTrue(e.getMessage().contains("signature does not verify"), e.getMessage());
  }

  @Test
  void shouldRejectTamperedTruncatedOversizedAndGarbageEnvelopes() {
    byte[] env = b(Vectors.ENVELOPE);
    for (int i = 0; i < env.length; i++) {
      byte[] t = env.clone();
      t[i] ^= 0x01;
      assertThrows(IllegalArgumentException.class, () -> PeerRecord.fromEnvelope(t), "flip " + i);
    }
    for (int n = 0; n < env.length; n++) {
      byte[] cut = Arrays.copyOf(env, n);
      assertThrows(IllegalArgumentException.class, () -> PeerRecord.fromEnvelope(cut), "len " + n);
    }
    assertThrows(IllegalArgumentException.class,
        () -> SignedEnvelope.open(new byte[SignedEnvelope.MAX_BYTES + 1], PeerRecord.DOMAIN));
    assertThrows(IllegalArgumentException.class, () -> SignedEnvelope.open(null, PeerRecord.DOMAIN));
    Random r = new Random(3);
    for (int i = 0; i < 3000; i++) {
      byte[] g = new byte[r.nextInt(200)];
      r.nextBytes(g);
      assertThrows(IllegalArgumentException.class, () -> PeerRecord.fromEnvelope(g));
    }
  }

  @Test
  void shouldRejectRecordSignedByAnotherPeer() {
    PrivKey other = Keys.generate(KeyType.ED25519, new SecureRandom());
    PeerRecord forSpecPeer = new PeerRecord(PeerId.fromBase58(Vectors.ED_PEER_B58), 5, ADDRS);
    assertThrows(IllegalArgumentException.class, () -> forSpecPeer.toEnvelope(other));
    SignedEnvelope forged = SignedEnvelope.seal(other, PeerRecord.DOMAIN, PeerRecord.payloadType(),
        forSpecPeer.toProtobuf());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PeerRecord.fromEnvelope(forged.toBytes()));
    assertTrue(e.getMessage().contains("signed by a different peer"), e.getMessage());
  }

  @Test
  void shouldRejectWrongPayloadType() {
    PrivKey k = Vectors.edKey();
    SignedEnvelope env = SignedEnvelope.seal(k, PeerRecord.DOMAIN, new byte[] {0x03, 0x02},
        new PeerRecord(k.publicKey().peerId(), 1, ADDRS).toProtobuf());
    assertThrows(IllegalArgumentException.class, () -> PeerRecord.fromEnvelope(env.toBytes()));
  }

  @Test
  void shouldRoundTripSecp256k1SignedRecordWithManyAddresses() {
    PrivKey k = Keys.generate(KeyType.SECP256K1, new SecureRandom());
    PeerRecord r = new PeerRecord(k.publicKey().peerId(), -1L /* 2^64-1 */, List.of(
        Multiaddr.parse("/ip4/10.0.0.1/tcp/1"), Multiaddr.parse("/ip6/::1/udp/2/quic-v1"),
        Multiaddr.parse("/dns4/a.example/tcp/443/wss")));
    PeerRecord back = PeerRecord.fromEnvelope(r.toEnvelope(k).toBytes());
    assertEquals(r, back);
    assertTrue(back.isNewerThan(new PeerRecord(back.peerId(), Long.MAX_VALUE, List.of())));
    assertFalse(new PeerRecord(back.peerId(), 1, List.of()).isNewerThan(back));
  }

  @Test
  void shouldStripOwnTrailingPeerIdFromAddresses() {
    PeerId self = PeerId.fromBase58(Vectors.ED_PEER_B58);
    PeerRecord r = new PeerRecord(self, 1, List.of(ADDRS.get(0).withPeerId(self)));
    assertEquals(Vectors.RECORD_PAYLOAD, s(r.toProtobuf()));
    PeerId other = Keys.generate(KeyType.ED25519, new SecureRandom()).publicKey().peerId();
    Multiaddr relayed = Multiaddr.parse("/ip4/1.2.3.4/tcp/1").withPeerId(other);
    assertEquals(List.of(relayed), new PeerRecord(self, 1, List.of(relayed)).addresses());
  }

  @Test
  void shouldSkipUnparseableAddressesInRecord() {
    // record with one good address and one using unknown protocol code 0x07
    String payload = "0a26" + Vectors.ED_PEER_MH + "1001" + "1a0a0a08047f000001060fa1" + "1a030a0107";
    PeerRecord r = PeerRecord.fromProtobuf(b(payload));
    assertEquals(ADDRS, r.addresses());
  }
}
