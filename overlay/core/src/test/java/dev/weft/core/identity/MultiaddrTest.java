package dev.weft.core.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultiaddrTest {
  static final String B58 = PeerIdTextTest.B58;
  static final String MH = PeerIdTextTest.MH;

  private static void assertKnownAnswer(String text, String hex) {
    Multiaddr fromText = Multiaddr.parse(text);
    assertEquals(hex, Hex.s(fromText.toBytes()), text);
    Multiaddr fromBytes = Multiaddr.fromBytes(Hex.b(hex));
    assertEquals(text, fromBytes.toString());
    assertEquals(fromText, fromBytes);
    assertEquals(fromText.hashCode(), fromBytes.hashCode());
  }

  @Test
  void shouldMatchDigestKnownAnswerBytes() {
    assertKnownAnswer("/ip4/127.0.0.1/tcp/4001", "047f000001060fa1");
    assertKnownAnswer("/ip6/::1/tcp/4001", "2900000000000000000000000000000001060fa1");
    assertKnownAnswer("/dns/example.com/tcp/443", "350b6578616d706c652e636f6d0601bb");
    assertKnownAnswer("/dns4/example.com/tcp/443/ws", "360b6578616d706c652e636f6d0601bbdd03");
    assertKnownAnswer("/ip4/1.2.3.4/tcp/4001/p2p/" + B58, "0401020304060fa1a50326" + MH);
  }

  @Test
  void shouldRoundTripEveryKnownProtocol() {
    String[] addrs = {
        "/ip4/0.0.0.0/udp/0/quic-v1",
        "/ip6/2001:db8::8a2e:370:7334/tcp/65535/tls/ws",
        "/ip6zone/eth0/ip6/fe80::1/tcp/1",
        "/dns6/a.example/tcp/443/wss",
        "/dnsaddr/bootstrap.libp2p.io",
        "/ip4/1.2.3.4/tcp/1/noise",
        "/ip4/1.2.3.4/udp/1/quic",
        "/ip4/1.2.3.4/udp/1/quic-v1/webtransport/certhash/uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
        "/ip4/1.2.3.4/tcp/443/tls/sni/example.com/http",
        "/ip4/1.2.3.4/tcp/443/https",
        "/ip4/1.2.3.4/udp/1/webrtc-direct",
        "/ip4/1.2.3.4/tcp/1/p2p/" + B58 + "/p2p-circuit/webrtc/p2p/" + B58,
    };
    for (String a : addrs) {
      Multiaddr m = Multiaddr.parse(a);
      assertEquals(a, m.toString());
      assertEquals(m, Multiaddr.fromBytes(m.toBytes()));
      assertEquals(a, Multiaddr.fromBytes(m.toBytes()).toString());
    }
  }

  @Test
  void shouldNormaliseIpfsAliasAndCidPeerIdToP2pBase58() {
    Multiaddr a = Multiaddr.parse("/ip4/1.2.3.4/tcp/1/ipfs/" + B58);
    Multiaddr b = Multiaddr.parse("/ip4/1.2.3.4/tcp/1/p2p/" + PeerIdTextTest.CID);
    assertEquals(a, b);
    assertEquals("/ip4/1.2.3.4/tcp/1/p2p/" + B58, b.toString());
  }

  @Test
  void shouldPrintIp6InCanonicalForm() {
    assertEquals("/ip6/2001:db8::1", Multiaddr.parse("/ip6/2001:0DB8:0:0:0:0:0:1").toString());
    assertEquals("/ip6/::", Multiaddr.parse("/ip6/0:0:0:0:0:0:0:0").toString());
    assertEquals("/ip6/1:0:1:1:1:1:1:1", Multiaddr.parse("/ip6/1::1:1:1:1:1:1").toString());
    assertEquals("/ip6/::ffff:102:304", Multiaddr.parse("/ip6/::ffff:1.2.3.4").toString());
    assertEquals("/ip6/1::", Multiaddr.parse("/ip6/1::").toString());
  }

  @Test
  void shouldExposeHostPortsAndPeerId() {
    Multiaddr m = Multiaddr.parse("/ip4/10.0.0.1/tcp/4001/p2p/" + B58);
    assertEquals(Optional.of("10.0.0.1"), m.host());
    assertEquals(OptionalInt.of(4001), m.tcpPort());
    assertEquals(OptionalInt.empty(), m.udpPort());
    assertEquals(Optional.of(PeerId.fromBase58(B58)), m.peerId());
    assertEquals("/ip4/10.0.0.1/tcp/4001", m.withoutPeerId().toString());
    assertEquals(m, m.withoutPeerId().withPeerId(PeerId.fromBase58(B58)));
    assertEquals(m, m.withPeerId(PeerId.fromBase58(B58)));
    Multiaddr q = Multiaddr.parse("/dns6/h.example/udp/9/quic-v1");
    assertEquals(Optional.of("h.example"), q.host());
    assertEquals(OptionalInt.of(9), q.udpPort());
    assertEquals(Optional.empty(), q.peerId());
    assertSame(q, q.withoutPeerId());
    assertTrue(q.has(MultiaddrProtocol.QUIC_V1));
    assertFalse(q.has(MultiaddrProtocol.TCP));
  }

  @Test
  void shouldBuildIpTcpAddressFromRawBytes() {
    assertEquals("/ip4/10.1.2.3/tcp/4001", Multiaddr.ipTcp(Hex.b("0a010203"), 4001).toString());
    assertEquals("/ip6/::1/tcp/9",
        Multiaddr.ipTcp(Hex.b("00000000000000000000000000000001"), 9).toString());
    assertArrayEquals(Hex.b("0a010203"),
        Multiaddr.parse("/ip4/10.1.2.3/tcp/1").first(MultiaddrProtocol.IP4).orElseThrow().value());
    assertThrows(IllegalArgumentException.class, () -> Multiaddr.ipTcp(new byte[5], 1));
    assertThrows(IllegalArgumentException.class, () -> Multiaddr.ipTcp(new byte[4], 65536));
  }

  @Test
  void shouldReturnTargetPeerIdForCircuitAddress() {
    PeerId relay = PeerId.fromBase58(B58);
    PeerId target = PeerId.parse("16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY");
    Multiaddr m = Multiaddr.parse("/ip4/1.2.3.4/tcp/1/p2p/" + relay + "/p2p-circuit/p2p/" + target);
    assertEquals(Optional.of(target), m.peerId());
    assertEquals(Optional.of(relay), m.withoutPeerId().peerId());
  }

  @Test
  void shouldEncapsulateAndListComponents() {
    Multiaddr m = Multiaddr.parse("/ip4/1.2.3.4").encapsulate("/tcp/80").encapsulate(
        Multiaddr.parse("/ws"));
    assertEquals("/ip4/1.2.3.4/tcp/80/ws", m.toString());
    List<Multiaddr.Component> cs = m.components();
    assertEquals(3, cs.size());
    assertEquals(MultiaddrProtocol.TCP, cs.get(1).protocol());
    assertEquals("80", cs.get(1).valueString());
    assertEquals(Multiaddr.of(cs), m);
    assertThrows(UnsupportedOperationException.class, () -> cs.remove(0));
  }

  @Test
  void shouldTreatSlashAsEmptyAndAcceptOneTrailingSlash() {
    assertTrue(Multiaddr.parse("/").isEmpty());
    assertEquals("/", Multiaddr.empty().toString());
    assertEquals(0, Multiaddr.fromBytes(new byte[0]).toBytes().length);
    assertEquals(Multiaddr.parse("/ip4/1.2.3.4/tcp/5"), Multiaddr.parse("/ip4/1.2.3.4/tcp/5/"));
  }

  private static String rejectText(String text) {
    return assertThrows(IllegalArgumentException.class, () -> Multiaddr.parse(text), text)
        .getMessage();
  }

  @Test
  void shouldRejectOutOfRangePortNamingComponentAndRule() {
    assertEquals("tcp port 70000 out of range 0..65535 in /ip4/1.2.3.4/tcp/70000",
        rejectText("/ip4/1.2.3.4/tcp/70000"));
  }

  @Test
  void shouldRejectMalformedTextWithClearMessages() {
    assertTrue(rejectText("ip4/1.2.3.4").contains("must start with '/'"));
    assertTrue(rejectText("/ip4/1.2.3.4/foo/1").contains("unknown protocol 'foo'"));
    assertTrue(rejectText("/ip4/1.2.3.4/tcp").contains("requires a value"));
    assertTrue(rejectText("/ip4/256.0.0.1").contains("ip4 address '256.0.0.1'"));
    assertTrue(rejectText("/ip4//tcp/1").contains("ip4 address ''"));
    assertTrue(rejectText("//").contains("empty protocol name"));
    assertTrue(rejectText("/udp/-1").contains("udp port '-1'"));
    assertTrue(rejectText("/p2p/QmNotAPeer").contains("/p2p"));
    assertTrue(rejectText("/ip6/1:2:3").contains("ip6 address"));
    for (String bad : new String[] {"", "/ip4/01.2.3.4", "/ip4/1.2.3", "/ip4/1.2.3.4.5",
        "/ip6/1::2::3", "/ip6/12345::", "/ip6/::1%eth0", "/ip6/1:2:3:4:5:6:7:8:9", "/ip6/g::",
        "/ip6/1:2:3:4:5:6:7::8", "/tcp/1x", "/tcp/", "/dns4/", "/p2p/", "/p2p/bafyjunk",
        "/certhash/", "/certhash/xyz", "/ip4/1.2.3.4/tcp/1//", "/ip4/1.2.3.4/tcp/123456"}) {
      rejectText(bad);
    }
    rejectText("/dns/" + "a".repeat(256));
    rejectText("/" + "ws/".repeat(1500));
  }

  private static String rejectBytes(String hex) {
    return assertThrows(IllegalArgumentException.class, () -> Multiaddr.fromBytes(Hex.b(hex)), hex)
        .getMessage();
  }

  @Test
  void shouldRejectTruncatedGarbageAndOversizedBytes() {
    assertTrue(rejectBytes("047f0000").contains("truncated /ip4"));
    assertTrue(rejectBytes("047f000001060f").contains("truncated /tcp"));
    assertTrue(rejectBytes("ff").contains("truncated varint"));
    assertTrue(rejectBytes("07").contains("unknown multiaddr protocol code 0x7"));
    assertTrue(rejectBytes("35ffffffff0f61").contains("exceeds the remaining"));
    assertTrue(rejectBytes("3500").contains("empty /dns"));
    assertTrue(rejectBytes("3502c328").contains("UTF-8"));
    assertTrue(rejectBytes("a5030400010203").contains("/p2p"));
    rejectBytes("a503");
    rejectBytes("8080808080808080808001");
    byte[] big = new byte[Multiaddr.MAX_BYTES + 1];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) 0xdd;
    }
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Multiaddr.fromBytes(big))
        .getMessage().contains("max 1024"));
    assertThrows(IllegalArgumentException.class, () -> Multiaddr.fromBytes(null));
  }

  @Test
  void shouldNeverThrowAnythingButIllegalArgumentOnRandomBytes() {
    Random r = new Random(42);
    byte[] valid = Multiaddr.parse("/ip4/1.2.3.4/tcp/4001/p2p/" + B58 + "/dns/x.y/ws").toBytes();
    for (int i = 0; i < 5000; i++) {
      byte[] b;
      if (i % 2 == 0) {
        b = new byte[r.nextInt(64)];
        r.nextBytes(b);
      } else {
        b = valid.clone();
        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
      }
      try {
        Multiaddr m = Multiaddr.fromBytes(b);
        assertArrayEquals(b, m.toBytes());
        assertEquals(m, Multiaddr.parse(m.toString()));
      } catch (IllegalArgumentException expected) {
        // clean rejection
      }
    }
  }
}
