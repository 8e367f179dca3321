package dev.weft.net.health;

import dev.weft.core.events.IgnoreReason;
import dev.weft.core.events.MalformedReason;
import dev.weft.core.events.OverlayEvents;
import dev.weft.core.events.PruneReason;
import dev.weft.core.events.RejectReason;
import dev.weft.core.events.ThrottleReason;
import dev.weft.core.gossip.PeerScorer;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import dev.weft.health.persist.HealthSnapshot;
import dev.weft.health.quarantine.HealthAction;
import dev.weft.health.quarantine.HealthMonitor;
import dev.weft.health.quarantine.HealthState;
import dev.weft.health.quarantine.Transition;
import dev.weft.health.quarantine.TransitionListener;
import dev.weft.health.signals.RateDecision;
import dev.weft.net.host.Connection;
import dev.weft.net.host.ConnectionGater;
import dev.weft.net.host.Direction;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostListener;
import dev.weft.net.pubsub.InboundGuard;
import dev.weft.net.pubsub.PubSub;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pure {@link HealthMonitor} inside a live node. It is, at once:
 *
 * <ul>
 *   <li>the router's {@link PeerScorer} and an {@link OverlayEvents} listener ({@link #configure});
 *       a QUARANTINED or BANNED peer scores {@link HealthMonitor#ISOLATED_SCORE}, so the router
 *       graylists it, prunes it from every mesh at the next heartbeat and never offers it in PX;
 *   <li>the host's {@link ConnectionGater} ({@link #gater}): banned peers' connections are refused
 *       after the Noise handshake (both directions), and inbound streams over the new-streams/s
 *       budget are reset;
 *   <li>the pubsub {@link InboundGuard} ({@link #attach}): every RPC frame is charged to the
 *       sender's RPC and byte budgets before decoding (dropped when over budget or when the peer is
 *       isolated); undecodable frames arrive as the router's {@code onMalformedRpc} event;
 *   <li>a {@link HostListener} that records each connection's remote IP for P6 (colocation);
 *   <li>the executor of the monitor's actions: after each heartbeat, isolated peers whose grace
 *       period is over (banned peers at once) are disconnected;
 *   <li>the persistence driver: with a state directory, the snapshot is loaded at start, saved
 *       every {@code saveInterval} and on {@link #close} through {@link HealthStore}.
 * </ul>
 *
 * <p>Every transition is logged (INFO) with its reason, detail and wall time, and sent to the
 * {@link HealthListener}s. Operators use {@link #admin()}.
 *
 * <p>Wiring order (the gater must be in the host config before the host exists):
 *
 * <pre>{@code
 * NodeHealth health = new NodeHealth(NodeHealth.Config.defaults(topics).withStateDir(dir));
 * Host host = new Host(HostConfig.builder(key).gater(health.gater()).build());
 * PubSub pubsub = new PubSub(host, health.configure(PubSub.Config.defaults()));
 * health.attach(host, pubsub);
 * ...
 * pubsub.close(); host.close(); health.close();
 * }</pre>
 *
 * <p>Thread safety: the monitor is single-threaded, so every access goes through one lock; router
 * callbacks (core loop), frame screening (connection loops), the gater, the saver and operator
 * calls all take it briefly.
 */
public final class NodeHealth implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeHealth.class);

  /**
   * Settings.
   *
   * @param monitor the pure monitor's configuration (score parameters per topic, thresholds,
   *     policy, rate limits); its listener, if any, also receives transitions
   * @param stateDir where {@link HealthStore} keeps the snapshot, or null for no persistence
   * @param saveInterval how often the snapshot is saved while running
   */
  public record Config(HealthMonitor.Config monitor, Path stateDir, Duration saveInterval) {
    /** Checks fields. */
    public Config {
      Objects.requireNonNull(monitor, "monitor");
      Objects.requireNonNull(saveInterval, "saveInterval");
      if (saveInterval.isNegative() || saveInterval.isZero()) {
        throw new IllegalArgumentException("saveInterval must be positive: " + saveInterval);
      }
    }

    /** {@link HealthMonitor.Config#defaults} for {@code topics}, no persistence, saves every 30 s. */
    public static Config defaults(String... topics) {
      return new Config(HealthMonitor.Config.defaults(topics), null, Duration.ofSeconds(30));
    }

    /** A copy with another state directory (null: none). */
    public Config withStateDir(Path dir) {
      return new Config(monitor, dir, saveInterval);
    }

    /** A copy with another monitor configuration. */
    public Config withMonitor(HealthMonitor.Config m) {
      return new Config(m, stateDir, saveInterval);
    }

    /** A copy with another save interval. */
    public Config withSaveInterval(Duration d) {
      return new Config(monitor, stateDir, d);
    }
  }

  private final Object lock = new Object();
  private final Config config;
  private final HealthMonitor monitor;
  private final HealthStore store;
  private final long startNanos = System.nanoTime();
  private final long startEpochMs = System.currentTimeMillis();
  private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<PeerId, String> peerIps = new ConcurrentHashMap<>();
  private final ScheduledExecutorService saver;
  private final HealthAdmin admin;
  private volatile Host host;
  private volatile boolean closed;

  /** Creates the monitor, loading the stored snapshot when a state directory is configured. */
  public NodeHealth(Config config) throws IOException {
    this.config = Objects.requireNonNull(config, "config");
    TransitionListener user = config.monitor().listener();
    this.monitor = new HealthMonitor(config.monitor().withListener(t -> {
      user.onTransition(t);
      announce(t);
    }), startNanos);
    this.store = config.stateDir() == null ? null : new HealthStore(config.stateDir());
    if (store != null) {
      var snapshot = store.load();
      if (snapshot.isPresent()) {
        synchronized (lock) {
          snapshot.get().restoreInto(monitor, System.nanoTime(), System.currentTimeMillis());
        }
        log.info("health records restored from {}: {} retained score(s), {} quarantine/ban "
            + "record(s)", store.file(), snapshot.get().scores().size(),
            snapshot.get().records().size());
      }
      saver = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weft-health-saver");
        t.setDaemon(true);
        return t;
      });
      long every = config.saveInterval().toMillis();
      saver.scheduleWithFixedDelay(this::saveQuietly, every, every, TimeUnit.MILLISECONDS);
    } else {
      saver = null;
    }
    this.admin = new HealthAdmin(this);
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  /** The operator facade (list, explain, release, ban). */
  public HealthAdmin admin() {
    return admin;
  }

  /** Adds a listener for every transition. */
  public void addListener(HealthListener l) {
    listeners.add(Objects.requireNonNull(l, "listener"));
  }

  /** Removes a listener. */
  public void removeListener(HealthListener l) {
    listeners.remove(l);
  }

  /** Runs {@code query} on the monitor under the lock with the current monotonic time. */
  public <T> T query(Function<Long, T> query) {
    synchronized (lock) {
      return query.apply(System.nanoTime());
    }
  }

  /** The peer's state now. */
  public HealthState state(PeerId peer) {
    synchronized (lock) {
      return monitor.state(peer);
    }
  }

  /** The wall-clock time of a monotonic {@code nowNs} reading of this process. */
  public Instant wallTime(long nowNs) {
    return Instant.ofEpochMilli(startEpochMs).plusNanos(nowNs - startNanos);
  }

  // ------------------------------------------------------------------------- wiring

  /** The host's admission policy: refuses banned peers and inbound streams over budget. */
  public ConnectionGater gater() {
    return new ConnectionGater() {
      @Override
      public String refuseSecured(PeerId peer, Direction direction) {
        synchronized (lock) {
          long now = System.nanoTime();
          if (!monitor.isBanned(peer, now)) {
            return null;
          }
          var r = monitor.explain(peer, now);
          return "banned by health" + (r.history().isEmpty() ? ""
              : " (" + r.history().get(r.history().size() - 1).reason() + ")")
              + (r.untilNs() == Long.MAX_VALUE ? " until released"
              : " until " + wallTime(r.untilNs()));
        }
      }

      @Override
      public boolean allowInboundStream(Connection c) {
        synchronized (lock) {
          return monitor.onNewStream(c.remotePeer(), System.nanoTime()).decision()
              == RateDecision.ALLOW;
        }
      }
    };
  }

  /**
   * {@code base} with this node's health as scorer (thresholds from the monitor configuration) and
   * as an event listener in front of {@code base.events()}.
   */
  public PubSub.Config configure(PubSub.Config base) {
    PeerScorer scorer = new PeerScorer() {
      @Override
      public double score(PeerId peer, long nowNs) {
        synchronized (lock) {
          return monitor.score(peer, nowNs);
        }
      }

      @Override
      public boolean withhold(PeerId peer, long nowNs) {
        synchronized (lock) {
          return monitor.withhold(peer, nowNs);
        }
      }
    };
    return new PubSub.Config(base.params(), config.monitor().thresholds(), scorer,
        OverlayEvents.compose(new LockedEvents(), base.events()), base.limits());
  }

  /** Hooks into {@code host}'s connections and {@code pubsub}'s inbound frames. */
  public void attach(Host host, PubSub pubsub) {
    this.host = host;
    host.addListener(new HostListener() {
      @Override
      public void onConnected(Connection c) {
        String ip = ipOf(c.channel().remoteAddress());
        if (ip != null) {
          peerIps.put(c.remotePeer(), ip);
        }
      }
    });
    pubsub.setInboundGuard(new InboundGuard() {
      @Override
      public boolean allowRpc(PeerId peer, int bytes) {
        synchronized (lock) {
          long now = System.nanoTime();
          if (monitor.state(peer).isIsolated()) {
            return false; // graylisted: not even decoded
          }
          return monitor.onRpc(peer, bytes, now).decision() == RateDecision.ALLOW;
        }
      }
    });
  }

  private static String ipOf(SocketAddress a) {
    return a instanceof InetSocketAddress isa && isa.getAddress() != null
        ? isa.getAddress().getHostAddress() : null;
  }

  /**
   * The router's events, forwarded to the monitor under the lock; after each heartbeat the
   * monitor's actions run (outside the lock). A plain delegate (no reflection on the per-message
   * event path); {@code NodeHealthEventsTest} fails when the monitor handles an event this class
   * does not forward.
   */
  final class LockedEvents implements OverlayEvents {
    @Override
    public void onPeerAdded(long nowNs, PeerId peer, String protocolId, boolean outbound) {
      synchronized (lock) {
        monitor.onPeerAdded(nowNs, peer, protocolId, outbound);
        String ip = peerIps.get(peer);
        if (ip != null) {
          monitor.setPeerIps(peer, List.of(ip));
        }
      }
    }

    @Override
    public void onPeerRemoved(long nowNs, PeerId peer) {
      synchronized (lock) {
        monitor.onPeerRemoved(nowNs, peer);
      }
    }

    @Override
    public void onJoin(long nowNs, String topic) {
      synchronized (lock) {
        monitor.onJoin(nowNs, topic);
      }
    }

    @Override
    public void onLeave(long nowNs, String topic) {
      synchronized (lock) {
        monitor.onLeave(nowNs, topic);
      }
    }

    @Override
    public void onPeerSubscription(long nowNs, PeerId peer, String topic, boolean subscribed) {
      synchronized (lock) {
        monitor.onPeerSubscription(nowNs, peer, topic, subscribed);
      }
    }

    @Override
    public void onGraft(long nowNs, PeerId peer, String topic) {
      synchronized (lock) {
        monitor.onGraft(nowNs, peer, topic);
      }
    }

    @Override
    public void onPrune(long nowNs, PeerId peer, String topic, PruneReason reason) {
      synchronized (lock) {
        monitor.onPrune(nowNs, peer, topic, reason);
      }
    }

    @Override
    public void onGraftBackoffViolation(
        long nowNs, PeerId peer, String topic, boolean withinFloodWindow) {
      synchronized (lock) {
        monitor.onGraftBackoffViolation(nowNs, peer, topic, withinFloodWindow);
      }
    }

    @Override
    public void onFirstSeen(long nowNs, MessageId id, PubMessage message, PeerId from) {
      synchronized (lock) {
        monitor.onFirstSeen(nowNs, id, message, from);
      }
    }

    @Override
    public void onDeliver(long nowNs, MessageId id, PubMessage message, PeerId from) {
      synchronized (lock) {
        monitor.onDeliver(nowNs, id, message, from);
      }
    }

    @Override
    public void onDuplicate(long nowNs, MessageId id, String topic, PeerId from) {
      synchronized (lock) {
        monitor.onDuplicate(nowNs, id, topic, from);
      }
    }

    @Override
    public void onReject(long nowNs, MessageId id, String topic, PeerId from, RejectReason reason) {
      synchronized (lock) {
        monitor.onReject(nowNs, id, topic, from, reason);
      }
    }

    @Override
    public void onIgnore(long nowNs, MessageId id, String topic, PeerId from, IgnoreReason reason) {
      synchronized (lock) {
        monitor.onIgnore(nowNs, id, topic, from, reason);
      }
    }

    @Override
    public void onPublish(long nowNs, MessageId id, String topic, int recipients) {
      synchronized (lock) {
        monitor.onPublish(nowNs, id, topic, recipients);
      }
    }

    @Override
    public void onIHaveSent(long nowNs, PeerId peer, String topic, int count) {
      synchronized (lock) {
        monitor.onIHaveSent(nowNs, peer, topic, count);
      }
    }

    @Override
    public void onIHaveReceived(long nowNs, PeerId peer, String topic, int count) {
      synchronized (lock) {
        monitor.onIHaveReceived(nowNs, peer, topic, count);
      }
    }

    @Override
    public void onIWantSent(long nowNs, PeerId peer, int count) {
      synchronized (lock) {
        monitor.onIWantSent(nowNs, peer, count);
      }
    }

    @Override
    public void onIWantReceived(long nowNs, PeerId peer, int count, int served) {
      synchronized (lock) {
        monitor.onIWantReceived(nowNs, peer, count, served);
      }
    }

    @Override
    public void onIDontWantSent(long nowNs, PeerId peer, int count) {
      synchronized (lock) {
        monitor.onIDontWantSent(nowNs, peer, count);
      }
    }

    @Override
    public void onIDontWantReceived(long nowNs, PeerId peer, int count) {
      synchronized (lock) {
        monitor.onIDontWantReceived(nowNs, peer, count);
      }
    }

    @Override
    public void onBrokenPromise(long nowNs, PeerId peer, int count) {
      synchronized (lock) {
        monitor.onBrokenPromise(nowNs, peer, count);
      }
    }

    @Override
    public void onThrottled(long nowNs, PeerId peer, ThrottleReason reason) {
      synchronized (lock) {
        monitor.onThrottled(nowNs, peer, reason);
      }
    }

    @Override
    public void onMalformedRpc(long nowNs, PeerId peer, MalformedReason reason) {
      synchronized (lock) {
        monitor.onMalformedRpc(nowNs, peer, reason);
      }
    }

    @Override
    public void onPeerExchange(long nowNs, PeerId pruner, String topic, int dials) {
      synchronized (lock) {
        monitor.onPeerExchange(nowNs, pruner, topic, dials);
      }
    }

    @Override
    public void onHeartbeat(long nowNs, long heartbeatTicks) {
      List<HealthAction> actions;
      synchronized (lock) {
        monitor.onHeartbeat(nowNs, heartbeatTicks);
        actions = monitor.onTick(nowNs);
      }
      for (HealthAction a : actions) {
        perform(a);
      }
    }
  }

  private void perform(HealthAction a) {
    if (a instanceof HealthAction.Disconnect d) {
      disconnect(d.peer(), "health: " + d.state() + " (" + d.reason() + ")");
    }
  }

  void disconnect(PeerId peer, String reason) {
    Host h = host;
    if (h != null) {
      h.connection(peer).ifPresent(c -> {
        log.info("disconnecting {}: {}", peer, reason);
        c.close(reason);
      });
    }
  }

  private void announce(Transition t) {
    HealthEvent ev = new HealthEvent(t, wallTime(t.nowNs()));
    log.info("health {}", ev);
    for (HealthListener l : listeners) {
      try {
        l.onTransition(ev);
      } catch (RuntimeException e) {
        log.warn("health listener failed: {}", e.toString());
      }
    }
  }

  // ------------------------------------------------------------------------- persistence and admin

  /** Runs {@code action} on the monitor under the lock. */
  public <T> T locked(Function<HealthMonitor, T> action) {
    synchronized (lock) {
      return action.apply(monitor);
    }
  }

  /** Saves the snapshot now (no-op without a state directory). */
  public void save() throws IOException {
    if (store == null) {
      return;
    }
    HealthSnapshot s;
    synchronized (lock) {
      s = HealthSnapshot.of(monitor, System.nanoTime(), System.currentTimeMillis());
    }
    store.save(s);
  }

  private void saveQuietly() {
    try {
      save();
    } catch (IOException | RuntimeException e) {
      log.warn("saving health snapshot failed: {}", e.toString());
    }
  }

  /** Stops the periodic saver and saves a last snapshot. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (saver != null) {
      saver.shutdownNow();
      try {
        saver.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      saveQuietly();
    }
  }
}
