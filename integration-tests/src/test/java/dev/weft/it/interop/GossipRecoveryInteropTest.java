package dev.weft.it.interop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.gossip.GossipParams;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Messages cross a js-weft link that carries no mesh, so only IHAVE/IWANT can move them.
 *
 * <p>Line topology {@code jsA — jsB — weftC — weftD}. weftC keeps a mesh of one (D=D_lo=D_hi=1)
 * already filled by weftD when jsB connects, so jsB's GRAFT is refused with a PRUNE and a 60 s
 * backoff on both sides: jsB and weftC stay topic peers outside each other's mesh for the whole
 * test. A message published by jsA reaches weftD only if jsB gossips it to weftC (IHAVE) and
 * weftC fetches it (IWANT); one published by weftD reaches jsA only the other way round.
 */
class GossipRecoveryInteropTest extends JsInteropFixture {
  private static final String TOPIC = "weft-gossip-recovery";

  static void await(String what, Duration timeout, Callable<Boolean> cond) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!cond.call()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      Thread.sleep(100);
    }
  }

  @Test
  void messagesCrossANonMeshLinkThroughIHaveAndIWantBothWays() throws Exception {
    WeftGossipNode c = new WeftGossipNode(GossipParams.specDefaults().toBuilder()
        .d(1).dLow(1).dHigh(1).dScore(1).dOut(0).doPx(false).build());
    closeables.add(c);
    WeftGossipNode d = new WeftGossipNode(GossipParams.specDefaults());
    closeables.add(d);
    List<JsPeer> js = JsPeer.startAll(2, i -> new JsPeer.Options().name("js-recovery-" + i)
        .topics(TOPIC));
    closeables.addAll(js);
    JsPeer a = js.get(0);
    JsPeer b = js.get(1);
    c.subscribe(TOPIC);
    d.subscribe(TOPIC);

    d.dial(c.addr());
    await("weftC meshes weftD", Duration.ofSeconds(15), () -> c.meshHas(TOPIC, d.peerId().toBase58()));
    a.dial(b.addr());
    b.dial(c.addr());
    String bId = b.peerId();
    await("weftC refuses jsB's GRAFT", Duration.ofSeconds(15),
        () -> !c.events("prune " + bId + " " + TOPIC + " MESH_FULL").isEmpty());
    await("jsA and jsB mesh", Duration.ofSeconds(15), () -> b.mesh(TOPIC).contains(a.peerId()));

    long markA = a.mark();
    a.publish(TOPIC, "from-jsA");
    d.pubsub.publish(TOPIC, "from-weftD".getBytes()).get();
    await("weftD receives jsA's message", Duration.ofSeconds(20),
        () -> d.received.contains("from-jsA"));
    JsonNode got = a.awaitMessage(markA, TOPIC, Duration.ofSeconds(20));
    assertTrue("from-weftD".equals(got.path("data").asText()), got.toString());

    // the link jsB—weftC never became a mesh link, so both messages crossed it as gossip
    assertFalse(b.mesh(TOPIC).contains(c.peerId().toBase58()), "jsB never meshed weftC");
    assertFalse(c.meshHas(TOPIC, bId), "weftC never meshed jsB");
    assertFalse(c.events("iwantSent " + bId).isEmpty(), "weftC asked jsB with IWANT");
    assertTrue(c.events("iwantReceived " + bId).stream().anyMatch(e -> !e.endsWith(" 0")),
        "weftC served jsB's IWANT: " + c.events("iwantReceived"));
    assertFalse(c.events("ihaveSent " + bId).isEmpty(), "weftC advertised to jsB with IHAVE");

    // js never scores the weft peer below zero
    double score = b.scores().path("scores").path(c.peerId().toBase58()).asDouble(0);
    assertFalse(score < 0, "jsB scores weftC at " + score);
  }
}
