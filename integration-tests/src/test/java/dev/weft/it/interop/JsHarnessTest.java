package dev.weft.it.interop;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves the js interop harness itself (js ↔ js, no weft code involved): peer.mjs processes start,
 * connect, identify each other, ping, exchange gossipsub messages, and are gone after close.
 */
@Timeout(value = 60)
class JsHarnessTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  @BeforeAll
  static void requireNode() {
    NodeCheck.requireJsEnvironment();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void shouldIdentifyPingAndGossipBetweenTwoJsPeers() {
    List<JsPeer> ab = JsPeer.startAll(List.of(
        new JsPeer.Options().name("a").agentVersion("weft-harness-a/1"),
        new JsPeer.Options().name("b").agentVersion("weft-harness-b/1")));
    JsPeer a = ab.get(0);
    JsPeer b = ab.get(1);
    try (a; b) {
      assertTrue(a.addr().endsWith("/p2p/" + a.peerId()), a.addr());

      JsonNode conn = a.dial(b.addr());
      assertEquals(b.peerId(), conn.path("peer").asText());
      assertEquals("outbound", conn.path("direction").asText());
      assertEquals("/yamux/1.0.0", conn.path("muxer").asText());
      assertEquals("/noise", conn.path("encryption").asText());

      // each side identifies the other with the expected protocols and agent version
      JsonNode idOfB = a.awaitIdentify(b.peerId(), WAIT);
      JsonNode idOfA = b.awaitIdentify(a.peerId(), WAIT);
      for (JsonNode id : List.of(idOfA, idOfB)) {
        List<String> protocols = texts(id.path("protocols"));
        assertTrue(protocols.contains("/ipfs/ping/1.0.0"), protocols.toString());
        assertTrue(protocols.contains("/ipfs/id/1.0.0"), protocols.toString());
        assertTrue(protocols.contains("/meshsub/1.2.0"), protocols.toString());
        assertEquals("ipfs/0.1.0", id.path("protocolVersion").asText());
      }
      assertEquals("weft-harness-b/1", idOfB.path("agentVersion").asText());
      assertEquals("weft-harness-a/1", idOfA.path("agentVersion").asText());
      assertEquals("weft-harness-a/1", b.identifyInfo(a.peerId()).path("agentVersion").asText());
      b.awaitEvent(e -> JsPeer.isEvent(e, "connection:open") && a.peerId().equals(e.path("peer").asText())
          && "inbound".equals(e.path("direction").asText()), WAIT);

      double rtt = a.ping(b.peerId());
      assertTrue(rtt > 0 && rtt < 5000, "rtt " + rtt);
      a.awaitEvent(e -> JsPeer.isEvent(e, "ping") && e.path("rttMs").asDouble() == rtt, WAIT);

      // gossipsub: both subscribe, a publishes once b's subscription is known, b gets the exact bytes
      a.subscribe("t");
      b.subscribe("t");
      Predicate<JsonNode> bJoinedT = e -> JsPeer.isEvent(e, "subscription-change")
          && b.peerId().equals(e.path("peer").asText())
          && e.path("subscriptions").toString().contains("\"topic\":\"t\",\"subscribe\":true");
      a.awaitEvent(bJoinedT, WAIT);
      byte[] payload = "héllo weft \u0000\u00ff".getBytes(StandardCharsets.UTF_8);
      long before = b.mark();
      JsonNode pub = a.publish("t", payload);
      assertEquals(List.of(b.peerId()), texts(pub.path("recipients")));
      String msgId = pub.path("msgId").asText();
      JsonNode msg = b.awaitMessage(before, "t", WAIT);
      assertEquals("t", msg.path("topic").asText());
      assertEquals(a.peerId(), msg.path("from").asText());
      assertEquals(msgId, msg.path("msgId").asText());
      assertEquals(pub.path("seqno").asText(), msg.path("seqno").asText());
      assertTrue(msgId.endsWith(msg.path("seqno").asText()), "go-style id = from || seqno: " + msgId);
      assertArrayEquals(payload, JsPeer.messageData(msg));
      assertTrue(Long.parseLong(msg.path("recvNs").asText()) >= Long.parseLong(pub.path("sentNs").asText()),
          "receive timestamp before send timestamp");

      // an unknown command and a failing command are reported, not hung
      JsPeerException unknown = assertThrows(JsPeerException.class, () -> a.command("no-such-command"));
      assertTrue(unknown.jsError().contains("unknown command"), unknown.getMessage());
      JsPeerException badDial = assertThrows(JsPeerException.class, () -> a.command("dial", Map.of("addr", "/not/a/multiaddr")));
      assertNotNull(badDial.jsError());
    }
    assertFalse(a.process().isAlive(), "js peer a still running after close");
    assertFalse(b.process().isAlive(), "js peer b still running after close");
    assertEquals(0, a.process().exitValue(), a.stderrTail());
  }

  @Test
  void shouldForwardAlongAChainOfJsPeersWithoutNegativeScores() {
    // p0 - p1 - p2 - p3 on one topic: a message from p0 reaches p3 only by forwarding over two meshes
    List<JsPeer> p = JsPeer.startAll(4, i -> new JsPeer.Options().name("chain" + i).topics("chain"));
    try {
      for (int i = 0; i < 3; i++) {
        p.get(i).dial(p.get(i + 1).addr());
      }
      for (int i = 0; i < 3; i++) {
        awaitInMesh(p.get(i), "chain", p.get(i + 1).peerId());
        awaitInMesh(p.get(i + 1), "chain", p.get(i).peerId());
      }
      long mark = p.get(3).mark();
      JsonNode pub = p.get(0).publish("chain", "over three hops");
      JsonNode got = p.get(3).awaitMessage(mark, "chain", WAIT);
      assertEquals("over three hops", got.path("data").asText());
      assertEquals(pub.path("msgId").asText(), got.path("msgId").asText());
      assertEquals(p.get(0).peerId(), got.path("from").asText());
      assertEquals(p.get(2).peerId(), got.path("propagationSource").asText());
      // 127.0.0.1 is colocation-whitelisted: nobody is penalised for sharing the loopback address
      for (JsPeer peer : p) {
        peer.scores().path("scores").forEach(score -> assertTrue(score.asDouble() >= 0, peer + " scores " + score));
      }
    } finally {
      p.forEach(JsPeer::close);
    }
    p.forEach(peer -> assertFalse(peer.isAlive(), peer + " still running"));
  }

  private static void awaitInMesh(JsPeer peer, String topic, String member) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
        .alias(member + " in the " + topic + " mesh of " + peer)
        .until(() -> peer.mesh(topic).contains(member));
  }

  @Test
  void shouldComputeJsStyleMessageIdsWhenAsked() {
    // js default id = PublicKey protobuf || seqno (wire digest §6.5/§9), here with the spec test key
    String seed = "7e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d";
    String publicKeyPb = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    List<JsPeer> ab = JsPeer.startAll(List.of(
        new JsPeer.Options().name("jsid-a").msgId("js").seedHex(seed).topics("ids"),
        new JsPeer.Options().name("jsid-b").msgId("js").topics("ids")));
    JsPeer a = ab.get(0);
    JsPeer b = ab.get(1);
    try (a; b) {
      assertEquals("js", a.readyEvent().path("msgId").asText());
      a.dial(b.addr());
      a.awaitEvent(JsPeer.event("subscription-change", b.peerId()), WAIT);
      long mark = b.mark();
      JsonNode pub = a.publish("ids", "id check");
      String seqno = pub.path("seqno").asText();
      assertEquals(16, seqno.length(), seqno);
      assertEquals(publicKeyPb + seqno, pub.path("msgId").asText());
      assertEquals(publicKeyPb + seqno, b.awaitMessage(mark, "ids", WAIT).path("msgId").asText());
    }
  }

  @Test
  void shouldUseMplexAndDeterministicKeyWhenAsked() {
    // spec Ed25519 test key (wire digest §9): seed 7e0830617c...0fee7d -> 12D3KooWBtg3...R3pq
    JsPeer a = JsPeer.start(new JsPeer.Options().name("mplex-a").muxer("mplex").gossipsub(false)
        .seedHex("7e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"));
    JsPeer b = JsPeer.start(new JsPeer.Options().name("mplex-b").muxer("mplex").gossipsub(false));
    try (a; b) {
      assertEquals("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq", a.peerId());
      assertEquals("/mplex/6.7.0", b.dial(a.addr()).path("muxer").asText());
      JsonNode id = b.awaitEvent(JsPeer.event("peer:identify", a.peerId()), WAIT);
      assertFalse(texts(id.path("protocols")).contains("/meshsub/1.2.0"), "gossipsub was switched off");
      JsonNode ping = b.command("ping", Map.of("peer", a.peerId(), "count", 3));
      assertEquals(3, ping.path("rtts").size());
      ping.path("rtts").forEach(r -> assertTrue(r.asDouble() > 0, "rtt " + r));
      b.hangup(a.peerId());
      b.awaitEvent(JsPeer.event("connection:close", a.peerId()), WAIT);
      assertEquals(0, b.peers().path("peers").size());
    }
    assertFalse(a.isAlive());
    assertFalse(b.isAlive());
  }

  @Test
  void shouldFailFastWhenThePeerProcessDies() {
    JsPeer a = JsPeer.start(new JsPeer.Options().name("dies").gossipsub(false));
    try (a) {
      a.process().destroy();
      JsPeerException e = assertThrows(JsPeerException.class,
          () -> a.awaitEvent(JsPeer.event("never-sent"), Duration.ofSeconds(20)));
      assertTrue(e.getMessage().contains("ended its output"), e.getMessage());
      assertThrows(JsPeerException.class, () -> a.command("info"));
    }
    assertFalse(a.isAlive());
  }
}
