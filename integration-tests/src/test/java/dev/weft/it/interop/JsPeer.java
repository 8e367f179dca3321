package dev.weft.it.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * One js-libp2p 3.x node in a child process ({@code node peer.mjs}), driven over JSON lines.
 *
 * <p>Start it with {@link #start(Options)}; it returns once the node printed {@code ready}
 * (bounded by {@link Options#startTimeout(Duration)}, 30 s by default). Commands go through
 * {@link #command(String, Map)} (blocking, throws {@link JsPeerException} on {@code "ok":false})
 * or {@link #commandAsync(String, Map)}; every stdout event is kept and can be awaited with
 * {@link #awaitEvent(Predicate, Duration)}. {@link #close()} sends {@code stop}, waits, then
 * destroys the process tree. See {@code src/test/js/README.md} for the command and event shapes.
 */
public final class JsPeer implements AutoCloseable {

  /** Default timeout of blocking commands. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(20);

  private static final AtomicLong NAMES = new AtomicLong();

  private final JsProcess proc;
  private final JsonNode ready;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private JsPeer(JsProcess proc, JsonNode ready) {
    this.proc = proc;
    this.ready = ready;
  }

  /**
   * Launches {@code node peer.mjs '<options json>'} in the directory named by the system property
   * {@code weft.interop.js.dir} and waits for its {@code ready} event.
   *
   * @throws AssertionError if node or the js directory is missing (see {@link NodeCheck})
   * @throws JsPeerException if the node fails to start in time
   */
  public static JsPeer start(Options options) {
    return awaitReady(launch(options), options);
  }

  /**
   * Starts several peers in parallel (all processes are launched before waiting for the first
   * {@code ready}), which saves most of node's start-up time when a test needs many peers.
   * If any of them fails to start, all are stopped and the failure is thrown.
   */
  public static List<JsPeer> startAll(List<Options> options) {
    List<JsProcess> procs = new ArrayList<>();
    List<JsPeer> peers = new ArrayList<>();
    try {
      for (Options o : options) {
        procs.add(launch(o));
      }
      for (int i = 0; i < procs.size(); i++) {
        peers.add(awaitReady(procs.get(i), options.get(i)));
      }
      return peers;
    } catch (RuntimeException | Error e) {
      for (JsPeer p : peers) {
        p.close();
      }
      for (JsProcess p : procs) {
        p.terminate(Duration.ZERO);
      }
      throw e;
    }
  }

  /** Starts {@code n} peers with the options made by {@code options.apply(i)}, in parallel. */
  public static List<JsPeer> startAll(int n, IntFunction<Options> options) {
    List<Options> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(options.apply(i));
    }
    return startAll(list);
  }

  private static JsProcess launch(Options options) {
    Path dir = NodeCheck.requireJsEnvironment();
    String name = options.name != null ? options.name : "peer" + NAMES.incrementAndGet();
    String json;
    try {
      json = JsProcess.JSON.writeValueAsString(options.values);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("options are not serialisable to JSON: " + options.values, e);
    }
    return JsProcess.start(name, dir, "peer.mjs", List.of(json), options.env);
  }

  private static JsPeer awaitReady(JsProcess proc, Options options) {
    try {
      JsonNode ready = proc.awaitEvent(e -> isEvent(e, "ready") || (isEvent(e, "error")
          && "start".equals(e.path("where").asText())), options.startTimeout);
      if (!isEvent(ready, "ready")) {
        throw new JsPeerException("js peer " + proc.name() + " failed to start: "
            + ready.path("message").asText() + proc.stderrForMessage());
      }
      JsPeer peer = new JsPeer(proc, ready);
      // attached before the first command is sent, so no result can be missed
      proc.addListener(peer::onEvent);
      return peer;
    } catch (RuntimeException e) {
      proc.terminate(Duration.ZERO);
      throw e;
    }
  }

  /** Starts a peer with default options. */
  public static JsPeer start() {
    return start(new Options());
  }

  /** Whether {@code event} is an object whose {@code "event"} field equals {@code name}. */
  public static boolean isEvent(JsonNode event, String name) {
    return event != null && name.equals(event.path("event").asText(null));
  }

  /** A predicate matching events named {@code name}. */
  public static Predicate<JsonNode> event(String name) {
    return e -> isEvent(e, name);
  }

  /** A predicate matching events named {@code name} whose {@code "peer"} field equals {@code peer}. */
  public static Predicate<JsonNode> event(String name, String peer) {
    return e -> isEvent(e, name) && peer.equals(e.path("peer").asText(null));
  }

  // ---------------------------------------------------------------- identity

  /** The node's peer ID (base58). */
  public String peerId() {
    return ready.path("peerId").asText();
  }

  /** The listen addresses from the {@code ready} event, each ending in {@code /p2p/<peerId>}. */
  public List<String> addrs() {
    List<String> out = new ArrayList<>();
    ready.path("addrs").forEach(a -> out.add(a.asText()));
    return out;
  }

  /** The first listen address (with {@code /p2p/<peerId>}). */
  public String addr() {
    List<String> a = addrs();
    if (a.isEmpty()) {
      throw new IllegalStateException("js peer " + proc.name() + " has no listen address");
    }
    return a.get(0);
  }

  /** The {@code ready} event (peerId, addrs, protocols, muxers, msgId, pid, ...). */
  public JsonNode readyEvent() {
    return ready;
  }

  /** The label of this peer in logs. */
  public String name() {
    return proc.name();
  }

  /** The child process (e.g. to assert {@code isAlive()} after close). */
  public Process process() {
    return proc.process();
  }

  /** The underlying event/process wrapper. */
  public JsProcess js() {
    return proc;
  }

  // ---------------------------------------------------------------- commands

  /**
   * Sends command {@code name} with {@code args} and returns a future of its result object
   * (completed exceptionally with {@link JsPeerException} when the result has {@code "ok":false} or
   * the process exits first).
   */
  public CompletableFuture<JsonNode> commandAsync(String name, Map<String, ?> args) {
    Objects.requireNonNull(name, "name");
    long id = ids.incrementAndGet();
    ObjectNode req = JsProcess.JSON.createObjectNode();
    if (args != null) {
      req.setAll((ObjectNode) JsProcess.JSON.valueToTree(args));
    }
    req.put("id", id);
    req.put("cmd", name);
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    if (!proc.isAlive()) {
      pending.remove(id);
      f.completeExceptionally(new JsPeerException("js peer " + proc.name() + " is not running"
          + proc.exitInfo() + proc.stderrForMessage()));
      return f;
    }
    try {
      proc.sendLine(req.toString());
    } catch (RuntimeException e) {
      pending.remove(id);
      f.completeExceptionally(e);
    }
    return f;
  }

  /** {@link #command(String, Map, Duration)} with {@link #DEFAULT_COMMAND_TIMEOUT}. */
  public JsonNode command(String name, Map<String, ?> args) {
    return command(name, args, DEFAULT_COMMAND_TIMEOUT);
  }

  /** Command without arguments. */
  public JsonNode command(String name) {
    return command(name, Map.of());
  }

  /**
   * Sends a command and waits for its result.
   *
   * @return the result object ({@code "ok":true} plus command-specific fields)
   * @throws JsPeerException if the result has {@code "ok":false}, on timeout, or if the process exits
   */
  public JsonNode command(String name, Map<String, ?> args, Duration timeout) {
    CompletableFuture<JsonNode> f = commandAsync(name, args);
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof JsPeerException) {
        JsPeerException j = (JsPeerException) c;
        // rethrow with this caller's stack trace
        throw new JsPeerException(j.getMessage(), j.result(), j);
      }
      throw new JsPeerException("command " + name + " failed: " + c, c);
    } catch (TimeoutException e) {
      throw new JsPeerException("command " + name + " " + args + " got no result within "
          + timeout.toMillis() + " ms from js peer " + proc.name() + proc.stderrForMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JsPeerException("interrupted while waiting for command " + name, e);
    }
  }

  /** Dials {@code addr} (a multiaddr, normally ending in /p2p/..); returns the connection info. */
  public JsonNode dial(String addr) {
    return command("dial", Map.of("addr", addr));
  }

  /** Closes all connections to {@code peer}. */
  public void hangup(String peer) {
    command("hangup", Map.of("peer", peer));
  }

  /** One /ipfs/ping/1.0.0 round trip on a new stream; returns the RTT in ms (hrtime, fractional). */
  public double ping(String peer) {
    return command("ping", Map.of("peer", peer)).path("rttMs").asDouble();
  }

  /** Subscribes to {@code topic}. */
  public void subscribe(String topic) {
    command("subscribe", Map.of("topic", topic));
  }

  /** Unsubscribes from {@code topic}. */
  public void unsubscribe(String topic) {
    command("unsubscribe", Map.of("topic", topic));
  }

  /** Publishes UTF-8 {@code data} on {@code topic}; returns the result (msgId hex, seqno, recipients). */
  public JsonNode publish(String topic, String data) {
    return command("publish", Map.of("topic", topic, "data", data));
  }

  /** Publishes raw bytes on {@code topic}; returns the result (msgId hex, seqno, recipients). */
  public JsonNode publish(String topic, byte[] data) {
    return command("publish", Map.of("topic", topic, "dataBase64", Base64.getEncoder().encodeToString(data)));
  }

  /** The gossipsub mesh peers of {@code topic}. */
  public List<String> mesh(String topic) {
    List<String> out = new ArrayList<>();
    command("mesh", Map.of("topic", topic)).path("mesh").forEach(p -> out.add(p.asText()));
    return out;
  }

  /** The peer store's record of {@code peer}: protocols, agentVersion, protocolVersion, addrs. */
  public JsonNode identifyInfo(String peer) {
    return command("identify-info", Map.of("peer", peer));
  }

  /** Gossipsub peer scores: {@code {"scores":{peer:score},"stats":{peer:{...}}}}. */
  public JsonNode scores() {
    return command("scores");
  }

  /** Open connections grouped by peer. */
  public JsonNode peers() {
    return command("peers");
  }

  // ---------------------------------------------------------------- events

  /** The global index the next event will get (see {@link JsProcess#mark()}). */
  public long mark() {
    return proc.mark();
  }

  /** First event (whole history or later) matching {@code pred}. */
  public JsonNode awaitEvent(Predicate<JsonNode> pred, Duration timeout) {
    return proc.awaitEvent(pred, timeout);
  }

  /** First event at index {@code >= mark} matching {@code pred}. */
  public JsonNode awaitEventAfter(long mark, Predicate<JsonNode> pred, Duration timeout) {
    return proc.awaitEventAfter(mark, pred, timeout);
  }

  /** The first {@code count} events at index {@code >= mark} matching {@code pred}. */
  public List<JsonNode> awaitEvents(long mark, Predicate<JsonNode> pred, int count, Duration timeout) {
    return proc.awaitEvents(mark, pred, count, timeout);
  }

  /** The first {@code peer:identify} event about {@code peer} (whole history or later). */
  public JsonNode awaitIdentify(String peer, Duration timeout) {
    return awaitEvent(event("peer:identify", peer), timeout);
  }

  /** The first gossipsub {@code message} event on {@code topic} at index {@code >= mark}. */
  public JsonNode awaitMessage(long mark, String topic, Duration timeout) {
    return awaitEventAfter(mark, e -> isEvent(e, "message") && topic.equals(e.path("topic").asText()), timeout);
  }

  /** The payload of a {@code message} event (requires {@code emitData}, the default). */
  public static byte[] messageData(JsonNode messageEvent) {
    JsonNode b64 = messageEvent.get("dataBase64");
    if (b64 == null || b64.isNull()) {
      throw new IllegalArgumentException("message event has no dataBase64 (emitData=false?): " + messageEvent);
    }
    return Base64.getDecoder().decode(b64.asText());
  }

  /** Events received so far matching {@code pred}. */
  public List<JsonNode> events(Predicate<JsonNode> pred) {
    return proc.events(pred);
  }

  /** The last stderr lines of the js process. */
  public String stderrTail() {
    return proc.stderrTail();
  }

  /** Whether the process is running. */
  public boolean isAlive() {
    return proc.isAlive();
  }

  /**
   * Sends {@code stop}, waits up to 5 s for the process to exit, then destroys it and its
   * descendants (SIGTERM, then SIGKILL). Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (proc.isAlive()) {
      try {
        commandAsync("stop", Map.of());
      } catch (RuntimeException ignored) {
        // the process may be exiting already
      }
    }
    proc.closeStdin();
    proc.terminate(Duration.ofSeconds(5));
    failPending("js peer " + proc.name() + " was closed");
  }

  @Override
  public String toString() {
    return "JsPeer[" + proc.name() + " " + peerId() + " pid " + proc.pid() + "]";
  }

  private void onEvent(JsonNode e) {
    if (e == null) {
      failPending("js peer " + proc.name() + " exited before answering" + proc.exitInfo() + proc.stderrForMessage());
      return;
    }
    if (!isEvent(e, "result") || !e.hasNonNull("id") || !e.get("id").canConvertToLong()) {
      return;
    }
    CompletableFuture<JsonNode> f = pending.remove(e.get("id").asLong());
    if (f == null) {
      return;
    }
    if (e.path("ok").asBoolean(false)) {
      f.complete(e);
    } else {
      f.completeExceptionally(new JsPeerException("js peer " + proc.name() + ": command "
          + e.path("cmd").asText() + " failed: " + e.path("error").asText() + proc.stderrForMessage(), e, null));
    }
  }

  private void failPending(String message) {
    for (Long id : new ArrayList<>(pending.keySet())) {
      CompletableFuture<JsonNode> f = pending.remove(id);
      if (f != null) {
        f.completeExceptionally(new JsPeerException(message));
      }
    }
  }

  /**
   * Start options of peer.mjs. Unset options keep peer.mjs defaults: listen
   * {@code /ip4/127.0.0.1/tcp/0}, yamux, random Ed25519 key, gossipsub on with go-style message ids
   * ({@code from || seqno}), allowPublishToZeroTopicPeers on, 127.0.0.1 IP-colocation whitelisted,
   * connection manager allow-list 127.0.0.0/8, connection monitor on with
   * abortConnectionOnPingFailure, libp2p's default agent version.
   */
  public static final class Options {
    final Map<String, Object> values = new LinkedHashMap<>();
    final Map<String, String> env = new LinkedHashMap<>();
    String name;
    Duration startTimeout = Duration.ofSeconds(30);

    /** Label for logs and thread names. */
    public Options name(String name) {
      this.name = name;
      return this;
    }

    /** How long {@link JsPeer#start(Options)} waits for {@code ready} (default 30 s). */
    public Options startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /** Listen multiaddrs (default {@code /ip4/127.0.0.1/tcp/0}); none = dial-only. */
    public Options listen(String... addrs) {
      return set("listen", List.of(addrs));
    }

    /** Stream muxer(s): {@code yamux} (default), {@code mplex}, or a preference list {@code yamux,mplex}. */
    public Options muxer(String muxer) {
      return set("muxer", muxer);
    }

    /** Deterministic Ed25519 key from a 32-byte seed given as 64 hex characters. */
    public Options seedHex(String hex) {
      return set("seed", hex);
    }

    /** Deterministic Ed25519 key, gossipsub-interop style: {@code n} little-endian in the first 4 seed bytes. */
    public Options seed(int n) {
      return set("seed", n);
    }

    /** Gossipsub on (default) or off. */
    public Options gossipsub(boolean on) {
      return set("gossipsub", on);
    }

    /** Topics subscribed to at start. */
    public Options topics(String... topics) {
      return set("topics", List.of(topics));
    }

    /** Message-id function: {@code go} (from||seqno, default), {@code js} (key||seqno), {@code hash} (sha256(data)). */
    public Options msgId(String kind) {
      return set("msgId", kind);
    }

    /** Whether publishing without topic peers succeeds (default true). */
    public Options allowPublishToZeroTopicPeers(boolean allow) {
      return set("allowPublishToZeroTopicPeers", allow);
    }

    /** IPs exempt from the IP-colocation score penalty (default 127.0.0.1); none = js default scoring. */
    public Options ipColocationWhitelist(String... ips) {
      return set("ipColocationWhitelist", List.of(ips));
    }

    /** Connection-manager allow list (multiaddrs, default 127.0.0.0/8 and ::1). */
    public Options allow(String... addrs) {
      return set("allow", List.of(addrs));
    }

    /** The identify agentVersion (default: js-libp2p's {@code libp2p/<ver> node/<ver>}). */
    public Options agentVersion(String agentVersion) {
      return set("agentVersion", agentVersion);
    }

    /** Connection monitor on (default) or off. */
    public Options connectionMonitor(boolean on) {
      return set("connectionMonitor", on);
    }

    /** Whether a failed monitor ping aborts the connection (default true, as libp2p 3 ships). */
    public Options abortConnectionOnPingFailure(boolean abort) {
      return set("abortConnectionOnPingFailure", abort);
    }

    /** Gossipsub mesh degree parameters. */
    public Options degree(int d, int dlo, int dhi) {
      return set("D", d).set("Dlo", dlo).set("Dhi", dhi);
    }

    /** {@code StrictSign} (default) or {@code StrictNoSign}. */
    public Options signaturePolicy(String policy) {
      return set("signaturePolicy", policy);
    }

    /** Whether message events carry the payload (default true; false for high-rate benchmarks). */
    public Options emitData(boolean emit) {
      return set("emitData", emit);
    }

    /** Any other peer.mjs option (e.g. {@code heartbeatInterval}, {@code scoreParams}, {@code gossipsubOpts}). */
    public Options set(String key, Object value) {
      values.put(key, value);
      return this;
    }

    /** An environment variable for the node process (e.g. {@code DEBUG=libp2p:gossipsub*}). */
    public Options env(String key, String value) {
      env.put(key, value);
      return this;
    }

    @Override
    public String toString() {
      return values.toString();
    }
  }
}
