package dev.weft.cli.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.cli.metrics.PrometheusText;
import dev.weft.cli.node.WeftNode;
import dev.weft.core.gossip.GossipRouter;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.PubMessage;
import dev.weft.health.quarantine.HealthState;
import dev.weft.health.quarantine.PeerReport;
import dev.weft.net.host.Connection;
import dev.weft.net.host.IdentifyInfo;
import dev.weft.net.pubsub.PubSub;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node admin API: JSON over HTTP on a loopback address (JDK {@code HttpServer}). Reads are
 * open; anything that changes the node (publish, subscribe, connect, quarantine release/ban) needs
 * {@code Authorization: Bearer <token>}, the token the node wrote to its state directory. Errors
 * are {@code {"error":"..."}} with a 4xx status for bad input and never carry a stack trace.
 * Endpoints are listed in docs/operations.md.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final ObjectMapper JSON = AdminJson.MAPPER;
  private static final HexFormat HEX = HexFormat.of();
  /** Largest request body: a 1 MiB block in base64 plus room. */
  public static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
  private static final int STREAM_QUEUE = 4096;

  private final WeftNode node;
  private final byte[] token;
  private final HttpServer server;
  private final ExecutorService pool;
  private volatile boolean closed;

  public AdminServer(WeftNode node, InetSocketAddress bind, String token) throws IOException {
    if (!bind.getAddress().isLoopbackAddress()) {
      log.warn("admin API bound to non-loopback address {}; reads are unauthenticated", bind);
    }
    this.node = node;
    this.token = token.getBytes(StandardCharsets.US_ASCII);
    this.server = HttpServer.create(bind, 64);
    this.pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "weft-admin");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
  }

  public void start() {
    server.start();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** host:port as clients pass it to {@code --api}. */
  public String addressText() {
    InetSocketAddress a = server.getAddress();
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
    pool.shutdownNow();
  }

  // ---- dispatch ------------------------------------------------------------------------------

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      try {
        route(ex);
      } catch (ApiException e) {
        sendJson(ex, e.status(), error(e.getMessage()));
      } catch (JsonProcessingException e) {
        sendJson(ex, 400, error("request body is not valid JSON: " + e.getOriginalMessage()));
      } catch (IOException e) {
        log.debug("admin client went away: {}", e.toString());
      } catch (RuntimeException e) {
        log.warn("admin API {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
        sendJson(ex, 500, error("internal error (" + e.getClass().getSimpleName() + "); see the node's log"));
      }
    } catch (IOException e) {
      log.debug("admin response not sent: {}", e.toString());
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    List<String> seg = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        seg.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
      }
    }
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    if (seg.size() == 1 && method.equals("GET")) {
      switch (seg.get(0)) {
        case "livez" -> {
          sendJson(ex, 200, obj().put("status", "ok"));
          return;
        }
        case "readyz" -> {
          boolean ready = node.isReady();
          sendJson(ex, ready ? 200 : 503, obj().put("status", ready ? "ready" : "not ready"));
          return;
        }
        case "metrics" -> {
          byte[] body = node.metrics().prometheusText().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", PrometheusText.CONTENT_TYPE);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          return;
        }
        default -> { }
      }
    }
    if (seg.size() < 3 || !seg.get(0).equals("api") || !seg.get(1).equals("v1")) {
      throw new ApiException(404, "no such endpoint: " + method + " " + path);
    }
    String what = seg.get(2);
    List<String> rest = seg.subList(3, seg.size());
    switch (method + " " + what) {
      case "GET peers" -> sendJson(ex, 200, peers());
      case "GET topics" -> sendJson(ex, 200, topics());
      case "GET mesh" -> sendJson(ex, 200, mesh(one(rest, "topic")));
      case "GET routes" -> sendJson(ex, 200, routes(one(rest, "topic")));
      case "GET scores" -> sendJson(ex, 200, rest.isEmpty() ? scores() : score(knownPeer(one(rest, "peer"))));
      case "GET health" -> sendJson(ex, 200, health());
      case "GET stats" -> sendJson(ex, 200, stats());
      case "GET quarantine" -> sendJson(ex, 200,
          rest.isEmpty() ? quarantineList() : explain(knownPeer(one(rest, "peer"))));
      case "POST quarantine" -> {
        requireToken(ex);
        if (rest.size() != 2) {
          throw new ApiException(404, "use POST /api/v1/quarantine/<peer>/release or /ban");
        }
        JsonNode body = body(ex);
        sendJson(ex, 200, quarantineAction(knownPeer(rest.get(0)), rest.get(1), body));
      }
      case "POST publish" -> {
        requireToken(ex);
        sendJson(ex, 200, publish(body(ex)));
      }
      case "POST connect" -> {
        requireToken(ex);
        sendJson(ex, 200, connect(body(ex)));
      }
      case "GET subscribe", "POST subscribe" -> {
        requireToken(ex);
        subscribe(ex, query);
      }
      default -> throw new ApiException(seg.size() == 3 && isKnown(what) ? 405 : 404,
          "no such endpoint: " + method + " " + path);
    }
  }

  private static boolean isKnown(String what) {
    return List.of("peers", "topics", "mesh", "routes", "scores", "health", "stats", "quarantine",
        "publish", "connect", "subscribe").contains(what);
  }

  // ---- endpoints -----------------------------------------------------------------------------

  private ArrayNode peers() {
    Map<PeerId, PeerReport.Summary> health = healthByPeer();
    List<PeerId> pubsubPeers = node.query(GossipRouter::connectedPeers);
    ArrayNode arr = JSON.createArrayNode();
    for (Connection c : node.host().connections()) {
      ObjectNode n = arr.addObject();
      n.put("peer", c.remotePeer().toBase58());
      n.put("direction", c.direction().name().toLowerCase());
      n.put("addr", c.remoteAddr().toString());
      n.put("connectedSeconds", (System.nanoTime() - c.openedAtNanos()) / 1e9);
      IdentifyInfo id = c.identify();
      if (id != null) {
        n.put("agentVersion", id.agentVersion());
      }
      n.put("pubsub", pubsubPeers.contains(c.remotePeer()));
      PeerReport.Summary s = health.get(c.remotePeer());
      n.put("state", s == null ? HealthState.HEALTHY.name() : s.state().name());
      n.put("score", s == null ? node.health().score(c.remotePeer()) : s.score());
    }
    return arr;
  }

  private ObjectNode topics() {
    record T(List<String> subs, Map<String, int[]> counts) {}
    T t = node.query(r -> {
      Map<String, int[]> counts = new LinkedHashMap<>();
      for (String s : r.subscriptions()) {
        counts.put(s, new int[] {r.meshPeers(s).size(), r.topicPeers(s).size()});
      }
      return new T(List.copyOf(r.subscriptions()), counts);
    });
    ObjectNode n = obj();
    ArrayNode arr = n.putArray("topics");
    for (Map.Entry<String, int[]> e : t.counts().entrySet()) {
      arr.addObject().put("topic", e.getKey()).put("subscribed", true)
          .put("meshPeers", e.getValue()[0]).put("topicPeers", e.getValue()[1]);
    }
    return n;
  }

  private ObjectNode mesh(String topic) {
    record M(boolean subscribed, List<PeerId> mesh, List<PeerId> fanout, List<PeerId> topicPeers) {}
    M m = node.query(r -> new M(r.subscriptions().contains(topic), r.meshPeers(topic),
        r.fanoutPeers(topic), r.topicPeers(topic)));
    ObjectNode n = obj().put("topic", topic).put("subscribed", m.subscribed());
    peerArray(n.putArray("mesh"), m.mesh());
    peerArray(n.putArray("fanout"), m.fanout());
    peerArray(n.putArray("topicPeers"), m.topicPeers());
    return n;
  }

  private ObjectNode routes(String topic) {
    List<PeerId> mesh = node.query(r -> r.meshPeers(topic));
    if (!node.treeRouting()) {
      ObjectNode n = obj().put("topic", topic).put("source", "gossipsub-mesh");
      n.put("note", "plain GossipSub (node started without --tree-routing): every mesh peer gets "
          + "every message of the topic in full, one hop each");
      ArrayNode arr = n.putArray("routes");
      for (PeerId p : mesh) {
        arr.addObject().put("nextHop", p.toBase58()).put("kind", "mesh");
      }
      return n;
    }
    List<WeftNode.TreeRoutes> trees = node.treeRoutes(topic);
    ObjectNode n = obj().put("topic", topic).put("source", "tree");
    n.put("note", "adaptive spanning trees: per tree (the topic's shared tree, or one per busy "
        + "author), eager links get each message in full, lazy links only an IHAVE; upstream is "
        + "where the tree's first copies come from" + (trees.isEmpty()
        ? "; no tree yet (no message seen): every mesh peer is eager" : ""));
    ArrayNode arr = n.putArray("routes");
    ArrayNode ts = n.putArray("trees");
    if (trees.isEmpty()) {
      for (PeerId p : mesh) {
        arr.addObject().put("tree", "topic").put("nextHop", p.toBase58()).put("kind", "eager");
      }
    }
    for (WeftNode.TreeRoutes t : trees) {
      String name = t.source() == null ? "topic" : t.source().toBase58();
      ObjectNode tj = ts.addObject().put("tree", name)
          .put("upstream", t.upstream() == null ? null : t.upstream().toBase58());
      peerArray(tj.putArray("eager"), t.eager());
      peerArray(tj.putArray("lazy"), t.lazy());
      if (t.upstream() != null && !t.eager().contains(t.upstream())
          && !t.lazy().contains(t.upstream())) {
        arr.addObject().put("tree", name).put("nextHop", t.upstream().toBase58())
            .put("kind", "upstream");
      }
      for (PeerId p : t.eager()) {
        arr.addObject().put("tree", name).put("nextHop", p.toBase58())
            .put("kind", p.equals(t.upstream()) ? "eager (upstream)" : "eager");
      }
      for (PeerId p : t.lazy()) {
        arr.addObject().put("tree", name).put("nextHop", p.toBase58())
            .put("kind", p.equals(t.upstream()) ? "lazy (upstream)" : "lazy");
      }
    }
    return n;
  }

  private ArrayNode scores() {
    ArrayNode arr = JSON.createArrayNode();
    Map<PeerId, PeerReport.Summary> health = healthByPeer();
    for (PeerId p : node.query(GossipRouter::connectedPeers)) {
      PeerReport.Summary s = health.get(p);
      arr.addObject().put("peer", p.toBase58())
          .put("score", s == null ? node.health().score(p) : s.score())
          .put("state", s == null ? HealthState.HEALTHY.name() : s.state().name());
    }
    return arr;
  }

  private ObjectNode score(PeerId peer) {
    PeerReport r = node.health().explain(peer);
    ObjectNode n = obj().put("peer", peer.toBase58()).put("state", r.state().name());
    n.set("breakdown", JSON.valueToTree(r.score()));
    n.put("total", r.score().total());
    n.put("misbehaviour", r.score().misbehaviour());
    return n;
  }

  private ObjectNode health() {
    EnumMap<HealthState, Integer> states = new EnumMap<>(HealthState.class);
    List<PeerReport.Summary> list = node.health().list();
    for (PeerReport.Summary s : list) {
      states.merge(s.state(), 1, Integer::sum);
    }
    int connections = node.host().connections().size();
    ObjectNode n = obj().put("status", node.isReady() ? "ok" : "starting")
        .put("peerId", node.peerId().toBase58())
        .put("connections", connections)
        .put("isolatedPeers", list.stream().filter(s -> s.state().isIsolated()).count());
    ObjectNode st = n.putObject("peerStates");
    states.forEach((k, v) -> st.put(k.name(), v));
    return n;
  }

  private ArrayNode quarantineList() {
    ArrayNode arr = JSON.createArrayNode();
    long now = System.nanoTime();
    for (PeerReport.Summary s : node.health().list()) {
      if (s.state() == HealthState.HEALTHY) {
        continue;
      }
      ObjectNode n = arr.addObject().put("peer", s.peer().toBase58()).put("state", s.state().name())
          .put("sinceSecondsAgo", (now - s.sinceNs()) / 1e9).put("score", s.score());
      if (s.untilNs() == Long.MAX_VALUE) {
        n.putNull("endsInSeconds");
      } else if (s.untilNs() != 0) {
        n.put("endsInSeconds", Math.max(0, (s.untilNs() - now) / 1e9));
      }
      n.put("reason", s.lastReason() == null ? null : s.lastReason().name());
    }
    return arr;
  }

  private ObjectNode explain(PeerId peer) {
    PeerReport r = node.health().explain(peer);
    ObjectNode n = (ObjectNode) JSON.valueToTree(r);
    n.put("misbehaviour", r.score().misbehaviour());
    n.put("text", r.toText());
    return n;
  }

  private ObjectNode quarantineAction(PeerId peer, String action, JsonNode body) {
    String detail = body.path("detail").asText("operator");
    switch (action) {
      case "release" -> node.health().release(peer, detail);
      case "ban" -> {
        Duration d = null;
        JsonNode secs = body.get("durationSeconds");
        if (secs != null && !secs.isNull()) {
          if (!secs.isNumber() || secs.asDouble() <= 0 || secs.asDouble() > 365 * 86400.0) {
            throw new ApiException(400, "durationSeconds must be a number of seconds in (0, 31536000]");
          }
          d = Duration.ofMillis((long) (secs.asDouble() * 1000));
        }
        node.health().ban(peer, d, detail);
      }
      default -> throw new ApiException(404, "unknown quarantine action '" + action + "' (release, ban)");
    }
    PeerReport r = node.health().explain(peer);
    return obj().put("peer", peer.toBase58()).put("action", action).put("state", r.state().name());
  }

  private ObjectNode publish(JsonNode body) {
    String topic = text(body, "topic");
    byte[] data;
    if (body.hasNonNull("dataBase64")) {
      try {
        data = Base64.getDecoder().decode(body.get("dataBase64").asText());
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "dataBase64 is not base64: " + e.getMessage());
      }
    } else if (body.hasNonNull("data")) {
      data = body.get("data").asText().getBytes(StandardCharsets.UTF_8);
    } else {
      throw new ApiException(400, "publish needs \"data\" (text) or \"dataBase64\"");
    }
    int max = node.options().params.maxRpcSize();
    if (data.length > max) {
      throw new ApiException(413, "message of " + data.length + " bytes exceeds the node's max of " + max);
    }
    GossipRouter.PublishResult r = awaitApi(node.pubsub().publish(topic, data));
    ObjectNode n = obj().put("topic", topic).put("status", r.status().name())
        .put("recipients", r.recipients()).put("bytes", data.length);
    if (r.id() != null) {
      n.put("id", HEX.formatHex(r.id().toBytes()));
    }
    return n;
  }

  private ObjectNode connect(JsonNode body) {
    String text = text(body, "addr");
    Multiaddr addr;
    try {
      addr = Multiaddr.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "malformed multiaddr '" + text + "': " + e.getMessage());
    }
    if (addr.peerId().isEmpty()) {
      throw new ApiException(400, "multiaddr '" + text + "' must end in /p2p/<peer-id>");
    }
    try {
      Connection c = node.host().dial(addr).get(20, TimeUnit.SECONDS);
      return obj().put("peer", c.remotePeer().toBase58()).put("addr", c.remoteAddr().toString())
          .put("direction", c.direction().name().toLowerCase());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted");
    } catch (Exception e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw new ApiException(502, "dial " + text + " failed: " + c.getMessage());
    }
  }

  private void subscribe(HttpExchange ex, Map<String, String> query) throws IOException {
    String topic = query.get("topic");
    if (topic == null || topic.isEmpty()) {
      throw new ApiException(400, "subscribe needs ?topic=<name>");
    }
    long limit = longParam(query, "count", Long.MAX_VALUE);
    long timeoutMs = (long) (longParam(query, "seconds", 0) * 1000);
    boolean wasSubscribed = node.query(r -> r.subscriptions().contains(topic));
    BlockingQueue<String> queue = new ArrayBlockingQueue<>(STREAM_QUEUE);
    AtomicLong dropped = new AtomicLong();
    PubSub.MessageListener l = d -> {
      if (d.topic().equals(topic) && !queue.offer(messageJson(d))) {
        dropped.incrementAndGet();
      }
    };
    node.addMessageListener(l);
    try {
      if (!wasSubscribed) {
        awaitApi(node.pubsub().subscribe(topic));
      }
      ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      line(out, obj().put("event", "subscribed").put("topic", topic).toString());
      long deadline = timeoutMs > 0 ? System.nanoTime() + timeoutMs * 1_000_000 : Long.MAX_VALUE;
      long sent = 0;
      while (!closed && sent < limit && System.nanoTime() - deadline < 0) {
        String msg = queue.poll(200, TimeUnit.MILLISECONDS);
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
          line(out, obj().put("event", "dropped").put("count", lost).toString());
        }
        if (msg != null) {
          line(out, msg);
          sent++;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      node.removeMessageListener(l);
      if (!wasSubscribed && !closed) {
        node.pubsub().unsubscribe(topic);
      }
    }
  }

  private ObjectNode stats() {
    ObjectNode n = obj().put("peerId", node.peerId().toBase58())
        .put("uptimeSeconds", node.uptimeNs() / 1e9)
        .put("connections", node.host().connections().size());
    ObjectNode totals = n.putObject("totals");
    for (String base : new String[] {"weft_messages_published_total", "weft_messages_delivered_total",
        "weft_messages_in_total", "weft_messages_out_total", "weft_bytes_in_total", "weft_bytes_out_total",
        "weft_duplicates_total", "weft_messages_dropped_total", "weft_reroutes_total", "weft_tree_reroutes_total",
        "weft_quarantines_total", "weft_bans_total", "weft_connections_opened_total",
        "weft_disconnections_total"}) {
      totals.put(base.substring("weft_".length(), base.length() - "_total".length()),
          node.metrics().total(base));
    }
    return n;
  }

  // ---- helpers -------------------------------------------------------------------------------

  static String messageJson(PubSub.Delivery d) {
    PubMessage m = d.message();
    ObjectNode n = JSON.createObjectNode().put("event", "message").put("topic", d.topic())
        .put("id", HEX.formatHex(d.id().toBytes()));
    if (m.hasFrom()) {
      try {
        n.put("from", PeerId.fromBytes(m.from()).toBase58());
      } catch (IllegalArgumentException e) {
        n.put("from", HEX.formatHex(m.from()));
      }
    }
    if (d.receivedFrom() != null) {
      n.put("receivedFrom", d.receivedFrom().toBase58());
    }
    String text = utf8(m.data());
    if (text != null) {
      n.put("data", text);
    }
    n.put("dataBase64", Base64.getEncoder().encodeToString(m.data()));
    return n.toString();
  }

  private static String utf8(byte[] data) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(data)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }

  private static void line(OutputStream out, String s) throws IOException {
    out.write((s + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private Map<PeerId, PeerReport.Summary> healthByPeer() {
    Map<PeerId, PeerReport.Summary> m = new HashMap<>();
    for (PeerReport.Summary s : node.health().list()) {
      m.put(s.peer(), s);
    }
    return m;
  }

  /** Parses a peer ID and checks that the node knows it (connected or tracked by health). */
  private PeerId knownPeer(String text) {
    PeerId p;
    try {
      p = PeerId.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "malformed peer ID '" + text + "': " + e.getMessage());
    }
    if (node.host().connection(p).isPresent()) {
      return p;
    }
    for (PeerReport.Summary s : node.health().list()) {
      if (s.peer().equals(p)) {
        return p;
      }
    }
    throw new ApiException(404, "unknown peer " + p + " (not connected and no health record)");
  }

  private void requireToken(HttpExchange ex) {
    String h = ex.getRequestHeaders().getFirst("Authorization");
    if (h == null || !h.startsWith("Bearer ")) {
      throw new ApiException(401, "this call changes the node: send Authorization: Bearer <token> "
          + "(the token is in the node's state directory, admin.token)");
    }
    byte[] given = h.substring("Bearer ".length()).trim().getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(given, token)) {
      throw new ApiException(403, "wrong admin token");
    }
  }

  private static JsonNode body(HttpExchange ex) throws IOException {
    InputStream in = ex.getRequestBody();
    byte[] data = in.readNBytes(MAX_BODY_BYTES + 1);
    if (data.length > MAX_BODY_BYTES) {
      throw new ApiException(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
    }
    if (data.length == 0) {
      return JSON.createObjectNode();
    }
    JsonNode n = JSON.readTree(data);
    if (n == null || !n.isObject()) {
      throw new ApiException(400, "request body must be a JSON object");
    }
    return n;
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new ApiException(400, "field \"" + field + "\" (non-empty string) is required");
    }
    return v.asText();
  }

  private static String one(List<String> rest, String what) {
    if (rest.size() != 1) {
      throw new ApiException(400, "expected exactly one <" + what + "> in the path");
    }
    return rest.get(0);
  }

  private static long longParam(Map<String, String> q, String name, long dflt) {
    String v = q.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      long l = Long.parseLong(v);
      if (l < 0) {
        throw new NumberFormatException();
      }
      return l;
    } catch (NumberFormatException e) {
      throw new ApiException(400, "query parameter " + name + "=" + v + " is not a non-negative integer");
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> m = new HashMap<>();
    if (raw == null) {
      return m;
    }
    for (String kv : raw.split("&")) {
      int i = kv.indexOf('=');
      String k = URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8);
      String v = i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
      m.put(k, v);
    }
    return m;
  }

  private static <T> T awaitApi(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted");
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IllegalArgumentException) {
        throw new ApiException(400, c.getMessage());
      }
      throw new ApiException(503, "node refused: " + c.getMessage());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new ApiException(503, "the node did not answer within 10 s");
    }
  }

  private static void peerArray(ArrayNode arr, List<PeerId> peers) {
    for (PeerId p : peers) {
      arr.add(p.toBase58());
    }
  }

  private static ObjectNode obj() {
    return JSON.createObjectNode();
  }

  private static ObjectNode error(String message) {
    return obj().put("error", message);
  }

  private static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = (body.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }
}
