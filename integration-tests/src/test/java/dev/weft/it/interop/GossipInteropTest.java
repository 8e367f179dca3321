package dev.weft.it.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostConfig;
import dev.weft.net.pubsub.PubSub;
import dev.weft.routing.tree.TreeControl;
import dev.weft.routing.tree.TreeParams;
import dev.weft.routing.tree.TreeRouter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A mixed GossipSub network of 4 weft and 4 js-libp2p (@libp2p/gossipsub 17.1.1) nodes on
 * loopback: meshes form across implementations, every message published on either side reaches
 * every subscriber, and js scores the weft peers at or above zero throughout.
 */
class GossipInteropTest extends JsInteropFixture {
  private static final String TOPIC = "weft-interop";
  private static final int N = 4;
  private static final int PER_NODE = 5;

  /** A weft node: host + pubsub, recording payloads it delivers. */
  private final class WeftNode {
    final Host host;
    final PubSub pubsub;
    final Set<String> received = ConcurrentHashMap.newKeySet();
    final TreeRouter tree;

    WeftNode() throws Exception {
      this(null);
    }

    WeftNode(TreeRouter tree) throws Exception {
      this.tree = tree;
      host = new Host(HostConfig.builder(Ed25519Keys.generate(new SecureRandom()))
          .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).build());
      closeables.add(host);
      pubsub = new PubSub(host, PubSub.Config.defaults(), tree);
      closeables.add(pubsub);
      pubsub.addListener(d -> {
        if (d.topic().equals(TOPIC)) {
          received.add(new String(d.message().data(), StandardCharsets.UTF_8));
        }
      });
      host.start();
      pubsub.subscribe(TOPIC).get(5, TimeUnit.SECONDS);
    }

    String addr() {
      return host.listenAddrs().get(0).withPeerId(host.peerId()).toString();
    }
  }

  @Test
  void mixedMeshDeliversEveryMessageToEverySubscriberAndJsScoresWeftNonNegative() throws Exception {
    List<WeftNode> wefts = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      wefts.add(new WeftNode());
    }
    mixedNetwork(wefts, 1);
  }

  /**
   * The same mixed network with weft's adaptive spanning trees on (weft nodes also dial every
   * other weft node): tree control flows only between weft peers, js peers are never made lazy,
   * and delivery stays 100% with js scores of weft peers at or above zero.
   */
  @Test
  void treeRoutingWeftNodesDeliverEverythingInAMixedNetwork() throws Exception {
    List<WeftNode> wefts = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      wefts.add(new WeftNode(new TreeRouter(TreeParams.defaults())));
    }
    for (int i = 0; i < N; i++) {
      for (int j = i + 2; j < N; j++) {
        wefts.get(i).host.dial(Multiaddr.parse(wefts.get(j).addr())).get(20, TimeUnit.SECONDS);
      }
    }
    mixedNetwork(wefts, 4);
    long controls = 0;
    for (WeftNode w : wefts) {
      TreeRouter.Stats st = w.pubsub.treeStats().get(5, TimeUnit.SECONDS);
      controls += st.controlsSent();
      System.out.println("weft " + w.host.peerId() + " tree " + st);
      for (WeftNode other : wefts) {
        if (other != w && w.host.connection(other.host.peerId()).isPresent()) {
          assertTrue(w.pubsub.treeCapable(other.host.peerId()).get(5, TimeUnit.SECONDS),
              "weft peers negotiate " + TreeControl.PROTOCOL_ID);
        }
      }
    }
    assertTrue(controls > 0, "weft nodes exchanged tree control");
    for (WeftNode w : wefts) {
      for (JsPeer js : lastJs) {
        assertFalse(w.pubsub.treeCapable(PeerId.fromBase58(js.peerId())).get(5, TimeUnit.SECONDS),
            "js peers never take part in trees");
      }
    }
  }

  private List<JsPeer> lastJs = List.of();

  /** Links js and weft nodes, waits for mixed meshes, publishes from everyone, checks all. */
  private void mixedNetwork(List<WeftNode> wefts, int rounds) throws Exception {
    List<JsPeer> jss = JsPeer.startAll(N, i -> new JsPeer.Options().name("js-gossip-" + i).topics(TOPIC));
    closeables.addAll(jss);
    lastJs = jss;

    // Topology: each weft node dials two js nodes and the next weft node; js nodes dial the next
    // js node. Every node has both weft and js neighbours.
    for (int i = 0; i < N; i++) {
      WeftNode w = wefts.get(i);
      w.host.dial(Multiaddr.parse(jss.get(i).addr())).get(20, TimeUnit.SECONDS);
      w.host.dial(Multiaddr.parse(jss.get((i + 1) % N).addr())).get(20, TimeUnit.SECONDS);
      w.host.dial(Multiaddr.parse(wefts.get((i + 1) % N).addr())).get(20, TimeUnit.SECONDS);
      jss.get(i).dial(jss.get((i + 1) % N).addr());
    }

    // Meshes form with weft and js peers mixed (heartbeat 1 s).
    Set<String> weftIds = new TreeSet<>();
    wefts.forEach(w -> weftIds.add(w.host.peerId().toBase58()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    boolean formed = false;
    while (!formed && System.nanoTime() < deadline) {
      Thread.sleep(250);
      formed = true;
      for (JsPeer js : jss) {
        formed &= js.mesh(TOPIC).stream().anyMatch(weftIds::contains);
      }
      for (WeftNode w : wefts) {
        List<PeerId> mesh = w.pubsub.meshPeers(TOPIC).get(5, TimeUnit.SECONDS);
        formed &= mesh.stream().anyMatch(p -> jss.stream().anyMatch(j -> j.peerId().equals(p.toBase58())));
      }
    }
    assertTrue(formed, "every js mesh holds a weft peer and every weft mesh holds a js peer");

    // Everyone publishes; everyone else must receive everything.
    Set<String> all = new TreeSet<>();
    long jsMark = jss.stream().mapToLong(JsPeer::mark).min().orElse(0);
    for (int k = 0; k < PER_NODE * rounds; k++) {
      for (int i = 0; i < N; i++) {
        String fromWeft = "weft-" + i + "-" + k;
        String fromJs = "js-" + i + "-" + k;
        assertEquals("PUBLISHED", wefts.get(i).pubsub.publish(TOPIC, fromWeft.getBytes(StandardCharsets.UTF_8))
            .get(5, TimeUnit.SECONDS).status().name());
        jss.get(i).publish(TOPIC, fromJs);
        all.add(fromWeft);
        all.add(fromJs);
      }
    }
    for (int i = 0; i < N; i++) {
      WeftNode w = wefts.get(i);
      Set<String> expected = new TreeSet<>(all);
      int idx = i;
      expected.removeIf(s -> s.startsWith("weft-" + idx + "-"));
      awaitAll("weft node " + i, expected, w.received, Duration.ofSeconds(20));
    }
    for (int i = 0; i < N; i++) {
      JsPeer js = jss.get(i);
      Set<String> expected = new TreeSet<>(all);
      int idx = i;
      expected.removeIf(s -> s.startsWith("js-" + idx + "-"));
      List<JsonNode> msgs = js.awaitEvents(jsMark, e -> JsPeer.isEvent(e, "message")
          && TOPIC.equals(e.path("topic").asText()), expected.size(), Duration.ofSeconds(20));
      Set<String> got = new TreeSet<>();
      msgs.forEach(m -> got.add(m.path("data").asText()));
      assertEquals(expected, got, "js node " + i + " received every message exactly");
    }

    // js never scores a weft peer below zero during a clean run.
    for (JsPeer js : jss) {
      JsonNode scores = js.scores().path("scores");
      for (Iterator<Map.Entry<String, JsonNode>> it = scores.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (weftIds.contains(e.getKey())) {
          assertFalse(e.getValue().asDouble() < 0, js.name() + " scores weft peer " + e.getKey() + " at " + e.getValue());
        }
      }
    }
  }

  private static void awaitAll(String who, Set<String> expected, Set<String> got, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!got.containsAll(expected) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(got);
    assertTrue(missing.isEmpty(), who + " is missing " + missing);
  }
}
