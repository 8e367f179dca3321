package dev.weft.it.interop;

import static dev.weft.it.interop.GossipRecoveryInteropTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.gossip.GossipParams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PRUNE with peer exchange and backoff, both ways. A node keeping a mesh of one (D=D_lo=D_hi=1)
 * that is already full refuses an inbound GRAFT with a PRUNE carrying PX (the signed peer record
 * of its mesh peer) and a backoff. The pruned node must dial the suggested peer and must not GRAFT
 * the pruner again while the backoff lasts.
 */
class GossipPruneInteropTest extends JsInteropFixture {
  private static final String TOPIC = "weft-gossip-prune";
  private static final Duration WATCH = Duration.ofSeconds(6);

  @Test
  void jsPrunesWeftWithPxAndWeftDialsTheSuggestionAndRespectsTheBackoff() throws Exception {
    JsPeer pruner = JsPeer.start(new JsPeer.Options().name("js-pruner").topics(TOPIC)
        .degree(1, 1, 1).set("Dscore", 1).set("Dout", 0).set("doPX", true));
    closeables.add(pruner);
    JsPeer meshed = JsPeer.start(new JsPeer.Options().name("js-meshed").topics(TOPIC));
    closeables.add(meshed);
    meshed.dial(pruner.addr());
    await("js pruner meshes its first peer", Duration.ofSeconds(15),
        () -> pruner.mesh(TOPIC).contains(meshed.peerId()));

    WeftGossipNode w = new WeftGossipNode(GossipParams.specDefaults());
    closeables.add(w);
    w.subscribe(TOPIC);
    assertFalse(w.connectedTo(meshed.peerId()));
    w.dial(pruner.addr());
    String p = pruner.peerId();
    await("js prunes weft", Duration.ofSeconds(15),
        () -> !w.events("prune " + p + " " + TOPIC + " REMOTE_PRUNE").isEmpty());
    int graftsBeforePrune = w.events("graft " + p).size();
    await("weft dials the PX suggestion", Duration.ofSeconds(15),
        () -> w.connectedTo(meshed.peerId()));
    assertTrue(w.events("px " + p).stream().anyMatch(e -> !e.endsWith(" 0")), w.events("px").toString());

    Thread.sleep(WATCH.toMillis()); // several heartbeats on both sides
    assertEquals(graftsBeforePrune, w.events("graft " + p).size(),
        "weft sent no GRAFT to the pruner during its backoff: " + w.events("graft"));
    assertFalse(pruner.mesh(TOPIC).contains(w.peerId().toBase58()));
    assertTrue(w.meshHas(TOPIC, meshed.peerId()), "weft meshed the PX peer instead");
    for (JsPeer js : List.of(pruner, meshed)) {
      double s = js.scores().path("scores").path(w.peerId().toBase58()).asDouble(0);
      assertFalse(s < 0, js.name() + " scores weft at " + s);
    }
  }

  @Test
  void weftPrunesJsWithPxAndJsDialsTheSuggestionAndRespectsTheBackoff() throws Exception {
    WeftGossipNode pruner = new WeftGossipNode(GossipParams.specDefaults().toBuilder()
        .d(1).dLow(1).dHigh(1).dScore(1).dOut(0).doPx(true).build());
    closeables.add(pruner);
    WeftGossipNode meshed = new WeftGossipNode(GossipParams.specDefaults());
    closeables.add(meshed);
    pruner.subscribe(TOPIC);
    meshed.subscribe(TOPIC);
    meshed.dial(pruner.addr());
    await("weft pruner meshes its first peer", Duration.ofSeconds(15),
        () -> pruner.meshHas(TOPIC, meshed.peerId().toBase58()));

    // js accepts PX only from peers scoring at least acceptPXThreshold (10 by default); a fresh
    // peer scores 0, so the threshold is lowered to 0 for this test
    JsPeer js = JsPeer.start(new JsPeer.Options().name("js-pruned").topics(TOPIC)
        .set("scoreThresholds", Map.of("acceptPXThreshold", 0)));
    closeables.add(js);
    js.dial(pruner.addr());
    String j = js.peerId();
    await("weft prunes js", Duration.ofSeconds(15),
        () -> !pruner.events("prune " + j + " " + TOPIC + " MESH_FULL").isEmpty());
    await("js dials the PX suggestion", Duration.ofSeconds(15), () -> meshed.connectedTo(j));

    Thread.sleep(WATCH.toMillis());
    assertTrue(pruner.events("backoffViolation " + j).isEmpty(),
        "js sent no GRAFT during the backoff: " + pruner.events("backoffViolation"));
    assertEquals(1, pruner.events("prune " + j).size(), "js was refused exactly once: "
        + pruner.events("prune"));
    assertFalse(pruner.meshHas(TOPIC, j));
    assertFalse(js.mesh(TOPIC).contains(pruner.peerId().toBase58()));
    double s = js.scores().path("scores").path(pruner.peerId().toBase58()).asDouble(0);
    assertFalse(s < 0, "js scores the weft pruner at " + s);
  }
}
