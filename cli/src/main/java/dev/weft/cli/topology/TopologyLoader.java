package dev.weft.cli.topology;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weft.core.identity.Multiaddr;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads and validates topology YAML (docs/topology.md). Every error names the file, the line and
 * column, and the field ({@code demo.yaml:14:7: nodes[3].peers[1]: unknown node 'relay-9'}).
 * All problems found by validation are reported together.
 */
public final class TopologyLoader {
  /** Larger files are refused before parsing. */
  public static final int MAX_BYTES = 1024 * 1024;
  private static final Set<String> PRESETS = Set.of("spec", "ethereum", "market");
  private static final Set<String> ACTIONS = Set.of("congest", "heal", "kill", "start", "partition");
  private static final Set<String> PUBLISH_KINDS = Set.of("quotes", "trades", "blocks");
  private static final Set<String> ATTACK_KINDS = Set.of("invalid-spam");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private TopologyLoader() {}

  public static Topology load(Path file) {
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new TopologyException(file + ": " + size + " bytes, more than the " + MAX_BYTES + " allowed");
      }
      return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new TopologyException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** Loads a classpath resource (the demo's embedded default). */
  public static Topology loadResource(String name) {
    try (InputStream in = TopologyLoader.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new TopologyException(name + ": resource not found");
      }
      return parse(name, new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new TopologyException(name + ": cannot read: " + e.getMessage());
    }
  }

  /** Parses and validates {@code text}; {@code source} names it in errors. */
  public static Topology parse(String source, String text) {
    Map<String, JsonLocation> where = locations(source, text);
    Topology t;
    try {
      t = YAML.readValue(text, Topology.class);
    } catch (JsonMappingException e) {
      String field = display(e.getPath());
      JsonLocation loc = where.getOrDefault(pointer(e.getPath()), e.getLocation());
      throw new TopologyException(at(source, loc) + (field.isEmpty() ? "" : field + ": ")
          + e.getOriginalMessage().replaceAll(" \\(class dev\\.weft[^)]*\\)", "")
              .replaceAll("\\s*\\(\\d+ known properties:", " (known:"));
    } catch (JsonProcessingException e) {
      throw new TopologyException(at(source, e.getLocation()) + e.getOriginalMessage());
    }
    if (t == null) {
      throw new TopologyException(source + ": empty topology");
    }
    List<String> errors = new Validator(source, where).check(t);
    if (!errors.isEmpty()) {
      throw new TopologyException(String.join("\n", errors));
    }
    return t;
  }

  /** Seconds from "20s", "1500ms", "2m", or a share of {@code runSeconds} from "40%". */
  public static double atSeconds(String at, double runSeconds) {
    String s = at.trim();
    if (s.endsWith("%")) {
      return Double.parseDouble(s.substring(0, s.length() - 1)) / 100.0 * runSeconds;
    }
    return parseDuration(s).toMillis() / 1000.0;
  }

  static Duration parseDuration(String s) {
    String t = s.trim();
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      } else if (t.endsWith("m")) {
        return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("'" + s + "' is not a time like 20s, 1500ms, 2m or 40%");
  }

  // ---- locations -----------------------------------------------------------------------------

  /** JSON pointer of every value in the document -> where it starts. */
  private static Map<String, JsonLocation> locations(String source, String text) {
    Map<String, JsonLocation> m = new HashMap<>();
    try (JsonParser p = YAML.getFactory().createParser(text)) {
      JsonToken tok;
      while ((tok = p.nextToken()) != null) {
        if (tok != JsonToken.END_OBJECT && tok != JsonToken.END_ARRAY) {
          m.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation());
          if (tok == JsonToken.START_OBJECT || tok == JsonToken.START_ARRAY) {
            m.putIfAbsent(p.getParsingContext().getParent() == null ? ""
                : p.getParsingContext().getParent().pathAsPointer().toString(), p.currentTokenLocation());
          }
        }
      }
    } catch (JsonProcessingException e) {
      throw new TopologyException(at(source, e.getLocation()) + e.getOriginalMessage());
    } catch (IOException e) {
      throw new TopologyException(source + ": " + e.getMessage());
    }
    return m;
  }

  private static String at(String source, JsonLocation loc) {
    if (loc == null || loc.getLineNr() < 0) {
      return source + ": ";
    }
    return source + ":" + loc.getLineNr() + ":" + loc.getColumnNr() + ": ";
  }

  private static String display(List<JsonMappingException.Reference> path) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  private static String pointer(List<JsonMappingException.Reference> path) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        b.append('/').append(r.getFieldName().replace("~", "~0").replace("/", "~1"));
      } else if (r.getIndex() >= 0) {
        b.append('/').append(r.getIndex());
      }
    }
    return b.toString();
  }

  /** "/nodes/3/peers/1" -> "nodes[3].peers[1]". */
  static String display(String pointer) {
    StringBuilder b = new StringBuilder();
    for (String seg : pointer.split("/")) {
      if (seg.isEmpty()) {
        continue;
      }
      if (seg.chars().allMatch(Character::isDigit)) {
        b.append('[').append(seg).append(']');
      } else {
        b.append(b.length() == 0 ? "" : ".").append(seg);
      }
    }
    return b.toString();
  }

  // ---- semantic checks -----------------------------------------------------------------------

  private static final class Validator {
    private final String source;
    private final Map<String, JsonLocation> where;
    private final List<String> errors = new ArrayList<>();

    Validator(String source, Map<String, JsonLocation> where) {
      this.source = source;
      this.where = where;
    }

    private void err(String pointer, String message) {
      String p = pointer;
      JsonLocation loc = where.get(p);
      while (loc == null && !p.isEmpty()) {
        p = p.substring(0, Math.max(0, p.lastIndexOf('/')));
        loc = where.get(p);
      }
      String field = display(pointer);
      errors.add(at(source, loc) + (field.isEmpty() ? "" : field + ": ") + message);
    }

    List<String> check(Topology t) {
      if (t.name() == null || t.name().isBlank()) {
        err("/name", "required");
      }
      Topology.Defaults d = t.defaults();
      preset("/defaults/gossipPreset", d.gossipPreset());
      if (d.maxMessageBytes() != null && (d.maxMessageBytes() < 1024 || d.maxMessageBytes() > 16 * 1024 * 1024)) {
        err("/defaults/maxMessageBytes", "must be in [1024, 16777216], was " + d.maxMessageBytes());
      }
      if (d.link() != null) {
        link("/defaults/link", d.link(), Set.of(), false);
      }
      if (t.nodes().isEmpty()) {
        err("/nodes", "at least one node is required");
      }
      Set<String> names = new HashSet<>();
      for (int i = 0; i < t.nodes().size(); i++) {
        Topology.NodeSpec n = t.nodes().get(i);
        String base = "/nodes/" + i;
        if (n.name() == null || !n.name().matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
          err(base + "/name", "required: letters, digits, '_', '.', '-' (at most 64)");
        } else if (!names.add(n.name())) {
          err(base + "/name", "duplicate node name '" + n.name() + "'");
        }
        if (n.role() == null) {
          err(base + "/role", "required: publisher, relay, subscriber, validator or attacker");
        }
      }
      for (int i = 0; i < t.nodes().size(); i++) {
        node("/nodes/" + i, t.nodes().get(i), names, d);
      }
      for (int i = 0; i < t.links().size(); i++) {
        link("/links/" + i, t.links().get(i), names, true);
      }
      for (int i = 0; i < t.scenario().size(); i++) {
        step("/scenario/" + i, t.scenario().get(i), names);
      }
      return errors;
    }

    private void node(String base, Topology.NodeSpec n, Set<String> names, Topology.Defaults d) {
      preset(base + "/gossipPreset", n.gossipPreset());
      if (n.listen() != null) {
        try {
          Multiaddr.parse(n.listen());
        } catch (IllegalArgumentException e) {
          err(base + "/listen", "malformed multiaddr: " + e.getMessage());
        }
      }
      if (n.api() != null && !n.api().equals("off") && !n.api().matches("[^:]+:\\d{1,5}")) {
        err(base + "/api", "expected <host>:<port> or off, was '" + n.api() + "'");
      }
      List<String> topics = n.topics() != null ? n.topics() : d.topics();
      if (topics == null || topics.isEmpty()) {
        err(base + "/topics", "no topics (set topics here or in defaults.topics)");
      }
      for (int j = 0; j < n.peers().size(); j++) {
        String p = n.peers().get(j);
        if (p.startsWith("/")) {
          try {
            if (Multiaddr.parse(p).peerId().isEmpty()) {
              err(base + "/peers/" + j, "multiaddr must end in /p2p/<peer-id>");
            }
          } catch (IllegalArgumentException e) {
            err(base + "/peers/" + j, "malformed multiaddr: " + e.getMessage());
          }
        } else if (!names.contains(p)) {
          err(base + "/peers/" + j, "unknown node '" + p + "'");
        } else if (p.equals(n.name())) {
          err(base + "/peers/" + j, "a node cannot peer with itself");
        }
      }
      if (n.publish() != null) {
        Topology.PublishSpec p = n.publish();
        if (p.topic() == null) {
          err(base + "/publish/topic", "required");
        } else if (topics != null && !topics.contains(p.topic())) {
          err(base + "/publish/topic", "'" + p.topic() + "' is not one of the node's topics " + topics);
        }
        if (p.kind() == null || !PUBLISH_KINDS.contains(p.kind())) {
          err(base + "/publish/kind", "required: one of " + PUBLISH_KINDS);
        }
        if (p.ratePerSecond() == null || !(p.ratePerSecond() > 0 && p.ratePerSecond() <= 100_000)) {
          err(base + "/publish/ratePerSecond", "required, in (0, 100000]");
        }
        int max = d.maxMessageBytes() == null ? 1024 * 1024 : d.maxMessageBytes();
        if (p.sizeBytes() != null && (p.sizeBytes() < 64 || p.sizeBytes() > max)) {
          err(base + "/publish/sizeBytes", "must be in [64, " + max + "] (defaults.maxMessageBytes), was " + p.sizeBytes());
        }
      } else if (n.role() == Topology.Role.publisher) {
        err(base + "/publish", "a publisher needs a publish section");
      }
      if (n.role() == Topology.Role.attacker) {
        Topology.AttackSpec a = n.attack();
        if (a == null) {
          err(base + "/attack", "an attacker needs an attack section");
        } else {
          if (a.kind() == null || !ATTACK_KINDS.contains(a.kind())) {
            err(base + "/attack/kind", "required: one of " + ATTACK_KINDS);
          }
          if (a.topic() == null) {
            err(base + "/attack/topic", "required");
          }
          if (a.ratePerSecond() == null || !(a.ratePerSecond() > 0 && a.ratePerSecond() <= 100_000)) {
            err(base + "/attack/ratePerSecond", "required, in (0, 100000]");
          }
        }
      } else if (n.attack() != null) {
        err(base + "/attack", "only role attacker has an attack section");
      }
    }

    private void link(String base, Topology.LinkSpec l, Set<String> names, boolean needsEnds) {
      if (needsEnds) {
        end(base + "/from", l.from(), names);
        end(base + "/to", l.to(), names);
      } else if (l.from() != null || l.to() != null) {
        err(base, "the default link has no from/to");
      }
      range(base + "/latencyMs", l.latencyMs(), 0, 600_000);
      range(base + "/jitterMs", l.jitterMs(), 0, 600_000);
      if (l.lossPercent() != null && !(l.lossPercent() >= 0 && l.lossPercent() <= 100)) {
        err(base + "/lossPercent", "must be in [0, 100], was " + l.lossPercent());
      }
      range(base + "/bandwidthKbps", l.bandwidthKbps(), 0, 100_000_000);
    }

    private void step(String base, Topology.Step s, Set<String> names) {
      if (s.at() == null) {
        err(base + "/at", "required: seconds (20s, 1500ms, 2m) or a share of the run (40%)");
      } else {
        try {
          double v = atSeconds(s.at(), 100);
          if (v < 0 || (s.at().trim().endsWith("%") && v > 100)) {
            err(base + "/at", "must be >= 0 (percentages at most 100%)");
          }
        } catch (IllegalArgumentException e) {
          err(base + "/at", e.getMessage() == null ? "not a time" : e.getMessage().replace("For input string: ", "not a number: "));
        }
      }
      if (s.action() == null || !ACTIONS.contains(s.action())) {
        err(base + "/action", "required: one of " + ACTIONS);
        return;
      }
      switch (s.action()) {
        case "kill", "start" -> end(base + "/node", s.node(), names);
        default -> {
          if (s.link() == null || s.link().size() != 2) {
            err(base + "/link", "needs the two node names of the link, e.g. [relay-1, relay-2]");
          } else {
            end(base + "/link/0", s.link().get(0), names);
            end(base + "/link/1", s.link().get(1), names);
          }
        }
      }
      range(base + "/latencyMs", s.latencyMs(), 0, 600_000);
      if (s.lossPercent() != null && !(s.lossPercent() >= 0 && s.lossPercent() <= 100)) {
        err(base + "/lossPercent", "must be in [0, 100], was " + s.lossPercent());
      }
      range(base + "/bandwidthKbps", s.bandwidthKbps(), 0, 100_000_000);
    }

    private void end(String pointer, String name, Set<String> names) {
      if (name == null) {
        err(pointer, "required (a node name)");
      } else if (!names.contains(name)) {
        err(pointer, "unknown node '" + name + "'");
      }
    }

    private void range(String pointer, Long v, long lo, long hi) {
      if (v != null && (v < lo || v > hi)) {
        err(pointer, "must be in [" + lo + ", " + hi + "], was " + v);
      }
    }

    private void preset(String pointer, String v) {
      if (v != null && !PRESETS.contains(v)) {
        err(pointer, "unknown preset '" + v + "' (spec, ethereum, market)");
      }
    }
  }
}
