package dev.weft.sim.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weft.core.gossip.GossipParams;
import dev.weft.sim.engine.Geo;
import dev.weft.sim.engine.RoutingMode;
import dev.weft.sim.engine.SimConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads scenario YAML (see topology-configs/sim/ and docs/simulator.md for the fields). Every
 * error names the file, the line and the field; unknown fields are errors, so a typo never
 * silently falls back to a default. Reads from a String or stream; opening files is the caller's
 * business.
 */
public final class ScenarioParser {
  private static final YAMLFactory YAML = new YAMLFactory();
  /** Largest scenario file accepted. */
  public static final int MAX_BYTES = 1 << 20;

  private final String file;

  private ScenarioParser(String file) {
    this.file = file;
  }

  /** Parses {@code yaml}; {@code file} is only used in messages and for the default name. */
  public static Scenario parse(String yaml, String file) {
    return new ScenarioParser(file).parseRoot(yaml);
  }

  /** Parses at most {@link #MAX_BYTES} of UTF-8 YAML from {@code in} (not closed). */
  public static Scenario parse(InputStream in, String file) throws IOException {
    byte[] b = in.readNBytes(MAX_BYTES + 1);
    if (b.length > MAX_BYTES) {
      throw new ScenarioException(file, 1, "", "file larger than " + MAX_BYTES + " bytes");
    }
    return parse(new String(b, StandardCharsets.UTF_8), file);
  }

  // ------------------------------------------------------------ a YAML tree with line numbers

  /** A YAML value with the line it starts on: a map, a list, or a scalar (String/number/bool). */
  private record Node(Object value, int line, String path) {
    @SuppressWarnings("unchecked")
    Map<String, Node> map() {
      return (Map<String, Node>) value;
    }
  }

  private Node read(JsonParser p, String path) throws IOException {
    JsonToken t = p.currentToken();
    int line = p.currentTokenLocation().getLineNr();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Node> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          int fieldLine = p.currentTokenLocation().getLineNr();
          String sub = path.isEmpty() ? name : path + "." + name;
          if (m.containsKey(name)) {
            throw new ScenarioException(file, fieldLine, sub, "duplicate field");
          }
          p.nextToken();
          Node v = read(p, sub);
          m.put(name, new Node(v.value(), fieldLine, sub));
        }
        return new Node(m, line, path);
      }
      case START_ARRAY -> {
        List<Node> l = new ArrayList<>();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(read(p, path + "[" + i++ + "]"));
        }
        return new Node(l, line, path);
      }
      case VALUE_STRING -> {
        return new Node(p.getText(), line, path);
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new Node(p.getNumberValue(), line, path);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new Node(t == JsonToken.VALUE_TRUE, line, path);
      }
      case VALUE_NULL -> {
        return new Node(null, line, path);
      }
      default -> throw new ScenarioException(file, line, path, "unexpected " + t);
    }
  }

  // ------------------------------------------------------------ mapping

  private Scenario parseRoot(String yaml) {
    Node root;
    try (JsonParser p = YAML.createParser(yaml)) {
      if (p.nextToken() == null) {
        throw new ScenarioException(file, 1, "", "empty scenario");
      }
      root = read(p, "");
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
      throw new ScenarioException(file, line, "", "not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ScenarioException(file, 1, "", "cannot read: " + e.getMessage());
    }
    Map<String, Node> m = object(root);
    known(root, "name", "description", "seed", "nodes", "connections", "regions", "network",
        "gossip", "health", "traffic", "attack", "faults", "tailMs", "modes");
    String name = str(m, "name", defaultName());
    String description = str(m, "description", "");
    long seed = lng(m, "seed", 1);
    int nodes = (int) range(m, "nodes", 100, 2, 10_000_000);
    int connections = (int) range(m, "connections", 20, 1, 10_000);
    Map<String, Double> regions = regions(m.get("regions"));

    Node net = m.get("network");
    double up = 100;
    double down = 100;
    double loss = 0;
    if (net != null) {
      Map<String, Node> n = object(net);
      known(net, "uplinkMbps", "downlinkMbps", "loss");
      up = positive(n, "uplinkMbps", 100);
      down = positive(n, "downlinkMbps", 100);
      loss = fraction(n, "loss", 0, true);
    }
    String[] protocol = {"/meshsub/1.2.0"};
    GossipParams params = gossip(m.get("gossip"), protocol);
    boolean health = bool(m, "health", false);
    SimConfig.Traffic traffic = traffic(m.get("traffic"), root);
    SimConfig.Attack attack = m.containsKey("attack") ? attack(m.get("attack")) : null;
    List<SimConfig.Fault> faults = new ArrayList<>();
    Node fs = m.get("faults");
    if (fs != null) {
      for (Node f : list(fs)) {
        faults.add(fault(f));
      }
    }
    long tail = range(m, "tailMs", 10_000, 0, 3_600_000);
    List<RoutingMode> modes = new ArrayList<>();
    Node ms = m.get("modes");
    if (ms == null) {
      modes.add(RoutingMode.PLAIN);
      modes.add(RoutingMode.ADAPTIVE);
    } else {
      for (Node x : list(ms)) {
        modes.add(enumValue(x, RoutingMode.class));
      }
      if (modes.isEmpty()) {
        throw error(ms, "at least one mode is needed");
      }
    }
    try {
      return new Scenario(new SimConfig(name, seed, nodes, connections, regions, up, down, loss,
          params, protocol[0], health, traffic, attack, faults, tail), description, modes);
    } catch (IllegalArgumentException e) {
      throw error(root, e.getMessage());
    }
  }

  private String defaultName() {
    String base = file.replace('\\', '/');
    base = base.substring(base.lastIndexOf('/') + 1);
    int dot = base.lastIndexOf('.');
    return dot > 0 ? base.substring(0, dot) : base;
  }

  private Map<String, Double> regions(Node n) {
    Map<String, Double> r = new LinkedHashMap<>();
    if (n == null) {
      r.put("us-east-1", 1.0);
      return r;
    }
    for (Map.Entry<String, Node> e : object(n).entrySet()) {
      try {
        Geo.regionIndex(e.getKey());
      } catch (IllegalArgumentException ex) {
        throw error(e.getValue(), ex.getMessage());
      }
      double w = number(e.getValue()).doubleValue();
      if (!(w > 0)) {
        throw error(e.getValue(), "weight must be > 0");
      }
      r.put(e.getKey(), w);
    }
    if (r.isEmpty()) {
      throw error(n, "at least one region is needed");
    }
    return r;
  }

  private GossipParams gossip(Node n, String[] protocol) {
    if (n == null) {
      return GossipParams.specDefaults();
    }
    Map<String, Node> m = object(n);
    known(n, "preset", "protocol", "d", "dLow", "dHigh", "dLazy", "dOut", "heartbeatMs",
        "maxRpcSize", "floodPublish", "doPx", "idontwantSizeThreshold");
    String preset = str(m, "preset", "spec");
    GossipParams.Builder b = switch (preset) {
      case "spec" -> GossipParams.specDefaults().toBuilder();
      case "ethereum" -> GossipParams.ethereumConsensus().toBuilder().maxRpcSize(10 << 20);
      case "market" -> GossipParams.lowLatencyMarketData().toBuilder();
      default -> throw error(m.get("preset"), "unknown preset '" + preset
          + "', expected spec, ethereum or market");
    };
    protocol[0] = str(m, "protocol", protocol[0]);
    if (!Set.of("/meshsub/1.0.0", "/meshsub/1.1.0", "/meshsub/1.2.0").contains(protocol[0])) {
      throw error(m.get("protocol"), "expected /meshsub/1.0.0, /meshsub/1.1.0 or /meshsub/1.2.0");
    }
    if (m.containsKey("d")) {
      b.d((int) range(m, "d", 0, 1, 1000));
    }
    if (m.containsKey("dLow")) {
      b.dLow((int) range(m, "dLow", 0, 1, 1000));
    }
    if (m.containsKey("dHigh")) {
      b.dHigh((int) range(m, "dHigh", 0, 1, 1000));
    }
    if (m.containsKey("dLazy")) {
      b.dLazy((int) range(m, "dLazy", 0, 0, 1000));
    }
    if (m.containsKey("dOut")) {
      b.dOut((int) range(m, "dOut", 0, 0, 1000));
    }
    if (m.containsKey("heartbeatMs")) {
      b.heartbeatInterval(Duration.ofMillis(range(m, "heartbeatMs", 0, 1, 600_000)));
    }
    if (m.containsKey("maxRpcSize")) {
      b.maxRpcSize((int) range(m, "maxRpcSize", 0, 1024, 1 << 30));
    }
    if (m.containsKey("idontwantSizeThreshold")) {
      b.idontwantSizeThreshold((int) range(m, "idontwantSizeThreshold", 0, 0, 1 << 30));
    }
    if (m.containsKey("floodPublish")) {
      b.floodPublish(bool(m, "floodPublish", true));
    }
    if (m.containsKey("doPx")) {
      b.doPx(bool(m, "doPx", false));
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw error(n, e.getMessage());
    }
  }

  private SimConfig.Traffic traffic(Node n, Node root) {
    if (n == null) {
      throw error(root, "field 'traffic' is required");
    }
    Map<String, Node> m = object(n);
    known(n, "kind", "topic", "messages", "sizeBytes", "publishers", "ratePerSecond", "slotMs",
        "startMs", "deadlineMs");
    SimConfig.TrafficKind kind = enumValue(required(n, "kind"), SimConfig.TrafficKind.class);
    boolean blocks = kind == SimConfig.TrafficKind.BLOCKS;
    int messages = (int) range(m, "messages", 100, 1, 10_000_000);
    int size = (int) range(m, "sizeBytes", blocks ? 1 << 20 : 200, 16, 1 << 30);
    int publishers = (int) range(m, "publishers", blocks ? 1 : 10, 1, 10_000_000);
    double rate = m.containsKey("ratePerSecond") ? positive(m, "ratePerSecond", 1) : 50;
    long slot = range(m, "slotMs", 12_000, 1, 3_600_000);
    long start = range(m, "startMs", 5_000, 0, 3_600_000);
    long deadline = range(m, "deadlineMs", 4_000, 1, 3_600_000);
    String topic = str(m, "topic", blocks ? "beacon_block" : "market_data");
    try {
      return new SimConfig.Traffic(kind, topic, messages, size, publishers, rate, slot, start,
          deadline);
    } catch (IllegalArgumentException e) {
      throw error(n, e.getMessage());
    }
  }

  private SimConfig.Attack attack(Node n) {
    Map<String, Node> m = object(n);
    known(n, "kind", "attackersPerHonest", "degree", "joinMs", "startMs", "targets",
        "honestJoinDelayMs");
    SimConfig.AttackKind kind = enumValue(required(n, "kind"), SimConfig.AttackKind.class);
    double ratio = m.containsKey("attackersPerHonest") ? positive(m, "attackersPerHonest", 1) : 4;
    try {
      return new SimConfig.Attack(kind, ratio, (int) range(m, "degree", 20, 1, 100_000),
          range(m, "joinMs", 0, 0, 3_600_000), range(m, "startMs", 0, 0, 3_600_000),
          (int) range(m, "targets", 1, 0, 10_000_000),
          range(m, "honestJoinDelayMs", 0, 0, 3_600_000));
    } catch (IllegalArgumentException e) {
      throw error(n, e.getMessage());
    }
  }

  private SimConfig.Fault fault(Node n) {
    Map<String, Node> m = object(n);
    known(n, "kind", "atMs", "durationMs", "fraction", "regions", "bandwidthFactor",
        "extraLatencyMs", "repeat", "everyMs", "downtimeMs");
    SimConfig.FaultKind kind = enumValue(required(n, "kind"), SimConfig.FaultKind.class);
    List<String> regions = new ArrayList<>();
    Node rs = m.get("regions");
    if (rs != null) {
      for (Node r : list(rs)) {
        String code = string(r);
        try {
          Geo.regionIndex(code);
        } catch (IllegalArgumentException e) {
          throw error(r, e.getMessage());
        }
        regions.add(code);
      }
    }
    if (regions.isEmpty() && !m.containsKey("fraction")) {
      throw error(n, "needs 'fraction' or 'regions'");
    }
    try {
      return new SimConfig.Fault(kind, range(m, "atMs", 0, 0, 3_600_000),
          range(m, "durationMs", 0, 0, 3_600_000), fraction(m, "fraction", 0, false), regions,
          m.containsKey("bandwidthFactor") ? positive(m, "bandwidthFactor", 1) : 1,
          range(m, "extraLatencyMs", 0, 0, 600_000), (int) range(m, "repeat", 1, 1, 100_000),
          range(m, "everyMs", 0, 0, 3_600_000), range(m, "downtimeMs", 0, 0, 3_600_000));
    } catch (IllegalArgumentException e) {
      throw error(n, e.getMessage());
    }
  }

  // ------------------------------------------------------------ typed access with line numbers

  private ScenarioException error(Node n, String problem) {
    return new ScenarioException(file, n == null ? 1 : n.line(), n == null ? "" : n.path(),
        problem);
  }

  private Map<String, Node> object(Node n) {
    if (!(n.value() instanceof Map)) {
      throw error(n, "expected a mapping of fields");
    }
    return n.map();
  }

  @SuppressWarnings("unchecked")
  private List<Node> list(Node n) {
    if (!(n.value() instanceof List)) {
      throw error(n, "expected a list");
    }
    return (List<Node>) n.value();
  }

  private void known(Node n, String... names) {
    Set<String> ok = new LinkedHashSet<>(List.of(names));
    for (Map.Entry<String, Node> e : object(n).entrySet()) {
      if (!ok.contains(e.getKey())) {
        throw error(e.getValue(), "unknown field, expected one of " + ok);
      }
    }
  }

  private Node required(Node parent, String name) {
    Node v = object(parent).get(name);
    if (v == null || v.value() == null) {
      String path = parent.path().isEmpty() ? name : parent.path() + "." + name;
      throw new ScenarioException(file, parent.line(), path, "is required");
    }
    return v;
  }

  private Number number(Node n) {
    if (!(n.value() instanceof Number num)) {
      throw error(n, "expected a number, got " + describe(n));
    }
    return num;
  }

  private String string(Node n) {
    if (!(n.value() instanceof String s)) {
      throw error(n, "expected text, got " + describe(n));
    }
    return s;
  }

  private static String describe(Node n) {
    return n.value() == null ? "nothing" : n.value() instanceof Map ? "a mapping"
        : n.value() instanceof List ? "a list" : "'" + n.value() + "'";
  }

  private String str(Map<String, Node> m, String k, String def) {
    Node n = m.get(k);
    return n == null || n.value() == null ? def : string(n);
  }

  private boolean bool(Map<String, Node> m, String k, boolean def) {
    Node n = m.get(k);
    if (n == null || n.value() == null) {
      return def;
    }
    if (!(n.value() instanceof Boolean b)) {
      throw error(n, "expected true or false, got " + describe(n));
    }
    return b;
  }

  private long lng(Map<String, Node> m, String k, long def) {
    Node n = m.get(k);
    if (n == null || n.value() == null) {
      return def;
    }
    Number v = number(n);
    if (v instanceof Double || v instanceof Float || v instanceof java.math.BigDecimal) {
      throw error(n, "expected a whole number, got " + v);
    }
    if (v instanceof java.math.BigInteger) {
      throw error(n, "number out of range");
    }
    return v.longValue();
  }

  private long range(Map<String, Node> m, String k, long def, long min, long max) {
    long v = lng(m, k, def);
    if (m.get(k) != null && (v < min || v > max)) {
      throw error(m.get(k), "must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  private double positive(Map<String, Node> m, String k, double def) {
    Node n = m.get(k);
    if (n == null || n.value() == null) {
      return def;
    }
    double v = number(n).doubleValue();
    if (!(v > 0) || Double.isInfinite(v)) {
      throw error(n, "must be a positive number, got " + v);
    }
    return v;
  }

  private double fraction(Map<String, Node> m, String k, double def, boolean belowOne) {
    Node n = m.get(k);
    if (n == null || n.value() == null) {
      return def;
    }
    double v = number(n).doubleValue();
    if (!(v >= 0 && (belowOne ? v < 1 : v <= 1))) {
      throw error(n, "must be in [0, 1" + (belowOne ? ")" : "]") + ", got " + v);
    }
    return v;
  }

  private <E extends Enum<E>> E enumValue(Node n, Class<E> type) {
    String s = string(n).trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(s)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    throw error(n, "unknown value '" + n.value() + "', expected one of " + names);
  }
}
