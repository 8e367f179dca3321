package dev.weft.routing.tree;

import dev.weft.core.events.OverlayEvents;
import dev.weft.core.gossip.RouteSelector;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import dev.weft.routing.measure.LinkStats;
import dev.weft.routing.measure.LinkTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Adaptive spanning trees (Plumtree-style eager/lazy push over the GossipSub mesh) as a
 * {@link RouteSelector}. Pure: time comes in as {@code nowNs}, tree control leaves through
 * {@link #drainControl()} and arrives through {@link #controlReceived}; the driver carries it on
 * the {@value TreeControl#PROTOCOL_ID} stream and marks peers that negotiated it with
 * {@link #peerCapable}. Peers that did not (js-libp2p, go) are never touched: they get every
 * message eagerly as plain GossipSub would send it.
 *
 * <p>Per (topic, author) tree, between capable peers:
 *
 * <ul>
 *   <li>forward eagerly to every capable topic peer not in the tree's lazy set, IHAVE to the rest;
 *   <li>a duplicate full message from a capable peer puts it in the lazy set and sends it
 *       {@link TreeControl.Kind#LAZY} (it does the same), unless we had asked it with IWANT;
 *   <li>an IHAVE for a missing message waits the announcer's RTT timeout ({@code srtt + K *
 *       rttvar}) before the router sends IWANT; the answer promotes that link (EAGER both ways);
 *   <li>a lazy peer whose IHAVE beats the eager copy by a margin several times in a row is
 *       swapped in, the eager sender out;
 *   <li>at each heartbeat, a tree whose upstream peer is congested (rising RTT or backlog) or
 *       quarantined is re-parented on the cheapest healthy lazy link.
 * </ul>
 *
 * Not thread-safe: the node's owner thread only.
 */
public final class TreeRouter implements RouteSelector, OverlayEvents {

  /** A tree control for the driver to send. */
  public record Outgoing(PeerId peer, TreeControl control) {}

  /**
   * Counters since creation.
   *
   * @param demotions links made lazy after a duplicate
   * @param promotions links made eager after an IWANT repair
   * @param swaps lazy links swapped in because they were consistently faster
   * @param reparents trees moved off a congested or quarantined upstream at a heartbeat
   * @param controlsSent tree control messages queued
   * @param controlsReceived tree control messages applied
   * @param repairs first copies that came as the answer to our IWANT (lazy-path deliveries)
   */
  public record Stats(long demotions, long promotions, long swaps, long reparents,
      long controlsSent, long controlsReceived, long repairs) {

    /** Counters without the repair count (kept for callers written before it existed). */
    public Stats(long demotions, long promotions, long swaps, long reparents, long controlsSent,
        long controlsReceived) {
      this(demotions, promotions, swaps, reparents, controlsSent, controlsReceived, 0);
    }
  }

  private record Key(String topic, PeerId source) {}

  private static final class Tree {
    final Set<PeerId> lazy = new LinkedHashSet<>();
    final Map<PeerId, Integer> wins = new LinkedHashMap<>();
    final Map<PeerId, Long> lazySentNs = new LinkedHashMap<>();
    PeerId parent;
  }

  private static final class Arrival {
    Key key;
    long firstNs;
    PeerId iwantedFrom;
    final Map<PeerId, Long> announced = new LinkedHashMap<>(4);
  }

  private final TreeParams p;
  private final LinkTable<PeerId> links;
  private final Set<PeerId> capable = new LinkedHashSet<>();
  private final Map<String, Set<PeerId>> topicPeers = new TreeMap<>();
  /** Topics on which we have tree-routed a message (lazy IHAVEs may come). */
  private final Set<String> treeTopics = new LinkedHashSet<>();
  private final LinkedHashMap<Key, Tree> trees;
  private final LinkedHashMap<MessageId, Arrival> arrivals;
  /** Messages seen per author (LRU, bounded by maxTrees), to decide when it gets its own tree. */
  private final LinkedHashMap<PeerId, Integer> sourceCounts;
  private final List<Outgoing> outgoing = new ArrayList<>();
  private Predicate<PeerId> quarantined = peer -> false;
  private long demotions;
  private long promotions;
  private long swaps;
  private long reparents;
  private long controlsSent;
  private long controlsReceived;
  private long repairs;

  /** A router with its own link table. */
  public TreeRouter(TreeParams params) {
    this(params, new LinkTable<>(params.measure()));
  }

  /** A router reading and feeding {@code links} (shared with metrics or other users). */
  public TreeRouter(TreeParams params, LinkTable<PeerId> links) {
    this.p = Objects.requireNonNull(params, "params");
    this.links = Objects.requireNonNull(links, "links");
    int maxTrees = params.maxTrees();
    int maxArrivals = params.recentMessages();
    this.trees = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Tree> e) {
        return size() > maxTrees;
      }
    };
    this.sourceCounts = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<PeerId, Integer> e) {
        return size() > maxTrees;
      }
    };
    this.arrivals = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<MessageId, Arrival> e) {
        return size() > maxArrivals;
      }
    };
  }

  // ------------------------------------------------------------------ driver inputs

  /** {@code peer} negotiated {@value TreeControl#PROTOCOL_ID}: it takes part in trees. */
  public void peerCapable(PeerId peer) {
    capable.add(peer);
  }

  /** Whether {@code peer} takes part in trees. */
  public boolean isCapable(PeerId peer) {
    return capable.contains(peer);
  }

  /** Health hook: quarantined peers are never eager and never chosen as upstream. */
  public void quarantine(Predicate<PeerId> isQuarantined) {
    this.quarantined = Objects.requireNonNull(isQuarantined, "isQuarantined");
  }

  /** A round-trip time sample for {@code peer} (libp2p ping or another timed exchange). */
  public void recordRtt(PeerId peer, long rttNs, long nowNs) {
    links.recordRtt(peer, rttNs, nowNs);
  }

  /** Bytes queued towards {@code peer} and not yet written. */
  public void recordBacklog(PeerId peer, long queuedBytes, long nowNs) {
    links.recordBacklog(peer, queuedBytes, nowNs);
  }

  /** A tree control from {@code peer}; ignored unless the peer is capable. */
  public void controlReceived(long nowNs, PeerId peer, TreeControl c) {
    if (!capable.contains(peer)) {
      return;
    }
    controlsReceived++;
    Tree t = tree(new Key(c.topic(), p.perSource() ? c.source() : null));
    if (c.kind() == TreeControl.Kind.LAZY) {
      t.lazy.add(peer);
      if (peer.equals(t.parent)) {
        t.parent = null;
      }
    } else {
      t.lazy.remove(peer);
      t.lazySentNs.remove(peer);
    }
  }

  /** Tree controls queued since the last call, in order. */
  public List<Outgoing> drainControl() {
    if (outgoing.isEmpty()) {
      return List.of();
    }
    List<Outgoing> out = List.copyOf(outgoing);
    outgoing.clear();
    return out;
  }

  // ------------------------------------------------------------------ queries

  /** The link measurements. */
  public LinkTable<PeerId> links() {
    return links;
  }

  /** Counters. */
  public Stats stats() {
    return new Stats(demotions, promotions, swaps, reparents, controlsSent, controlsReceived,
        repairs);
  }

  /** Peers we push to lazily for (topic, source); source null for the topic tree. */
  public Set<PeerId> lazyPeers(String topic, PeerId source) {
    Tree t = trees.get(new Key(topic, p.perSource() ? source : null));
    return t == null ? Set.of() : Set.copyOf(t.lazy);
  }

  /**
   * One tree of a topic, for operators.
   *
   * @param source the author the tree is for; null for the topic's shared tree
   * @param upstream the peer its last eager first copy came from; null if none yet
   * @param lazy peers that get only an IHAVE for its messages (all other targets are eager)
   */
  public record TreeView(PeerId source, PeerId upstream, Set<PeerId> lazy) {}

  /** The trees of {@code topic} now (the shared tree first if it exists). */
  public List<TreeView> trees(String topic) {
    List<TreeView> out = new ArrayList<>();
    for (Map.Entry<Key, Tree> e : trees.entrySet()) {
      if (e.getKey().topic().equals(topic)) {
        TreeView v = new TreeView(e.getKey().source(), e.getValue().parent,
            Set.copyOf(e.getValue().lazy));
        if (v.source() == null) {
          out.add(0, v);
        } else {
          out.add(v);
        }
      }
    }
    return out;
  }

  /** The peer the last eagerly pushed first copy of (topic, source) came from, if any. */
  public Optional<PeerId> upstream(String topic, PeerId source) {
    Tree t = trees.get(new Key(topic, p.perSource() ? source : null));
    return Optional.ofNullable(t == null ? null : t.parent);
  }

  // ------------------------------------------------------------------ RouteSelector

  @Override
  public void route(long nowNs, MessageId id, PubMessage message, PeerId from,
      Set<PeerId> eager, Set<PeerId> lazy) {
    Arrival a = arrival(id);
    if (a.key == null) {
      a.key = keyOf(message, true);
      a.firstNs = nowNs;
    }
    Key k = a.key;
    if (!routed(k)) {
      tierCapableFirst(eager);
      return;
    }
    Tree t = tree(k);
    for (PeerId peer : topicPeers.getOrDefault(k.topic, Set.of())) {
      if (capable.contains(peer)) {
        eager.add(peer);
      }
    }
    for (PeerId peer : List.copyOf(eager)) {
      if (capable.contains(peer) && (t.lazy.contains(peer) || quarantined.test(peer))) {
        eager.remove(peer);
        lazy.add(peer);
      }
    }
    tierCapableFirst(eager);
  }

  /**
   * Puts tree peers (healthy ones) ahead of the others in {@code eager}, keeping each group's
   * order. Copies leave through one uplink in this order, so when the uplink is the bottleneck
   * (large messages, or many non-weft peers such as flood-publish targets) the peers that relay
   * along our trees get theirs first; the others still get the same copies.
   */
  private void tierCapableFirst(Set<PeerId> eager) {
    List<PeerId> later = null;
    for (PeerId peer : eager) {
      if (!capable.contains(peer) || quarantined.test(peer)) {
        if (later == null) {
          later = new ArrayList<>();
        }
        later.add(peer);
      }
    }
    if (later != null && later.size() < eager.size()) {
      eager.removeAll(later);
      eager.addAll(later);
    }
  }

  /** Whether messages of tree {@code k} are tree-routed (else forwarded as plain GossipSub). */
  private boolean routed(Key k) {
    return k.source != null || p.topicTree() || !p.perSource();
  }

  @Override
  public long iwantDelayNs(long nowNs, PeerId peer, String topic, MessageId id) {
    if (!capable.contains(peer) || !treeTopics.contains(topic)) {
      return 0; // no lazy push on this topic: an IHAVE is plain gossip, asked at once
    }
    arrival(id).announced.putIfAbsent(peer, nowNs);
    long d = timeoutNs(peer);
    if (quarantined.test(peer) || links.congested(peer, nowNs)) {
      d += p.measure().congestionPenaltyNs();
    }
    return d;
  }

  @Override
  public void iwantSent(long nowNs, PeerId peer, String topic, MessageId id) {
    if (capable.contains(peer)) {
      arrival(id).iwantedFrom = peer;
    }
  }

  @Override
  public boolean ihaveLimitExempt(PeerId peer) {
    return capable.contains(peer);
  }

  // ------------------------------------------------------------------ events

  @Override
  public void onPeerRemoved(long nowNs, PeerId peer) {
    capable.remove(peer);
    for (Set<PeerId> s : topicPeers.values()) {
      s.remove(peer);
    }
    List<Map.Entry<Key, Tree>> orphaned = new ArrayList<>();
    for (Map.Entry<Key, Tree> e : trees.entrySet()) {
      Tree t = e.getValue();
      t.lazy.remove(peer);
      t.wins.remove(peer);
      t.lazySentNs.remove(peer);
      if (peer.equals(t.parent)) {
        t.parent = null;
        orphaned.add(e);
      }
    }
    links.remove(peer);
    // our upstream is gone: ask every healthy lazy link of that tree to push again, instead of
    // waiting for the next message's IHAVE timeout; the first copy of the next message shows the
    // new shortest path and the duplicates prune the rest (rule 2), as for a new tree
    for (Map.Entry<Key, Tree> e : orphaned) {
      Tree t = e.getValue();
      boolean any = false;
      for (PeerId lazyPeer : List.copyOf(t.lazy)) {
        if (capable.contains(lazyPeer) && !quarantined.test(lazyPeer)) {
          promote(lazyPeer, t, e.getKey());
          any = true;
        }
      }
      if (any) {
        reparents++;
      }
    }
  }

  /** The cheapest healthy lazy tree peer of tree {@code k}, or null. */
  private PeerId cheapestLazy(Key k, Tree t, long nowNs) {
    PeerId best = null;
    for (PeerId peer : topicPeers.getOrDefault(k.topic, Set.of())) {
      if (t.lazy.contains(peer) && capable.contains(peer) && !quarantined.test(peer)
          && !links.congested(peer, nowNs)
          && (best == null || links.costNs(peer, nowNs) < links.costNs(best, nowNs))) {
        best = peer;
      }
    }
    return best;
  }

  @Override
  public void onPeerSubscription(long nowNs, PeerId peer, String topic, boolean subscribed) {
    if (subscribed) {
      topicPeers.computeIfAbsent(topic, x -> new LinkedHashSet<>()).add(peer);
    } else {
      Set<PeerId> s = topicPeers.get(topic);
      if (s != null) {
        s.remove(peer);
      }
    }
  }

  @Override
  public void onFirstSeen(long nowNs, MessageId id, PubMessage message, PeerId from) {
    Key k = keyOf(message, true);
    Arrival a = arrival(id);
    a.key = k;
    a.firstNs = nowNs;
    if (from == null || !capable.contains(from)) {
      return;
    }
    links.recordCopy(from, nowNs, nowNs);
    if (!routed(k)) {
      return;
    }
    Tree t = tree(k);
    if (from.equals(a.iwantedFrom)) {
      repairs++;
      if (t.lazy.contains(from)) {
        promote(from, t, k);
        promotions++;
      }
      t.parent = from;
      t.wins.clear();
      return;
    }
    t.parent = from;
    Set<PeerId> winners = new LinkedHashSet<>();
    for (Map.Entry<PeerId, Long> e : a.announced.entrySet()) {
      PeerId peer = e.getKey();
      if (!peer.equals(from) && t.lazy.contains(peer) && capable.contains(peer)
          && !quarantined.test(peer) && nowNs - e.getValue() > p.optimiseMarginNs()) {
        winners.add(peer);
        t.wins.merge(peer, 1, Integer::sum);
      }
    }
    t.wins.keySet().retainAll(winners);
    PeerId best = null;
    for (PeerId peer : winners) {
      if (t.wins.get(peer) >= p.optimiseWins()
          && (best == null || links.costNs(peer, nowNs) < links.costNs(best, nowNs))) {
        best = peer;
      }
    }
    if (best != null) {
      promote(best, t, k);
      demote(from, t, k, nowNs);
      t.parent = best;
      t.wins.clear();
      swaps++;
    }
  }

  @Override
  public void onDuplicate(long nowNs, MessageId id, String topic, PeerId from) {
    if (from == null || !capable.contains(from)) {
      return;
    }
    Arrival a = arrivals.get(id);
    if (a == null || a.key == null) {
      return;
    }
    links.recordCopy(from, a.firstNs, nowNs);
    if (from.equals(a.iwantedFrom) || !routed(a.key)) {
      return; // the answer to our IWANT, overtaken by another copy: not an eager push
    }
    Tree t = tree(a.key);
    Long sent = t.lazySentNs.get(from);
    if (!t.lazy.contains(from)) {
      demote(from, t, a.key, nowNs);
      demotions++;
    } else if (sent == null || nowNs - sent > 2 * timeoutNs(from)) {
      queue(from, TreeControl.Kind.LAZY, a.key); // it keeps pushing: our LAZY may be lost
      t.lazySentNs.put(from, nowNs);
    }
  }

  @Override
  public void onHeartbeat(long nowNs, long heartbeatTicks) {
    for (Map.Entry<Key, Tree> e : trees.entrySet()) {
      Tree t = e.getValue();
      PeerId up = t.parent;
      if (up == null || !(quarantined.test(up) || links.congested(up, nowNs))) {
        continue;
      }
      Key k = e.getKey();
      PeerId best = cheapestLazy(k, t, nowNs);
      if (best != null) {
        promote(best, t, k);
        demote(up, t, k, nowNs);
        t.parent = best;
        reparents++;
      }
    }
  }

  // ------------------------------------------------------------------ internals

  private void promote(PeerId peer, Tree t, Key k) {
    t.lazy.remove(peer);
    t.lazySentNs.remove(peer);
    queue(peer, TreeControl.Kind.EAGER, k);
  }

  private void demote(PeerId peer, Tree t, Key k, long nowNs) {
    t.lazy.add(peer);
    t.lazySentNs.put(peer, nowNs);
    if (peer.equals(t.parent)) {
      t.parent = null;
    }
    queue(peer, TreeControl.Kind.LAZY, k);
  }

  private void queue(PeerId peer, TreeControl.Kind kind, Key k) {
    outgoing.add(new Outgoing(peer, new TreeControl(kind, k.topic, k.source)));
    controlsSent++;
  }

  private long timeoutNs(PeerId peer) {
    Optional<LinkStats<PeerId>> s = links.find(peer);
    if (s.isEmpty() || s.get().rtt().samples() == 0) {
      return p.measure().unknownRttNs();
    }
    return s.get().timeoutNs();
  }

  /**
   * The tree of a message: its author's once the author has {@code perSourceMinMessages} messages
   * (counting this one when {@code count}), else the topic's.
   */
  private Key keyOf(PubMessage m, boolean count) {
    Key topicKey = new Key(m.topic(), null);
    if (!p.perSource() || !m.hasFrom()) {
      return topicKey;
    }
    PeerId source;
    try {
      source = PeerId.fromBytes(m.from());
    } catch (IllegalArgumentException e) {
      return topicKey;
    }
    int n = sourceCounts.getOrDefault(source, 0) + (count ? 1 : 0);
    if (count) {
      sourceCounts.put(source, n);
    }
    if (n < p.perSourceMinMessages()) {
      return topicKey;
    }
    Key k = new Key(m.topic(), source);
    tree(k);
    return k;
  }

  /**
   * The tree of {@code k}, created all-eager: the first message then reaches every tree peer
   * over its fastest path and the duplicates prune the rest, which yields the author's
   * shortest-path tree at once (a copy of the topic tree would have to be improved swap by swap).
   */
  private Tree tree(Key k) {
    Tree t = trees.get(k);
    if (t == null) {
      t = new Tree();
      trees.put(k, t);
      if (routed(k)) {
        treeTopics.add(k.topic);
      }
    }
    return t;
  }

  private Arrival arrival(MessageId id) {
    Arrival a = arrivals.get(id);
    if (a == null) {
      a = new Arrival();
      arrivals.put(id, a);
    }
    return a;
  }
}
