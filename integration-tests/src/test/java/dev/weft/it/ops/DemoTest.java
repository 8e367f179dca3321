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
 * Short {@code weft demo} runs. Both modes: the scenario runs, the spammer is quarantined by its
 * three neighbours, and the summary's numbers are the nodes' own metrics. Plain GossipSub: honest
 * nodes get (nearly) every message and no honest peer is quarantined by anyone. Tree routing (the
 * demo's default): the trees reroute after the congestion and send fewer copies per message than
 * plain GossipSub. (Delivery and honest isolations are not asserted for trees: on the starved
 * shared machine the tree demo loses messages, see docs/operations.md.)
 */
class DemoTest {
  /** What the test reads straight from the nodes before they stop. */
  record Observed(long published, long expected, long delivered, long reroutes, long quarantines,
      Map<String, List<String>> isolated, Map<String, List<String>> honestEverIsolated) {}

  record Run(String text, ObjectNode summary, Observed observed) {}

  static Run demo(String... extra) {
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
    List<String> args = new ArrayList<>(List.of("--duration", "20", "--plain", "--seed", "7"));
    args.addAll(List.of(extra));
    int code = cl.execute(args.toArray(String[]::new));
    String text = out.toString();
    assertEquals(0, code, err + text);
    assertTrue(text.contains("weft demo: 12 nodes"), text);
    assertTrue(text.contains("congest relay-1 <-> relay-2"), text);
    assertTrue(text.contains("kill relay-3"), text);
    assertTrue(text.contains("spammer joins"), text);
    assertTrue(text.contains("relay-3   relay      killed"), text);
    ObjectNode s = summary.get();
    Observed o = seen.get();
    String json = s.toString();
    assertTrue(text.contains("summary " + json), "the printed summary line is the one checked");

    // the summary's numbers are the nodes' own counters (traffic stopped before the summary;
    // counters that heartbeats move may only have grown since)
    assertEquals(o.published(), s.path("published").asLong(), json);
    assertEquals(o.expected(), s.path("expected").asLong(), json);
    assertEquals(o.delivered(), s.path("delivered").asLong(), json);
    assertTrue(o.reroutes() >= s.path("reroutes").asLong()
        && o.reroutes() - s.path("reroutes").asLong() <= 5, "reroutes " + o + " " + json);
    assertTrue(o.quarantines() >= s.path("quarantines").asLong(), o + " " + json);
    // 60 honest messages/s for 20 s
    assertTrue(s.path("published").asLong() > 600, json);
    assertTrue(s.path("medianP50Ms").asDouble() > 0, json);

    // the spammer is quarantined by its three honest neighbours
    assertTrue(s.path("spam").asLong() > 0 && s.path("spamRejected").asLong() > 0, json);
    List<String> by = o.isolated().getOrDefault("spammer", List.of());
    for (String n : List.of("relay-1", "relay-2", "sub-1")) {
      assertTrue(by.stream().anyMatch(b -> b.startsWith(n + "(")), n + " isolated the spammer: "
          + o.isolated());
    }
    return new Run(text, s, o);
  }

  @Test
  void plainGossipDemoDeliversAndQuarantinesOnlyTheSpammer() {
    Run r = demo("--plain-gossip");
    String json = r.summary().toString();
    assertTrue(r.text().contains("plain GossipSub"), r.text());
    assertTrue(r.summary().path("deliveryPct").asDouble() >= 99.0, "delivery to honest nodes: "
        + json);
    assertEquals(List.of("spammer"), new ArrayList<>(r.observed().isolated().keySet()),
        "only the spammer is isolated: " + r.observed().isolated());
    assertEquals(Map.of(), r.observed().honestEverIsolated(), "no honest peer ever quarantined");
  }

  @Test
  void treeDemoReroutesAfterTheCongestionWithFewerCopies() {
    Run r = demo();
    String json = r.summary().toString();
    assertTrue(r.text().contains("tree routing"), r.text());
    assertTrue(r.summary().path("reroutesAfterCongestion").asLong() > 0, json);
    // plain GossipSub sends each message over every mesh link (2-3 copies per delivered message
    // in this topology); trees send one eager copy per link of the tree plus repairs
    double copies = r.summary().path("copiesPerMessage").asDouble();
    assertTrue(copies > 0 && copies < 1.8, "copies per message with trees: " + json);
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
