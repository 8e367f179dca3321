package dev.weft.cli.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingTimeWindowArrayReservoir;
import dev.weft.core.events.IgnoreReason;
import dev.weft.core.events.OverlayEvents;
import dev.weft.core.events.PruneReason;
import dev.weft.core.events.RejectReason;
import dev.weft.core.events.ThrottleReason;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import dev.weft.health.quarantine.HealthState;
import dev.weft.health.quarantine.Transition;
import dev.weft.net.host.Connection;
import dev.weft.net.host.Direction;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostListener;
import dev.weft.net.pubsub.PubSub;
import io.netty.channel.ChannelOutboundBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToLongFunction;

/**
 * A node's Dropwizard metrics, fed by the overlay's event stream ({@link OverlayEvents}), the
 * pubsub driver's RPC observer, the host's connection events and health transitions. Names carry
 * Prometheus labels ({@link MetricNames}); {@link #prometheusText()} renders them. All names and
 * their meaning are listed in {@link #HELP} and in docs/operations.md.
 */
public final class NodeMetrics implements OverlayEvents, HostListener, PubSub.RpcObserver {
  /** Publish time of a message in epoch nanoseconds, or -1 when its payload does not say. */
  public interface PublishClock extends ToLongFunction<PubMessage> {
    PublishClock NONE = m -> -1;
  }

  public static final Map<String, String> HELP = Map.ofEntries(
      Map.entry("weft_messages_in_total", "Pubsub messages received (every copy), per topic."),
      Map.entry("weft_bytes_in_total", "Payload bytes of received pubsub messages (every copy), per topic."),
      Map.entry("weft_messages_out_total", "Pubsub messages written to peers (publish and forward), per topic."),
      Map.entry("weft_bytes_out_total", "Payload bytes written to peers, per topic."),
      Map.entry("weft_messages_delivered_total", "Messages accepted and delivered to the application (first copies), per topic."),
      Map.entry("weft_messages_published_total", "Messages published by this node, per topic."),
      Map.entry("weft_duplicates_total", "Copies of already-seen messages, per topic."),
      Map.entry("weft_messages_dropped_total", "Messages dropped, per topic and reason (rejected_* penalise the sender, ignored_* do not)."),
      Map.entry("weft_delivery_latency_seconds", "Publish-to-delivery latency of messages whose payload carries a publish time, per topic."),
      Map.entry("weft_mesh_peers", "Peers in this node's mesh, per topic."),
      Map.entry("weft_grafts_total", "Peers added to the mesh, per topic."),
      Map.entry("weft_prunes_total", "Peers removed from the mesh, per topic and reason."),
      Map.entry("weft_reroutes_total", "Mesh repairs: grafts that replace a mesh peer lost to a prune or disconnect, per topic."),
      Map.entry("weft_tree_reroutes_total", "Tree routing changes, per kind: reparent (moved off a congested or quarantined upstream), swap (a faster lazy link made eager), promotion (a lazy link made eager after an IWANT repair), demotion (an eager link made lazy after a duplicate)."),
      Map.entry("weft_pubsub_peers", "Peers with an open pubsub stream."),
      Map.entry("weft_peer_rpcs_in_total", "RPCs read from the peer."),
      Map.entry("weft_peer_bytes_in_total", "Encoded RPC bytes read from the peer."),
      Map.entry("weft_peer_rpcs_out_total", "RPCs written to the peer."),
      Map.entry("weft_peer_bytes_out_total", "Encoded RPC bytes written to the peer."),
      Map.entry("weft_peer_first_deliveries_total", "Messages this peer delivered first."),
      Map.entry("weft_peer_duplicates_total", "Duplicate copies sent by this peer."),
      Map.entry("weft_peer_score", "The peer's score (as the router sees it), sampled every heartbeat."),
      Map.entry("weft_peer_outbound_queue_bytes", "Bytes queued in the connection's outbound buffer."),
      Map.entry("weft_core_queue_depth", "Inputs waiting for the protocol core's event loop."),
      Map.entry("weft_throttled_total", "Inputs cut short by a rate limit or threshold, per reason."),
      Map.entry("weft_send_dropped_total", "RPCs dropped because the peer's pubsub stream was not open."),
      Map.entry("weft_malformed_frames_total", "Pubsub frames refused by the decoder (stream reset)."),
      Map.entry("weft_connections", "Open connections, per direction."),
      Map.entry("weft_connections_opened_total", "Connections established."),
      Map.entry("weft_disconnections_total", "Connections closed."),
      Map.entry("weft_health_transitions_total", "Health state changes, per new state and reason."),
      Map.entry("weft_quarantines_total", "Peers quarantined, per reason."),
      Map.entry("weft_bans_total", "Peers banned, per reason."),
      Map.entry("weft_peers_isolated", "Peers currently quarantined or banned."),
      Map.entry("weft_heartbeats_total", "GossipSub heartbeats run."));

  private final MetricRegistry registry = new MetricRegistry();
  private final PublishClock publishClock;
  private final Map<String, Set<PeerId>> mesh = new ConcurrentHashMap<>();
  private final Map<String, Integer> meshLosses = new ConcurrentHashMap<>();
  private final Map<PeerId, Double> scores = new ConcurrentHashMap<>();
  private final Map<PeerId, HealthState> isolated = new ConcurrentHashMap<>();
  private volatile ToDoubleBiFunction<PeerId, Long> scorer;
  private volatile java.util.function.Supplier<dev.weft.routing.tree.TreeRouter.Stats> treeStats;
  private dev.weft.routing.tree.TreeRouter.Stats treeSeen =
      new dev.weft.routing.tree.TreeRouter.Stats(0, 0, 0, 0, 0, 0);

  public NodeMetrics(PublishClock publishClock) {
    this.publishClock = publishClock == null ? PublishClock.NONE : publishClock;
    registry.gauge("weft_pubsub_peers", () -> scores::size);
    registry.gauge("weft_peers_isolated", () -> isolated::size);
  }

  public MetricRegistry registry() {
    return registry;
  }

  public String prometheusText() {
    return PrometheusText.write(registry, HELP);
  }

  /** Samples peer scores from {@code scorer} on every heartbeat. */
  public void scoreFrom(ToDoubleBiFunction<PeerId, Long> scorer) {
    this.scorer = scorer;
  }

  /**
   * Reads the tree router's counters on every heartbeat (on the core loop, where the tree lives)
   * into {@code weft_tree_reroutes_total}.
   */
  public void treeFrom(java.util.function.Supplier<dev.weft.routing.tree.TreeRouter.Stats> stats) {
    for (String kind : List.of("reparent", "swap", "promotion", "demotion")) {
      registry.counter(MetricNames.of("weft_tree_reroutes_total", "kind", kind));
    }
    this.treeStats = stats;
  }

  /** Tree reroutes that move traffic onto another path: reparents, swaps and promotions. */
  public long treeReroutes() {
    return count("weft_tree_reroutes_total", "kind", "reparent")
        + count("weft_tree_reroutes_total", "kind", "swap")
        + count("weft_tree_reroutes_total", "kind", "promotion");
  }

  /** Registers gauges read from the host and driver (connections, queues, drops). */
  public void bind(Host host, PubSub pubsub) {
    for (Direction d : Direction.values()) {
      registry.gauge(MetricNames.of("weft_connections", "direction", d.name().toLowerCase()),
          () -> () -> host.connections().stream().filter(c -> c.direction() == d).count());
    }
    registry.gauge("weft_core_queue_depth", () -> pubsub::coreQueueDepth);
    registry.gauge("weft_send_dropped_total", () -> pubsub::droppedSends);
    registry.gauge("weft_malformed_frames_total", () -> pubsub::malformedFrames);
  }

  // ---- host ----------------------------------------------------------------------------------

  @Override
  public void onConnected(Connection c) {
    registry.counter("weft_connections_opened_total").inc();
    registry.gauge(MetricNames.of("weft_peer_outbound_queue_bytes", "peer", c.remotePeer().toBase58()),
        () -> () -> {
          ChannelOutboundBuffer b = c.channel().unsafe().outboundBuffer();
          return b == null ? 0L : b.totalPendingWriteBytes();
        });
  }

  @Override
  public void onDisconnected(Connection c, String reason) {
    registry.counter("weft_disconnections_total").inc();
    registry.remove(MetricNames.of("weft_peer_outbound_queue_bytes", "peer", c.remotePeer().toBase58()));
  }

  // ---- driver --------------------------------------------------------------------------------

  @Override
  public void onRpc(PeerId peer, boolean inbound, int bytes, Rpc rpc) {
    String p = peer.toBase58();
    String dir = inbound ? "in" : "out";
    counter("weft_peer_rpcs_" + dir + "_total", "peer", p).inc();
    counter("weft_peer_bytes_" + dir + "_total", "peer", p).inc(bytes);
    for (PubMessage m : rpc.messages()) {
      counter("weft_messages_" + dir + "_total", "topic", m.topic()).inc();
      counter("weft_bytes_" + dir + "_total", "topic", m.topic()).inc(m.dataLength());
    }
  }

  // ---- overlay events ------------------------------------------------------------------------

  @Override
  public void onPeerAdded(long nowNs, PeerId peer, String protocolId, boolean outbound) {
    scores.put(peer, 0.0);
    registry.gauge(MetricNames.of("weft_peer_score", "peer", peer.toBase58()),
        () -> () -> scores.getOrDefault(peer, 0.0));
  }

  @Override
  public void onPeerRemoved(long nowNs, PeerId peer) {
    scores.remove(peer);
    String p = peer.toBase58();
    for (String base : new String[] {"weft_peer_score", "weft_peer_rpcs_in_total",
        "weft_peer_bytes_in_total", "weft_peer_rpcs_out_total", "weft_peer_bytes_out_total",
        "weft_peer_first_deliveries_total", "weft_peer_duplicates_total"}) {
      registry.remove(MetricNames.of(base, "peer", p));
    }
    for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
      if (e.getValue().remove(peer)) {
        meshLosses.merge(e.getKey(), 1, Integer::sum);
      }
    }
  }

  @Override
  public void onJoin(long nowNs, String topic) {
    meshSet(topic);
  }

  @Override
  public void onLeave(long nowNs, String topic) {
    Set<PeerId> s = mesh.get(topic);
    if (s != null) {
      s.clear();
    }
    meshLosses.remove(topic);
  }

  @Override
  public void onGraft(long nowNs, PeerId peer, String topic) {
    meshSet(topic).add(peer);
    counter("weft_grafts_total", "topic", topic).inc();
    Integer lost = meshLosses.get(topic);
    if (lost != null && lost > 0) {
      meshLosses.put(topic, lost - 1);
      counter("weft_reroutes_total", "topic", topic).inc();
    }
  }

  @Override
  public void onPrune(long nowNs, PeerId peer, String topic, PruneReason reason) {
    counter("weft_prunes_total", "topic", topic, "reason", reason.name().toLowerCase()).inc();
    Set<PeerId> s = mesh.get(topic);
    if (s != null && s.remove(peer) && reason != PruneReason.LEAVE) {
      meshLosses.merge(topic, 1, Integer::sum);
    }
  }

  @Override
  public void onDeliver(long nowNs, MessageId id, PubMessage message, PeerId from) {
    String topic = message.topic();
    counter("weft_messages_delivered_total", "topic", topic).inc();
    if (from == null) {
      return;
    }
    counter("weft_peer_first_deliveries_total", "peer", from.toBase58()).inc();
    long published = publishClock.applyAsLong(message);
    if (published > 0) {
      Instant now = Instant.now();
      long latency = now.getEpochSecond() * 1_000_000_000L + now.getNano() - published;
      if (latency >= 0) {
        latency(topic).update(latency);
      }
    }
  }

  @Override
  public void onDuplicate(long nowNs, MessageId id, String topic, PeerId from) {
    counter("weft_duplicates_total", "topic", topic).inc();
    if (from != null) {
      counter("weft_peer_duplicates_total", "peer", from.toBase58()).inc();
    }
  }

  @Override
  public void onReject(long nowNs, MessageId id, String topic, PeerId from, RejectReason reason) {
    counter("weft_messages_dropped_total", "topic", topic, "reason",
        "rejected_" + reason.name().toLowerCase()).inc();
  }

  @Override
  public void onIgnore(long nowNs, MessageId id, String topic, PeerId from, IgnoreReason reason) {
    counter("weft_messages_dropped_total", "topic", topic, "reason",
        "ignored_" + reason.name().toLowerCase()).inc();
  }

  @Override
  public void onPublish(long nowNs, MessageId id, String topic, int recipients) {
    counter("weft_messages_published_total", "topic", topic).inc();
  }

  @Override
  public void onThrottled(long nowNs, PeerId peer, ThrottleReason reason) {
    counter("weft_throttled_total", "reason", reason.name().toLowerCase()).inc();
  }

  @Override
  public void onHeartbeat(long nowNs, long heartbeatTicks) {
    registry.counter("weft_heartbeats_total").inc();
    java.util.function.Supplier<dev.weft.routing.tree.TreeRouter.Stats> ts = treeStats;
    if (ts != null) {
      dev.weft.routing.tree.TreeRouter.Stats now = ts.get();
      dev.weft.routing.tree.TreeRouter.Stats was = treeSeen;
      treeCount("reparent", now.reparents() - was.reparents());
      treeCount("swap", now.swaps() - was.swaps());
      treeCount("promotion", now.promotions() - was.promotions());
      treeCount("demotion", now.demotions() - was.demotions());
      treeSeen = now;
    }
    ToDoubleBiFunction<PeerId, Long> s = scorer;
    if (s != null) {
      for (PeerId p : scores.keySet()) {
        scores.put(p, s.applyAsDouble(p, nowNs));
      }
    }
  }

  // ---- health --------------------------------------------------------------------------------

  /** Counts a health transition (register as the HealthMonitor's TransitionListener). */
  public void onTransition(Transition t) {
    String reason = t.reason() == null ? "none" : t.reason().name().toLowerCase();
    counter("weft_health_transitions_total", "to", t.to().name().toLowerCase(), "reason", reason).inc();
    if (t.to() == HealthState.QUARANTINED) {
      counter("weft_quarantines_total", "reason", reason).inc();
    } else if (t.to() == HealthState.BANNED) {
      counter("weft_bans_total", "reason", reason).inc();
    }
    if (t.to().isIsolated()) {
      isolated.put(t.peer(), t.to());
    } else {
      isolated.remove(t.peer());
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private Set<PeerId> meshSet(String topic) {
    return mesh.computeIfAbsent(topic, t -> {
      Set<PeerId> s = ConcurrentHashMap.newKeySet();
      registry.gauge(MetricNames.of("weft_mesh_peers", "topic", t), () -> s::size);
      return s;
    });
  }

  private Histogram latency(String topic) {
    return registry.histogram(MetricNames.of("weft_delivery_latency_seconds", "topic", topic),
        () -> new Histogram(new SlidingTimeWindowArrayReservoir(60, TimeUnit.SECONDS)));
  }

  private Counter counter(String base, String... labels) {
    return registry.counter(MetricNames.of(base, labels));
  }

  /** Sum of a counter family over all its labels (the demo's summary reads totals this way). */
  private void treeCount(String kind, long delta) {
    if (delta > 0) {
      registry.counter(MetricNames.of("weft_tree_reroutes_total", "kind", kind)).inc(delta);
    }
  }

  public long total(String base) {
    long sum = 0;
    for (Map.Entry<String, Counter> e : registry.getCounters().entrySet()) {
      if (MetricNames.base(e.getKey()).equals(base)) {
        sum += e.getValue().getCount();
      }
    }
    return sum;
  }

  /** Sum of a counter family over the series whose {@code label} starts with {@code prefix}. */
  public long totalWhere(String base, String label, String prefix) {
    long sum = 0;
    for (Map.Entry<String, Counter> e : registry.getCounters().entrySet()) {
      if (MetricNames.base(e.getKey()).equals(base)
          && MetricNames.labels(e.getKey()).getOrDefault(label, "").startsWith(prefix)) {
        sum += e.getValue().getCount();
      }
    }
    return sum;
  }

  /** One counter's value, 0 if it does not exist (never creates it). */
  public long count(String base, String... labels) {
    Counter c = registry.getCounters().get(MetricNames.of(base, labels));
    return c == null ? 0 : c.getCount();
  }

  /** The latency histogram of {@code topic}, or null before its first sample. */
  public Histogram latencyOrNull(String topic) {
    return registry.getHistograms().get(MetricNames.of("weft_delivery_latency_seconds", "topic", topic));
  }

}
