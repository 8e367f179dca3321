package dev.weft.cli.node;

import dev.weft.cli.admin.AdminServer;
import dev.weft.cli.metrics.NodeMetrics;
import dev.weft.core.events.OverlayEvents;
import dev.weft.core.gossip.GossipParams;
import dev.weft.core.gossip.GossipRouter;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.net.health.NodeHealth;
import dev.weft.net.crypto.KeyFiles;
import dev.weft.net.crypto.PrivKey;
import dev.weft.net.emulation.LinkEmulatorRegistry;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostConfig;
import dev.weft.net.host.HostListener;
import dev.weft.net.pubsub.PubSub;
import dev.weft.net.pubsub.RpcCodec;
import dev.weft.routing.tree.TreeParams;
import dev.weft.routing.tree.TreeRouter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One weft node as the CLI runs it: host, GossipSub driver, health monitor (scorer and
 * quarantine), metrics registry and, optionally, the admin HTTP API. {@code weft run} starts one,
 * {@code weft demo} starts many in one JVM.
 */
public final class WeftNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WeftNode.class);

  /** Node settings; public fields with defaults, set what you need. */
  public static final class Options {
    public String name = "node";
    public PrivKey key;
    public List<Multiaddr> listen = new ArrayList<>(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    public List<Multiaddr> peers = new ArrayList<>();
    public List<String> topics = new ArrayList<>();
    public GossipParams params = GossipParams.specDefaults();
    public String agent = HostConfig.DEFAULT_AGENT;
    /** Admin API bind address (host:port), or null for none. */
    public InetSocketAddress api;
    /** Where the admin token and address files go (required with {@link #api}). */
    public Path stateDir;
    public LinkEmulatorRegistry emulation;
    public NodeMetrics.PublishClock publishClock = NodeMetrics.PublishClock.NONE;
    public Map<String, PubSub.TopicValidator> validators = new LinkedHashMap<>();
    public int ioThreads = 2;
    /** Adaptive spanning trees with weft peers (docs/routing.md); plain GossipSub when false. */
    public boolean treeRouting;
  }

  private final Options options;
  private final Host host;
  private final PubSub pubsub;
  private final TreeRouter tree;
  private final NodeHealth health;
  private final HealthView healthView;
  private final NodeMetrics metrics;
  private final List<PubSub.MessageListener> messageListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timers;
  private final long startedNs = System.nanoTime();
  private volatile List<Multiaddr> boundAddrs = List.of();
  private volatile AdminServer admin;
  private volatile boolean ready;
  private volatile boolean closed;

  public WeftNode(Options options) {
    if (options.key == null) {
      throw new IllegalArgumentException("a node needs an identity key");
    }
    this.options = options;
    this.metrics = new NodeMetrics(options.publishClock);
    try {
      // retained scores, quarantines and bans survive restarts when the node has a state directory
      this.health = new NodeHealth(NodeHealth.Config.defaults(options.topics.toArray(String[]::new))
          .withStateDir(options.stateDir == null ? null : options.stateDir.resolve("health")));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot load the health store: " + e.getMessage(), e);
    }
    health.addListener(e -> metrics.onTransition(e.transition()));
    HostConfig.Builder cfg = HostConfig.builder(options.key).agentVersion(options.agent)
        .ioThreads(options.ioThreads).gater(health.gater());
    options.listen.forEach(cfg::listen);
    if (options.emulation != null) {
      cfg.emulation(options.emulation);
    }
    this.host = new Host(cfg.build());
    host.addListener(metrics);
    PubSub.Config base = PubSub.Config.defaults();
    this.tree = options.treeRouting ? new TreeRouter(TreeParams.defaults()) : null;
    GossipParams params = tree == null ? options.params : withTreeCache(options.params);
    if (tree != null) {
      // quarantined peers are never eager and never chosen as upstream (asked on the core loop)
      tree.quarantine(p -> health.locked(m -> m.state(p).isIsolated()));
      metrics.treeFrom(tree::stats);
    }
    this.pubsub = new PubSub(host, health.configure(new PubSub.Config(params,
        base.thresholds(), base.scorer(), metrics, RpcCodec.Limits.defaults())), tree);
    health.attach(host, pubsub);
    pubsub.setRpcObserver(metrics);
    metrics.bind(host, pubsub);
    metrics.scoreFrom((p, now) -> health.locked(m -> m.score(p, now)));
    pubsub.addListener(d -> {
      for (PubSub.MessageListener l : messageListeners) {
        l.onMessage(d);
      }
    });
    this.healthView = new MonitorHealthView(health);
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "weft-node-" + options.name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Seconds of messages a tree-routing node keeps to answer IWANT. */
  static final int TREE_MCACHE_SECONDS = 10;

  /**
   * A lazy tree link is repaired by IWANT only after the eager copy is late (the announcer's RTT
   * timeout), so the announcer must still hold the message then: at least
   * {@value #TREE_MCACHE_SECONDS} s of message cache (the market preset keeps 2 s), whatever the
   * heartbeat. IHAVE gossip still advertises only the last mcacheGossip heartbeats.
   */
  static GossipParams withTreeCache(GossipParams p) {
    long hbMs = Math.max(1, p.heartbeatInterval().toMillis());
    int len = (int) Math.max(p.mcacheLen(), (TREE_MCACHE_SECONDS * 1000L + hbMs - 1) / hbMs);
    return len == p.mcacheLen() ? p : p.toBuilder().mcacheLen(len).build();
  }

  /** {@link #listen()} then {@link #dialPeers()}. */
  public WeftNode start() throws InterruptedException, IOException {
    listen();
    dialPeers();
    return this;
  }

  /** Keeps the configured peers connected (redials every 5 s). */
  public void dialPeers() {
    if (!options.peers.isEmpty()) {
      timers.scheduleWithFixedDelay(this::redial, 0, 5, TimeUnit.SECONDS);
    }
  }

  /** Starts listening, joins the topics and opens the admin API; dials nobody yet. */
  public WeftNode listen() throws InterruptedException, IOException {
    boundAddrs = host.start();
    for (Map.Entry<String, PubSub.TopicValidator> v : options.validators.entrySet()) {
      pubsub.setValidator(v.getKey(), v.getValue());
    }
    for (String t : options.topics) {
      await(pubsub.subscribe(t));
    }
    if (options.api != null) {
      String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
      AdminServer server = new AdminServer(this, options.api, token);
      server.start();
      admin = server;
      if (options.stateDir != null) {
        KeyFiles.writeSecret(options.stateDir.resolve("admin.token"), token.getBytes(StandardCharsets.US_ASCII));
        KeyFiles.writeSecret(options.stateDir.resolve("admin.addr"),
            server.addressText().getBytes(StandardCharsets.US_ASCII));
      }
    }
    ready = true;
    return this;
  }

  private void redial() {
    for (Multiaddr p : options.peers) {
      PeerId id = p.peerId().orElseThrow();
      if (!closed && host.connection(id).isEmpty()) {
        host.dial(p).whenComplete((c, e) -> {
          if (e != null) {
            log.warn("dial {} failed: {}", p, e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
          }
        });
      }
    }
  }

  public String name() {
    return options.name;
  }

  public PeerId peerId() {
    return host.peerId();
  }

  public Host host() {
    return host;
  }

  public PubSub pubsub() {
    return pubsub;
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  /** The health subsystem itself (listeners, admin facade). */
  public NodeHealth nodeHealth() {
    return health;
  }

  public HealthView health() {
    return healthView;
  }

  public List<Multiaddr> addrs() {
    return boundAddrs;
  }

  /** Dialable addresses with the /p2p suffix. */
  public List<Multiaddr> fullAddrs() {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : boundAddrs) {
      out.add(a.withPeerId(host.peerId()));
    }
    return out;
  }

  public AdminServer admin() {
    return admin;
  }

  public boolean isReady() {
    return ready && !closed;
  }

  public long uptimeNs() {
    return System.nanoTime() - startedNs;
  }

  public Options options() {
    return options;
  }

  public void addMessageListener(PubSub.MessageListener l) {
    messageListeners.add(l);
  }

  public void removeMessageListener(PubSub.MessageListener l) {
    messageListeners.remove(l);
  }

  /** Runs a read-only query on the router and waits up to 5 s. */
  public <T> T query(java.util.function.Function<GossipRouter, T> q) {
    return await(pubsub.inspect(q));
  }

  static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the node did not answer within 5 s");
    }
  }

  /** Whether this node forwards along adaptive spanning trees ({@code --tree-routing}). */
  public boolean treeRouting() {
    return tree != null;
  }

  /**
   * The topic's routing trees with their eager and lazy links, read on the core loop (empty with
   * plain GossipSub). Eager links are the mesh peers that are not lazy in that tree.
   */
  public List<TreeRoutes> treeRoutes(String topic) {
    if (tree == null) {
      return List.of();
    }
    return query(r -> {
      List<PeerId> mesh = r.meshPeers(topic);
      List<TreeRoutes> out = new ArrayList<>();
      for (TreeRouter.TreeView v : tree.trees(topic)) {
        List<PeerId> eager = new ArrayList<>();
        List<PeerId> lazy = new ArrayList<>();
        for (PeerId p : mesh) {
          (v.lazy().contains(p) ? lazy : eager).add(p);
        }
        out.add(new TreeRoutes(v.source(), v.upstream(), eager, lazy));
      }
      return out;
    });
  }

  /** One tree: its author (null: the topic tree), upstream, eager and lazy links. */
  public record TreeRoutes(PeerId source, PeerId upstream, List<PeerId> eager, List<PeerId> lazy) {}

  public void addHostListener(HostListener l) {
    host.addListener(l);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    timers.shutdownNow();
    AdminServer a = admin;
    if (a != null) {
      a.close();
    }
    pubsub.close();
    host.close();
    health.close();
  }
}
