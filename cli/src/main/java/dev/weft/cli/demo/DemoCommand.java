package dev.weft.cli.demo;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Snapshot;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.metrics.NodeMetrics;
import dev.weft.cli.node.WeftNode;
import dev.weft.cli.topology.Topology;
import dev.weft.cli.topology.TopologyLoader;
import dev.weft.core.identity.PeerId;
import dev.weft.health.quarantine.PeerReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft demo}: a local mesh streaming synthetic market data through congestion, a killed
 * relay and a spammer, with a live per-node view and a summary. Every number shown is read from
 * the nodes' own metrics registries (delivered, published, duplicates, latency histograms,
 * reroutes, quarantines).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run a local weft mesh (12 nodes from topology-configs/demo.yaml) streaming "
        + "synthetic quotes and trades; congest a link, kill a relay and add a spammer while a live "
        + "view shows per-node delivery %%, p50/p99 latency, copies per message, reroutes and "
        + "quarantines; end with a summary."})
public final class DemoCommand implements Callable<Integer> {
  static final String RESOURCE = "/topology/demo.yaml";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--duration", paramLabel = "<seconds>", defaultValue = "60",
      description = "Run time in seconds (default: ${DEFAULT-VALUE}); scenario steps in %% scale with it.")
  int duration;

  @Option(names = "--nodes", paramLabel = "<n>",
      description = "Number of nodes: fewer drops the last ones of the file, more adds subscribers "
          + "attached to two random relays (default: the file's 12).")
  Integer nodes;

  @Option(names = "--seed", paramLabel = "<n>", defaultValue = "1",
      description = "Seed of the link emulators and traffic (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--config", paramLabel = "<topology.yaml>",
      description = "Another topology instead of the embedded demo.yaml.")
  Path config;

  @Option(names = "--plain", description = "No screen redraw: print each refresh below the last.")
  boolean plain;

  @Option(names = "--plain-gossip",
      description = "Run plain GossipSub; by default honest nodes forward along adaptive spanning "
          + "trees (docs/routing.md), as `weft run --tree-routing` does.")
  boolean plainGossip;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Called with the mesh and the summary's JSON before the nodes stop (tests). */
  public interface AtEnd {
    void accept(LocalMesh mesh, ObjectNode summary) throws Exception;
  }

  private final AtEnd atEnd;

  public DemoCommand() {
    this(null);
  }

  /** A demo that hands {@code atEnd} the mesh and its summary before closing the nodes. */
  public DemoCommand(AtEnd atEnd) {
    this.atEnd = atEnd;
  }

  /** Seconds between the last publish and the summary, for messages still in flight. */
  static final int DRAIN_SECONDS = 2;

  @Override
  public Integer call() throws Exception {
    if (duration < 5 || duration > 86_400) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--duration must be in [5, 86400] seconds");
    }
    if (nodes != null && (nodes < 2 || nodes > 200)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--nodes must be in [2, 200]");
    }
    PrintWriter out = spec.commandLine().getOut();
    quietLogs();
    Topology t = config == null ? TopologyLoader.loadResource(RESOURCE) : TopologyLoader.load(config);
    if (nodes != null) {
      t = resize(t, nodes, new SplittableRandom(seed));
    }
    boolean ansi = !plain && System.console() != null && !"dumb".equals(System.getenv("TERM"));
    out.println("weft demo: " + t.nodes().size() + " nodes (" + t.name() + "), " + duration + " s, seed " + seed
        + (plainGossip ? ", plain GossipSub" : ", tree routing"));
    out.flush();
    List<String> events = new ArrayList<>();
    List<Topology.Step> steps = new ArrayList<>(t.scenario());
    steps.sort(Comparator.comparingDouble(s -> LocalMesh.at(s, duration)));
    try (LocalMesh mesh = new LocalMesh(t, seed, !plainGossip)) {
      mesh.start();
      out.println("forming the mesh...");
      out.flush();
      if (!mesh.awaitMeshes(30_000)) {
        out.println("(some nodes still have an empty mesh after 30 s; starting anyway)");
      }
      mesh.startTraffic();
      long start = System.nanoTime();
      int next = 0;
      long reroutesAtCongestion = -1;
      for (int sec = 1; sec <= duration; sec++) {
        long wake = start + sec * 1_000_000_000L;
        while (next < steps.size() && LocalMesh.at(steps.get(next), duration) <= sec - 1) {
          if ("congest".equals(steps.get(next).action()) && reroutesAtCongestion < 0) {
            reroutesAtCongestion = rows(mesh).stream()
                .filter(r -> !r.role().equals("attacker")).mapToLong(Row::reroutes).sum();
          }
          events.add(String.format(Locale.ROOT, "t=%2ds %s", sec - 1, mesh.apply(steps.get(next))));
          next++;
        }
        long sleep = wake - System.nanoTime();
        if (sleep > 0) {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
        String view = view(mesh, sec, events);
        if (ansi) {
          out.print("\033[H\033[2J");
        }
        out.print(view);
        out.flush();
      }
      mesh.stopTraffic();
      out.println("traffic stopped; " + DRAIN_SECONDS + " s for messages in flight...");
      out.flush();
      Thread.sleep(DRAIN_SECONDS * 1000L);
      ObjectNode j = JSON.createObjectNode();
      out.print(summary(mesh, j, reroutesAtCongestion));
      out.flush();
      if (atEnd != null) {
        atEnd.accept(mesh, j);
      }
    }
    return 0;
  }

  /** Keeps node logs (dial retries to the killed relay, health transitions) off the live view. */
  private static void quietLogs() {
    String level = System.getenv("WEFT_LOG_LEVEL");
    if ((level == null || level.isBlank())
        && org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
            instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(ch.qos.logback.classic.Level.ERROR);
    }
  }

  // ---- numbers from the nodes' metrics -------------------------------------------------------

  /** One node's figures, all read from its registry. */
  record Row(String name, String role, String status, long expected, long delivered, double deliveryPct,
      double p50Ms, double p99Ms, double copies, long reroutes, long quarantines, long published) {}

  static List<Row> rows(LocalMesh mesh) {
    Map<String, Long> publishedByTopic = new HashMap<>();
    for (LocalMesh.Member m : mesh.members().values()) {
      if (m.node != null && m.spec.role() != Topology.Role.attacker) {
        for (String topic : m.node.options().topics) {
          publishedByTopic.merge(topic, m.node.metrics().count("weft_messages_published_total", "topic", topic), Long::sum);
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (LocalMesh.Member m : mesh.members().values()) {
      String role = m.spec.role().name();
      WeftNode n = m.node;
      if (n == null) {
        rows.add(new Row(m.spec.name(), role, "not started", 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0));
        continue;
      }
      NodeMetrics mx = n.metrics();
      long expected = 0;
      long delivered = 0;
      long dups = 0;
      long published = 0;
      Snapshot lat = null;
      for (String topic : n.options().topics) {
        long own = mx.count("weft_messages_published_total", "topic", topic);
        published += own;
        expected += publishedByTopic.getOrDefault(topic, 0L) - own;
        delivered += mx.count("weft_messages_delivered_total", "topic", topic);
        dups += mx.count("weft_duplicates_total", "topic", topic);
        Histogram h = mx.latencyOrNull(topic);
        if (lat == null && h != null) {
          lat = h.getSnapshot();
        }
      }
      boolean attacker = m.spec.role() == Topology.Role.attacker;
      rows.add(new Row(m.spec.name(), role, m.killed ? "killed" : "up", expected, delivered,
          attacker || expected == 0 ? Double.NaN : 100.0 * delivered / expected,
          lat == null ? Double.NaN : lat.getMedian() / 1e6, lat == null ? Double.NaN : lat.get99thPercentile() / 1e6,
          delivered == 0 ? Double.NaN : (double) (delivered + dups) / delivered,
          mx.total("weft_reroutes_total") + mx.treeReroutes(), mx.total("weft_quarantines_total"),
          published));
    }
    return rows;
  }

  static String view(LocalMesh mesh, int sec, List<String> events) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%nweft demo  t=%ds%n", sec));
    b.append(String.format(Locale.ROOT, "%-9s %-10s %-7s %9s %9s %9s %7s %8s %6s%n", "node", "role",
        "status", "deliver%", "p50 ms", "p99 ms", "copies", "reroutes", "quar."));
    for (Row r : rows(mesh)) {
      b.append(String.format(Locale.ROOT, "%-9s %-10s %-7s %9s %9s %9s %7s %8d %6d%n", r.name(), r.role(),
          r.status(), num(r.deliveryPct(), 1), num(r.p50Ms(), 2), num(r.p99Ms(), 2), num(r.copies(), 2),
          r.reroutes(), r.quarantines()));
    }
    for (String e : events) {
      b.append("  ").append(e).append('\n');
    }
    return b.toString();
  }

  /** The summary text; its figures also go into {@code j} (printed as the `summary` line). */
  static String summary(LocalMesh mesh, ObjectNode j, long reroutesAtCongestion) {
    List<Row> rows = rows(mesh);
    long published = 0;
    long expected = 0;
    long delivered = 0;
    long reroutes = 0;
    long quarantines = 0;
    double worstP99 = 0;
    List<Double> p50s = new ArrayList<>();
    double copiesSum = 0;
    int copiesN = 0;
    for (Row r : rows) {
      if (r.role().equals("attacker")) {
        continue;
      }
      published += r.published();
      reroutes += r.reroutes();
      quarantines += r.quarantines();
      if (r.status().equals("up")) {
        expected += r.expected();
        delivered += r.delivered();
        if (!Double.isNaN(r.p99Ms())) {
          worstP99 = Math.max(worstP99, r.p99Ms());
          p50s.add(r.p50Ms());
        }
        if (!Double.isNaN(r.copies())) {
          copiesSum += r.copies();
          copiesN++;
        }
      }
    }
    p50s.sort(Double::compare);
    double medianP50 = p50s.isEmpty() ? Double.NaN : p50s.get(p50s.size() / 2);
    // which attackers the honest nodes isolated, from their health monitors
    Map<String, String> nameOf = new HashMap<>();
    for (LocalMesh.Member m : mesh.members().values()) {
      if (m.node != null) {
        nameOf.put(m.node.peerId().toBase58(), m.spec.name());
      }
    }
    Map<String, List<String>> isolatedBy = new LinkedHashMap<>();
    long spam = 0;
    long rejected = 0;
    for (LocalMesh.Member m : mesh.members().values()) {
      if (m.node == null) {
        continue;
      }
      if (m.spec.role() == Topology.Role.attacker) {
        spam += m.node.metrics().total("weft_messages_published_total");
        continue;
      }
      rejected += m.node.metrics().totalWhere("weft_messages_dropped_total", "reason", "rejected_");
      if (m.killed) {
        continue;
      }
      for (PeerReport.Summary s : m.node.health().list()) {
        if (System.getenv("WEFT_DEMO_EXPLAIN") != null && s.state().isIsolated()
            && !nameOf.getOrDefault(s.peer().toBase58(), "").equals("spammer")) {
          System.err.println("EXPLAIN at " + m.spec.name() + " of "
              + nameOf.get(s.peer().toBase58()) + ":\n" + m.node.health().explain(s.peer()).toText());
        }
        if (s.state().isIsolated() || s.state().name().equals("PROBATION")) {
          isolatedBy.computeIfAbsent(nameOf.getOrDefault(s.peer().toBase58(), shortId(s.peer())),
              k -> new ArrayList<>()).add(m.spec.name() + "(" + s.state() + (s.lastReason() == null ? "" : " " + s.lastReason()) + ")");
        }
      }
    }
    StringBuilder b = new StringBuilder();
    b.append("\n=== weft demo summary (numbers from each node's metrics registry) ===\n");
    b.append(String.format(Locale.ROOT, "market messages published      %d%n", published));
    b.append(String.format(Locale.ROOT, "delivered to live nodes        %d of %d expected (%s%%)%n", delivered, expected,
        num(expected == 0 ? Double.NaN : 100.0 * delivered / expected, 2)));
    b.append(String.format(Locale.ROOT, "latency (last 60 s)            median node p50 %s ms, worst node p99 %s ms%n",
        num(medianP50, 2), num(worstP99, 2)));
    b.append(String.format(Locale.ROOT, "copies per delivered message   %s (mean over live nodes)%n",
        num(copiesN == 0 ? Double.NaN : copiesSum / copiesN, 2)));
    if (reroutesAtCongestion >= 0) {
      b.append(String.format(Locale.ROOT, "reroutes after the congestion  %d%n",
          reroutes - reroutesAtCongestion));
    }
    b.append(String.format(Locale.ROOT, "reroutes                       %d (mesh repairs + tree reparents, swaps, promotions)%n", reroutes));
    b.append(String.format(Locale.ROOT, "quarantines                    %d%n", quarantines));
    b.append(String.format(Locale.ROOT, "spam messages sent             %d (copies rejected by validators: %d)%n", spam, rejected));
    if (isolatedBy.isEmpty()) {
      b.append("isolated peers                 none\n");
    }
    isolatedBy.forEach((peer, by) -> b.append(String.format(Locale.ROOT,
        "isolated peer %-16s by %s%n", peer, String.join(", ", by))));
    double copies = copiesN == 0 ? Double.NaN : copiesSum / copiesN;
    j.put("published", published).put("expected", expected).put("delivered", delivered)
        .put("deliveryPct", expected == 0 ? 0 : 100.0 * delivered / expected)
        .put("medianP50Ms", Double.isNaN(medianP50) ? -1 : medianP50).put("worstP99Ms", worstP99)
        .put("copiesPerMessage", Double.isNaN(copies) ? -1 : copies)
        .put("reroutes", reroutes)
        .put("reroutesAfterCongestion", reroutesAtCongestion < 0 ? -1 : reroutes - reroutesAtCongestion)
        .put("quarantines", quarantines).put("spam", spam).put("spamRejected", rejected);
    ObjectNode iso = j.putObject("isolated");
    isolatedBy.forEach((peer, by) -> iso.put(peer, by.size()));
    b.append("summary ").append(j).append('\n');
    return b.toString();
  }

  private static String shortId(PeerId p) {
    String s = p.toBase58();
    return s.substring(Math.max(0, s.length() - 8));
  }

  private static String num(double v, int decimals) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** The first {@code n} nodes, or the file plus extra subscribers on two random relays. */
  static Topology resize(Topology t, int n, SplittableRandom random) {
    List<Topology.NodeSpec> nodes = new ArrayList<>();
    if (n <= t.nodes().size()) {
      List<String> kept = t.nodes().subList(0, n).stream().map(Topology.NodeSpec::name).toList();
      String hub = t.nodes().subList(0, n).stream().filter(s -> s.role() == Topology.Role.relay)
          .map(Topology.NodeSpec::name).findFirst().orElse(kept.get(0));
      for (Topology.NodeSpec s : t.nodes().subList(0, n)) {
        List<String> peers = s.peers().stream().filter(p -> p.startsWith("/") || kept.contains(p)).toList();
        if (peers.isEmpty() && !s.name().equals(hub)) {
          peers = List.of(hub); // its peers were dropped: attach it to the first relay kept
        }
        nodes.add(new Topology.NodeSpec(s.name(), s.role(), s.listen(), s.key(), s.api(), s.topics(),
            peers, s.publish(), s.attack(), s.gossipPreset()));
      }
      List<Topology.Step> steps = t.scenario().stream().filter(s -> (s.node() == null || kept.contains(s.node()))
          && (s.link() == null || kept.containsAll(s.link()))).toList();
      List<Topology.LinkSpec> links = t.links().stream().filter(l -> kept.contains(l.from()) && kept.contains(l.to())).toList();
      return new Topology(t.name(), t.description(), t.defaults(), nodes, links, steps);
    }
    nodes.addAll(t.nodes());
    List<String> relays = t.nodes().stream().filter(s -> s.role() == Topology.Role.relay)
        .map(Topology.NodeSpec::name).toList();
    if (relays.isEmpty()) {
      relays = t.nodes().stream().map(Topology.NodeSpec::name).toList();
    }
    for (int i = t.nodes().size(); i < n; i++) {
      String a = relays.get(random.nextInt(relays.size()));
      String b = relays.get(random.nextInt(relays.size()));
      List<String> peers = a.equals(b) ? List.of(a) : List.of(a, b);
      nodes.add(new Topology.NodeSpec("extra-" + (i + 1), Topology.Role.subscriber, null, null, null,
          null, peers, null, null, null));
    }
    return new Topology(t.name(), t.description(), t.defaults(), nodes, t.links(), t.scenario());
  }
}
