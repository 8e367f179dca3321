package dev.weft.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.demo.DemoCommand;
import dev.weft.cli.demo.LocalMesh;
import dev.weft.cli.metrics.NodeMetrics;
import dev.weft.cli.topology.Topology;
import dev.weft.core.identity.PeerId;
import dev.weft.health.quarantine.PeerReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A short {@code weft demo} (tree routing on): the scenario runs, honest nodes get (nearly) every
 * message, the spammer is quarantined by its neighbours and no honest peer by anyone, the trees
 * reroute after the congestion, and the summary's numbers are the nodes' own metrics.
 */
class DemoTest {
  /** What the test reads straight from the nodes before they stop. */
  record Observed(long published, long expected, long delivered, long reroutes, long quarantines,
      Map<String, List<String>> isolated, Map<String, List<String>> honestEverIsolated) {}

  @Test
  void shortDemoDeliversQuarantinesTheSpammerOnlyAndReportsTheNodesOwnMetrics() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicReference<ObjectNode> summary = new AtomicReference<>();
    AtomicReference<Observed> seen = new AtomicReference<>();
    CommandLine cl = new CommandLine(new DemoCommand((mesh, s) -> {
      summary.set(s.deepCopy());
      seen.set(observe(mesh));
    }));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute("--duration", "30", "--plain", "--seed", "7");
    String text = out.toString();
    assertEquals(0, code, err + text);
    assertTrue(text.contains("weft demo: 12 nodes"), text);
    assertTrue(text.contains("tree routing"), text);
    assertTrue(text.contains("congest relay-1 <-> relay-2"), text);
    assertTrue(text.contains("kill relay-3"), text);
    assertTrue(text.contains("spammer joins"), text);
    assertTrue(text.contains("relay-3   relay      killed"), text);
    ObjectNode s = summary.get();
    Observed o = seen.get();
    String json = s.toString();
    assertTrue(text.contains("summary " + json), "the printed summary line is the one checked");

    // the summary's numbers are the nodes' own counters
    assertEquals(o.published(), s.path("published").asLong(), json);
    assertEquals(o.expected(), s.path("expected").asLong(), json);
    assertEquals(o.delivered(), s.path("delivered").asLong(), json);
    assertTrue(o.reroutes() >= s.path("reroutes").asLong()
        && o.reroutes() - s.path("reroutes").asLong() <= 5, "reroutes " + o + " " + json);
    assertTrue(o.quarantines() >= s.path("quarantines").asLong(), o + " " + json);

    // 60 honest messages/s for 30 s; honest live nodes get nearly all of them
    assertTrue(s.path("published").asLong() > 600, json);
    assertTrue(s.path("deliveryPct").asDouble() >= 99.0, "delivery to honest nodes: " + json);
    assertTrue(s.path("medianP50Ms").asDouble() > 0, json);

    // the spammer is quarantined by its honest neighbours, and nobody honest by anyone
    assertTrue(s.path("spam").asLong() > 0 && s.path("spamRejected").asLong() > 0, json);
    assertEquals(List.of("spammer"), new ArrayList<>(o.isolated().keySet()),
        "only the spammer is isolated: " + o.isolated());
    List<String> by = o.isolated().get("spammer");
    for (String n : List.of("relay-1", "relay-2", "sub-1")) {
      assertTrue(by.stream().anyMatch(b -> b.startsWith(n + "(")), n + " isolated the spammer: "
          + by);
    }
    assertEquals(Map.of(), o.honestEverIsolated(), "no honest peer was ever quarantined");

    // the trees rerouted after the congestion
    assertTrue(s.path("reroutesAfterCongestion").asLong() > 0, json);
  }

  /** Reads every live node's registry and health monitor directly. */
  static Observed observe(LocalMesh mesh) {
    Map<String, String> nameOf = new HashMap<>();
    for (LocalMesh.Member m : mesh.members().values()) {
      if (m.node != null) {
        nameOf.put(m.node.peerId().toBase58(), m.spec.name());
      }
    }
    Map<String, Long> publishedPerTopic = new HashMap<>();
    long published = 0;
    for (LocalMesh.Member m : mesh.members().values()) {
      if (m.node != null && m.spec.role() != Topology.Role.attacker) {
        for (String t : m.node.options().topics) {
          long n = m.node.metrics().count("weft_messages_published_total", "topic", t);
          publishedPerTopic.merge(t, n, Long::sum);
          published += n;
        }
      }
    }
    long expected = 0;
    long delivered = 0;
    long reroutes = 0;
    long quarantines = 0;
    Map<String, List<String>> isolated = new TreeMap<>();
    Map<String, List<String>> honestEver = new TreeMap<>();
    for (LocalMesh.Member m : mesh.members().values()) {
      if (m.node == null || m.spec.role() == Topology.Role.attacker) {
        continue;
      }
      NodeMetrics mx = m.node.metrics();
      reroutes += mx.total("weft_reroutes_total") + mx.treeReroutes();
      quarantines += mx.total("weft_quarantines_total");
      if (m.killed) {
        continue;
      }
      for (String t : m.node.options().topics) {
        long own = mx.count("weft_messages_published_total", "topic", t);
        expected += publishedPerTopic.getOrDefault(t, 0L) - own;
        delivered += mx.count("weft_messages_delivered_total", "topic", t);
      }
      for (PeerReport.Summary s : m.node.health().list()) {
        String peer = nameOf.getOrDefault(s.peer().toBase58(), s.peer().toBase58());
        if (s.state().isIsolated() || s.state().name().equals("PROBATION")) {
          isolated.computeIfAbsent(peer, k -> new ArrayList<>()).add(m.spec.name() + "("
              + s.state() + ")");
        }
        if (!peer.equals("spammer")) {
          PeerId id = s.peer();
          boolean ever = m.node.health().explain(id).history().stream()
              .anyMatch(t -> t.to().isIsolated());
          if (ever) {
            honestEver.computeIfAbsent(peer, k -> new ArrayList<>()).add(m.spec.name());
          }
        }
      }
    }
    return new Observed(published, expected, delivered, reroutes, quarantines, isolated,
        honestEver);
  }
}
