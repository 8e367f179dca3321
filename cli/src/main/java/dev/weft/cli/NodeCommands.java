package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The commands that talk to a running node through its admin API. */
final class NodeCommands {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NodeCommands() {}

  /** Shared plumbing: the API options, output, JSON/text printing. */
  abstract static class ApiCommand implements Callable<Integer> {
    @Mixin ApiOptions api;
    @Spec CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    static String enc(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    void printJson(JsonNode n) {
      try {
        out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      out().flush();
    }

    /** Prints an array of objects as an aligned table of {@code fields}. */
    void table(JsonNode arr, String... fields) {
      List<String[]> rows = new ArrayList<>();
      rows.add(java.util.Arrays.stream(fields).map(f -> f.toUpperCase(Locale.ROOT)).toArray(String[]::new));
      for (JsonNode n : arr) {
        String[] r = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
          JsonNode v = n.get(fields[i]);
          r[i] = v == null || v.isNull() ? "-" : v.isFloatingPointNumber()
              ? String.format(Locale.ROOT, "%.2f", v.asDouble()) : v.asText();
        }
        rows.add(r);
      }
      int[] w = new int[fields.length];
      for (String[] r : rows) {
        for (int i = 0; i < r.length; i++) {
          w[i] = Math.max(w[i], r[i].length());
        }
      }
      for (String[] r : rows) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < r.length; i++) {
          b.append(i == 0 ? "" : "  ").append(i == r.length - 1 ? r[i] : pad(r[i], w[i]));
        }
        out().println(b);
      }
      out().flush();
    }

    void keyValues(JsonNode obj, String prefix) {
      Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isObject()) {
          keyValues(e.getValue(), prefix + e.getKey() + ".");
        } else {
          JsonNode v = e.getValue();
          out().println(prefix + e.getKey() + ": " + (v.isFloatingPointNumber()
              ? String.format(Locale.ROOT, "%.3f", v.asDouble()) : v.asText()));
        }
      }
      out().flush();
    }

    private static String pad(String s, int w) {
      return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
  }

  @Command(name = "peers", mixinStandardHelpOptions = true,
      description = "List the node's connected peers (direction, address, health state, score).")
  static final class Peers extends ApiCommand {
    @Override
    public Integer call() {
      JsonNode r = api.client().get("/api/v1/peers");
      if (api.json) {
        printJson(r);
      } else {
        table(r, "peer", "direction", "state", "score", "pubsub", "addr");
      }
      return 0;
    }
  }

  @Command(name = "topics", mixinStandardHelpOptions = true,
      description = "List the topics the node subscribes to, with mesh and topic peer counts.")
  static final class Topics extends ApiCommand {
    @Override
    public Integer call() {
      JsonNode r = api.client().get("/api/v1/topics");
      if (api.json) {
        printJson(r);
      } else {
        table(r.get("topics"), "topic", "meshPeers", "topicPeers");
      }
      return 0;
    }
  }

  @Command(name = "mesh", mixinStandardHelpOptions = true,
      description = "Show the node's GossipSub mesh (and fanout) for a topic.")
  static final class Mesh extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<topic>") String topic;

    @Override
    public Integer call() {
      JsonNode r = api.client().get("/api/v1/mesh/" + enc(topic));
      if (api.json) {
        printJson(r);
        return 0;
      }
      out().println("topic " + topic + (r.path("subscribed").asBoolean() ? "" : " (not subscribed)"));
      for (String part : new String[] {"mesh", "fanout"}) {
        out().println(part + " (" + r.path(part).size() + "):");
        r.path(part).forEach(p -> out().println("  " + p.asText()));
      }
      out().flush();
      return 0;
    }
  }

  @Command(name = "routes", mixinStandardHelpOptions = true,
      description = "Show the next hops the node forwards a topic's messages to: with tree "
          + "routing, each tree's eager and lazy links and upstream; otherwise the mesh.")
  static final class Routes extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<topic>") String topic;

    @Override
    public Integer call() {
      JsonNode r = api.client().get("/api/v1/routes/" + enc(topic));
      if (api.json) {
        printJson(r);
        return 0;
      }
      out().println("topic " + topic + " (source: " + r.path("source").asText() + ")");
      out().println("note: " + r.path("note").asText());
      if ("tree".equals(r.path("source").asText())) {
        table(r.path("routes"), "tree", "nextHop", "kind");
      } else {
        table(r.path("routes"), "nextHop", "kind");
      }
      return 0;
    }
  }

  @Command(name = "scores", mixinStandardHelpOptions = true,
      description = "Peer scores; with a peer, its per-component breakdown (P1..P7 per topic).")
  static final class Scores extends ApiCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "<peer>") String peer;

    @Override
    public Integer call() {
      if (peer == null) {
        JsonNode r = api.client().get("/api/v1/scores");
        if (api.json) {
          printJson(r);
        } else {
          table(r, "peer", "score", "state");
        }
        return 0;
      }
      JsonNode r = api.client().get("/api/v1/scores/" + enc(peer));
      if (api.json) {
        printJson(r);
        return 0;
      }
      JsonNode b = r.path("breakdown");
      out().printf(Locale.ROOT, "peer %s state %s%nscore %.3f (misbehaviour %.3f)%n", r.path("peer").asText(),
          r.path("state").asText(), r.path("total").asDouble(), r.path("misbehaviour").asDouble());
      out().printf(Locale.ROOT, "  topics %.3f (uncapped %.3f, cap %.1f)  P5 %.3f  P6 %.3f  P7 %.3f%n",
          b.path("topicContribution").asDouble(), b.path("topicSum").asDouble(), b.path("topicCap").asDouble(),
          b.path("p5Weighted").asDouble(), b.path("p6Weighted").asDouble(), b.path("p7Weighted").asDouble());
      for (JsonNode t : b.path("topics")) {
        out().printf(Locale.ROOT, "  %s%s: P1 %.3f  P2 %.3f  P3 %.3f  P3b %.3f  P4 %.3f -> %.3f%n",
            t.path("topic").asText(), t.path("inMesh").asBoolean() ? " (mesh)" : "",
            t.path("w1p1").asDouble(), t.path("w2p2").asDouble(), t.path("w3p3").asDouble(),
            t.path("w3bp3b").asDouble(), t.path("w4p4").asDouble(), t.path("contribution").asDouble());
      }
      out().flush();
      return 0;
    }
  }

  @Command(name = "health", mixinStandardHelpOptions = true,
      description = "The node's health: status, connections, peers per health state.")
  static final class Health extends ApiCommand {
    @Override
    public Integer call() {
      JsonNode r = api.client().get("/api/v1/health");
      if (api.json) {
        printJson(r);
      } else {
        keyValues(r, "");
      }
      return 0;
    }
  }

  @Command(name = "stats", mixinStandardHelpOptions = true,
      description = "Totals from the node's metrics (messages, bytes, duplicates, drops, reroutes, quarantines).")
  static final class Stats extends ApiCommand {
    @Override
    public Integer call() {
      JsonNode r = api.client().get("/api/v1/stats");
      if (api.json) {
        printJson(r);
      } else {
        keyValues(r, "");
      }
      return 0;
    }
  }

  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = "Publish a message to a topic through the node.")
  static final class Publish extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<topic>") String topic;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<data>", description = "Message text (UTF-8).")
    String data;

    @Option(names = "--file", paramLabel = "<file>", description = "Publish the bytes of this file instead.")
    Path file;

    @Override
    public Integer call() throws IOException {
      if ((data == null) == (file == null)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "give either <data> or --file");
      }
      ObjectNode body = JSON.createObjectNode().put("topic", topic);
      if (file != null) {
        body.put("dataBase64", Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
      } else {
        body.put("data", data);
      }
      JsonNode r = api.client().post("/api/v1/publish", body);
      if (api.json) {
        printJson(r);
      } else {
        out().println(r.path("status").asText() + " " + r.path("id").asText("-") + " to "
            + r.path("recipients").asInt() + " peers");
        out().flush();
      }
      return 0;
    }
  }

  @Command(name = "subscribe", mixinStandardHelpOptions = true,
      description = "Subscribe the node to a topic and stream its messages as JSON lines until "
          + "interrupted (or --count / --seconds).")
  static final class Subscribe extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<topic>") String topic;

    @Option(names = "--count", paramLabel = "<n>", description = "Stop after n messages.")
    Long count;

    @Option(names = "--seconds", paramLabel = "<s>", description = "Stop after s seconds.")
    Long seconds;

    @Override
    public Integer call() {
      if ((count != null && count <= 0) || (seconds != null && seconds <= 0)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--count and --seconds must be positive");
      }
      String q = "?topic=" + enc(topic) + (count == null ? "" : "&count=" + count)
          + (seconds == null ? "" : "&seconds=" + seconds);
      api.client().stream("/api/v1/subscribe" + q, line -> {
        out().println(line);
        out().flush();
      });
      return 0;
    }
  }

  @Command(name = "connect", mixinStandardHelpOptions = true,
      description = "Ask the node to dial a peer (multiaddr ending in /p2p/<peer-id>).")
  static final class Connect extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<multiaddr>") String addr;

    @Override
    public Integer call() {
      JsonNode r = api.client().post("/api/v1/connect", JSON.createObjectNode().put("addr", addr));
      if (api.json) {
        printJson(r);
      } else {
        out().println("connected " + r.path("peer").asText() + " " + r.path("addr").asText());
        out().flush();
      }
      return 0;
    }
  }

  @Command(name = "quarantine", mixinStandardHelpOptions = true,
      description = "Inspect and override peer quarantine.",
      subcommands = {QuarantineList.class, QuarantineExplain.class, QuarantineRelease.class,
          QuarantineBan.class})
  static final class Quarantine implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (list, explain, release, ban)");
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Peers that are not HEALTHY (suspect, quarantined, on probation, banned).")
  static final class QuarantineList extends ApiCommand {
    @Override
    public Integer call() {
      JsonNode r = api.client().get("/api/v1/quarantine");
      if (api.json) {
        printJson(r);
      } else if (r.isEmpty()) {
        out().println("no peers in quarantine, suspicion, probation or ban");
        out().flush();
      } else {
        table(r, "peer", "state", "reason", "score", "sinceSecondsAgo", "endsInSeconds");
      }
      return 0;
    }
  }

  @Command(name = "explain", mixinStandardHelpOptions = true,
      description = "Why a peer is in its health state: history, score breakdown, violations.")
  static final class QuarantineExplain extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<peer>") String peer;

    @Override
    public Integer call() {
      JsonNode r = api.client().get("/api/v1/quarantine/" + enc(peer));
      if (api.json) {
        printJson(r);
      } else {
        out().print(r.path("text").asText());
        out().flush();
      }
      return 0;
    }
  }

  @Command(name = "release", mixinStandardHelpOptions = true,
      description = "Release a peer: back to HEALTHY, penalties forgiven (needs the token).")
  static final class QuarantineRelease extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<peer>") String peer;

    @Option(names = "--reason", paramLabel = "<text>", defaultValue = "operator release",
        description = "Recorded in the peer's history (default: ${DEFAULT-VALUE}).")
    String reason;

    @Override
    public Integer call() {
      JsonNode r = api.client().post("/api/v1/quarantine/" + enc(peer) + "/release",
          JSON.createObjectNode().put("detail", reason));
      print(r);
      return 0;
    }

    void print(JsonNode r) {
      if (api.json) {
        printJson(r);
      } else {
        out().println(r.path("peer").asText() + " " + r.path("state").asText());
        out().flush();
      }
    }
  }

  @Command(name = "ban", mixinStandardHelpOptions = true,
      description = "Ban a peer: disconnected and refused until the ban ends (needs the token).")
  static final class QuarantineBan extends ApiCommand {
    @Parameters(index = "0", paramLabel = "<peer>") String peer;

    @Option(names = "--duration", paramLabel = "<seconds>",
        description = "Ban length in seconds (default: the policy's escalating ban).")
    Double seconds;

    @Option(names = "--reason", paramLabel = "<text>", defaultValue = "operator ban",
        description = "Recorded in the peer's history (default: ${DEFAULT-VALUE}).")
    String reason;

    @Override
    public Integer call() {
      if (seconds != null && !(seconds > 0)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--duration must be positive");
      }
      ObjectNode body = JSON.createObjectNode().put("detail", reason);
      if (seconds != null) {
        body.put("durationSeconds", seconds);
      }
      JsonNode r = api.client().post("/api/v1/quarantine/" + enc(peer) + "/ban", body);
      if (api.json) {
        printJson(r);
      } else {
        out().println(r.path("peer").asText() + " " + r.path("state").asText());
        out().flush();
      }
      return 0;
    }
  }

  @Command(name = "completion", mixinStandardHelpOptions = true,
      description = "Print a bash/zsh completion script: source <(weft completion)")
  static final class Completion implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.print(picocli.AutoComplete.bash("weft", spec.root().commandLine()));
      out.flush();
      return 0;
    }
  }
}
