package dev.weft.health.score;

import dev.weft.core.events.IgnoreReason;
import dev.weft.core.events.OverlayEvents;
import dev.weft.core.events.PruneReason;
import dev.weft.core.events.RejectReason;
import dev.weft.core.gossip.PeerScorer;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The GossipSub v1.1 peer score (P1–P7), fed by the router's {@link OverlayEvents} and asked by it
 * through {@link PeerScorer}. Pure: time comes only as {@code nowNs}; counters decay once per
 * {@code decayInterval} of that time, applied lazily by {@link #refresh} (called from {@link
 * #score}, {@link #explain} and every heartbeat). Not thread-safe: one owner thread.
 *
 * <p>Differences from go-libp2p-pubsub's {@code peerScore}: time in mesh and P3 activation are
 * computed from {@code nowNs} at the moment of asking instead of being sampled at each refresh;
 * a duplicate of a message rejected for any reason (signature included) counts as an invalid
 * delivery for its sender; the P6 whitelist holds exact IP strings, not subnets.
 */
public final class PeerScore implements PeerScorer, OverlayEvents {
  /** Default for how long a message's delivery record is kept for late duplicates (go: 2 min). */
  public static final long DELIVERY_RECORD_TTL_NS = 120_000_000_000L;
  /** At most this many decay steps are applied at once after a long pause (all counters are 0 long before). */
  private static final long MAX_DECAY_STEPS = 10_000;

  private enum Status { PENDING, VALID, INVALID, IGNORED }

  private static final class Delivery {
    final String topic;
    final long firstSeenNs;
    final PeerId firstFrom;
    Status status = Status.PENDING;
    long validatedNs;
    /** Peers that sent a copy after the first; allocated on the first duplicate. */
    Set<PeerId> peers;

    Delivery(String topic, long firstSeenNs, PeerId firstFrom) {
      this.topic = topic;
      this.firstSeenNs = firstSeenNs;
      this.firstFrom = firstFrom;
    }
  }

  private static final class TopicStats {
    boolean inMesh;
    long graftNs;
    double firstMessageDeliveries;
    double meshMessageDeliveries;
    double meshFailurePenalty;
    double invalidMessageDeliveries;
  }

  private static final class Stats {
    boolean connected = true;
    long expireNs;
    final Map<String, TopicStats> topics = new TreeMap<>();
    final Set<String> ips = new TreeSet<>();
    double behaviourPenalty;
    final EnumMap<PenaltyReason, Double> penalties = new EnumMap<>(PenaltyReason.class);
  }

  private final PeerScoreParams params;
  private final long decayIntervalNs;
  private final long retainNs;
  private final Map<PeerId, Stats> peers = new TreeMap<>();
  private final Map<String, Set<PeerId>> peersByIp = new TreeMap<>();
  private final LinkedHashMap<MessageId, Delivery> deliveries = new LinkedHashMap<>();
  private final long deliveryTtlNs;
  private ToDoubleFunction<PeerId> appSpecific = p -> 0.0;
  private long lastDecayNs;

  /** A score with these parameters whose decay clock starts at {@code startNs}. */
  public PeerScore(PeerScoreParams params, long startNs) {
    this(params, startNs, DELIVERY_RECORD_TTL_NS);
  }

  /**
   * As above, keeping per-message delivery records for {@code deliveryRecordTtlNs} (&gt; 0). Set it
   * to the router's seen-cache TTL: later copies are not duplicates to the router anyway, and at
   * high message rates the records are the score's main memory cost.
   */
  public PeerScore(PeerScoreParams params, long startNs, long deliveryRecordTtlNs) {
    this.params = Objects.requireNonNull(params, "params");
    if (deliveryRecordTtlNs <= 0) {
      throw new IllegalArgumentException("deliveryRecordTtlNs=" + deliveryRecordTtlNs
          + " must be > 0");
    }
    this.decayIntervalNs = params.decayInterval().toNanos();
    this.retainNs = params.retainScore().toNanos();
    this.deliveryTtlNs = deliveryRecordTtlNs;
    this.lastDecayNs = startNs;
  }

  /** The parameters. */
  public PeerScoreParams params() {
    return params;
  }

  /** Sets the application-specific score function (P5); must be pure and fast. */
  public void setAppSpecificScore(ToDoubleFunction<PeerId> fn) {
    this.appSpecific = Objects.requireNonNull(fn, "fn");
  }

  /** The driver reports the IPs (textual) a peer is connected from; replaces earlier ones (P6). */
  public void setPeerIps(PeerId peer, Collection<String> ips) {
    Stats s = peers.computeIfAbsent(peer, k -> new Stats());
    for (String ip : s.ips) {
      Set<PeerId> set = peersByIp.get(ip);
      if (set != null) {
        set.remove(peer);
        if (set.isEmpty()) {
          peersByIp.remove(ip);
        }
      }
    }
    s.ips.clear();
    for (String ip : ips) {
      s.ips.add(ip);
      peersByIp.computeIfAbsent(ip, k -> new TreeSet<>()).add(peer);
    }
  }

  /** How many peers (connected or retained) are known on {@code ip}. */
  public int peersOnIp(String ip) {
    Set<PeerId> s = peersByIp.get(ip);
    return s == null ? 0 : s.size();
  }

  /**
   * Adds {@code count} to the peer's behaviour penalty counter (P7) at {@code nowNs} (decay due by
   * then is applied first). Unknown peers are ignored.
   */
  public void addPenalty(PeerId peer, double count, PenaltyReason reason, long nowNs) {
    refresh(nowNs);
    addPenalty(peer, count, reason);
  }

  /**
   * Adds {@code count} to the peer's behaviour penalty counter (P7) as of the last refresh. Unknown
   * peers are ignored. Prefer the overload with {@code nowNs} when time has moved.
   */
  public void addPenalty(PeerId peer, double count, PenaltyReason reason) {
    if (!(count >= 0)) {
      throw new IllegalArgumentException("count=" + count + " must be >= 0");
    }
    Stats s = peers.get(peer);
    if (s == null) {
      return;
    }
    s.behaviourPenalty += count;
    s.penalties.merge(Objects.requireNonNull(reason, "reason"), count, Double::sum);
  }

  /**
   * Operator forgiveness: clears the peer's penalties (P3b, P4 and the P7 counter); rewards and
   * mesh state are kept. Unknown peers are ignored.
   */
  public void forgive(PeerId peer) {
    Stats s = peers.get(peer);
    if (s == null) {
      return;
    }
    s.behaviourPenalty = 0;
    for (TopicStats t : s.topics.values()) {
      t.meshFailurePenalty = 0;
      t.invalidMessageDeliveries = 0;
    }
  }

  /** The peers with a record (connected or retained), sorted. */
  public List<PeerId> knownPeers() {
    return List.copyOf(peers.keySet());
  }

  /** Whether the peer is known and connected. */
  public boolean isConnected(PeerId peer) {
    Stats s = peers.get(peer);
    return s != null && s.connected;
  }

  // ============================================================ decay

  /** Applies every decay step due by {@code nowNs} and forgets expired records. Idempotent. */
  public void refresh(long nowNs) {
    long elapsed = nowNs - lastDecayNs;
    if (elapsed < decayIntervalNs) {
      return;
    }
    long steps = elapsed / decayIntervalNs;
    lastDecayNs += steps * decayIntervalNs;
    long apply = Math.min(steps, MAX_DECAY_STEPS);
    for (Iterator<Map.Entry<PeerId, Stats>> it = peers.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<PeerId, Stats> e = it.next();
      Stats s = e.getValue();
      if (!s.connected && s.expireNs - nowNs <= 0) {
        unindexIps(e.getKey(), s);
        it.remove();
        continue;
      }
      for (Map.Entry<String, TopicStats> te : s.topics.entrySet()) {
        TopicScoreParams tp = params.topics().get(te.getKey());
        TopicStats t = te.getValue();
        for (long i = 0; i < apply; i++) {
          t.firstMessageDeliveries = decay(t.firstMessageDeliveries, tp.firstMessageDeliveriesDecay());
          t.meshMessageDeliveries = decay(t.meshMessageDeliveries, tp.meshMessageDeliveriesDecay());
          t.meshFailurePenalty = decay(t.meshFailurePenalty, tp.meshFailurePenaltyDecay());
          t.invalidMessageDeliveries =
              decay(t.invalidMessageDeliveries, tp.invalidMessageDeliveriesDecay());
          if (t.firstMessageDeliveries == 0 && t.meshMessageDeliveries == 0
              && t.meshFailurePenalty == 0 && t.invalidMessageDeliveries == 0) {
            break;
          }
        }
      }
      for (long i = 0; i < apply && s.behaviourPenalty != 0; i++) {
        s.behaviourPenalty = decay(s.behaviourPenalty, params.behaviourPenaltyDecay());
      }
    }
    long horizon = nowNs - deliveryTtlNs;
    for (Iterator<Delivery> it = deliveries.values().iterator(); it.hasNext(); ) {
      if (it.next().firstSeenNs - horizon > 0) {
        break;
      }
      it.remove();
    }
  }

  /** One decay step of one counter: multiply, and snap to 0 below decayToZero. */
  public static double decayStep(double value, double decay, double decayToZero) {
    double v = value * decay;
    return v < decayToZero ? 0 : v;
  }

  private double decay(double value, double d) {
    return value == 0 ? 0 : decayStep(value, d, params.decayToZero());
  }

  // ============================================================ scoring

  @Override
  public double score(PeerId peer, long nowNs) {
    refresh(nowNs);
    Stats s = peers.get(peer);
    if (s == null) {
      return 0;
    }
    double topicSum = 0;
    for (Map.Entry<String, TopicStats> te : s.topics.entrySet()) {
      TopicScoreParams tp = params.topics().get(te.getKey());
      topicSum += topicScore(tp, te.getValue(), nowNs) * tp.topicWeight();
    }
    return total(peer, s, topicSum);
  }

  private double total(PeerId peer, Stats s, double topicSum) {
    double score = cap(topicSum);
    score += p5(peer) * params.appSpecificWeight();
    score += p6(s) * params.ipColocationFactorWeight();
    score += p7(s) * params.behaviourPenaltyWeight();
    return score;
  }

  private double cap(double topicSum) {
    return params.topicScoreCap() > 0 && topicSum > params.topicScoreCap()
        ? params.topicScoreCap() : topicSum;
  }

  private double p5(PeerId peer) {
    return params.appSpecificWeight() == 0 ? 0 : appSpecific.applyAsDouble(peer);
  }

  private double p6(Stats s) {
    double p6 = 0;
    for (String ip : s.ips) {
      if (params.ipColocationFactorWhitelist().contains(ip)) {
        continue;
      }
      int n = peersOnIp(ip);
      if (n > params.ipColocationFactorThreshold()) {
        double surplus = n - params.ipColocationFactorThreshold();
        p6 += surplus * surplus;
      }
    }
    return p6;
  }

  private double p7(Stats s) {
    double excess = s.behaviourPenalty - params.behaviourPenaltyThreshold();
    return excess > 0 ? excess * excess : 0;
  }

  private static double topicScore(TopicScoreParams tp, TopicStats t, long nowNs) {
    double[] c = components(tp, t, nowNs);
    return tp.timeInMeshWeight() * c[0] + tp.firstMessageDeliveriesWeight() * c[1]
        + tp.meshMessageDeliveriesWeight() * c[2] + tp.meshFailurePenaltyWeight() * c[3]
        + tp.invalidMessageDeliveriesWeight() * c[4];
  }

  /** P1, P2, P3, P3b, P4 of one topic. */
  private static double[] components(TopicScoreParams tp, TopicStats t, long nowNs) {
    double p1 = 0;
    double p3 = 0;
    if (t.inMesh) {
      long meshNs = nowNs - t.graftNs;
      p1 = Math.min((double) meshNs / tp.timeInMeshQuantum().toNanos(), tp.timeInMeshCap());
      if (p3Active(tp, t, nowNs) && t.meshMessageDeliveries < tp.meshMessageDeliveriesThreshold()) {
        double deficit = tp.meshMessageDeliveriesThreshold() - t.meshMessageDeliveries;
        p3 = deficit * deficit;
      }
    }
    double p4 = t.invalidMessageDeliveries * t.invalidMessageDeliveries;
    return new double[] {p1, t.firstMessageDeliveries, p3, t.meshFailurePenalty, p4};
  }

  private static boolean p3Active(TopicScoreParams tp, TopicStats t, long nowNs) {
    return t.inMesh && nowNs - t.graftNs > tp.meshMessageDeliveriesActivation().toNanos();
  }

  /** Every component of the peer's score at {@code nowNs}; an all-zero breakdown for unknown peers. */
  public ScoreBreakdown explain(PeerId peer, long nowNs) {
    refresh(nowNs);
    Stats s = peers.get(peer);
    if (s == null) {
      return new ScoreBreakdown(peer, nowNs, false, false, 0, 0, 0, 0, List.of(), 0, 0,
          List.of(), 0, 0, 0, 0, 0, Map.of());
    }
    List<ScoreBreakdown.TopicBreakdown> ts = new ArrayList<>();
    double topicSum = 0;
    for (Map.Entry<String, TopicStats> te : s.topics.entrySet()) {
      TopicScoreParams tp = params.topics().get(te.getKey());
      TopicStats t = te.getValue();
      double[] c = components(tp, t, nowNs);
      double w1 = tp.timeInMeshWeight() * c[0];
      double w2 = tp.firstMessageDeliveriesWeight() * c[1];
      double w3 = tp.meshMessageDeliveriesWeight() * c[2];
      double w3b = tp.meshFailurePenaltyWeight() * c[3];
      double w4 = tp.invalidMessageDeliveriesWeight() * c[4];
      double contribution = tp.topicWeight() * (w1 + w2 + w3 + w3b + w4);
      topicSum += contribution;
      ts.add(new ScoreBreakdown.TopicBreakdown(te.getKey(), tp.topicWeight(), t.inMesh,
          t.inMesh ? nowNs - t.graftNs : 0, p3Active(tp, t, nowNs), c[0], c[1],
          t.meshMessageDeliveries, c[2], c[3], t.invalidMessageDeliveries, c[4],
          w1, w2, w3, w3b, w4, contribution));
    }
    double p5 = p5(peer);
    double p6 = p6(s);
    double p7 = p7(s);
    return new ScoreBreakdown(peer, nowNs, true, s.connected, s.connected ? 0 : s.expireNs,
        total(peer, s, topicSum), topicSum, cap(topicSum), ts, p5,
        p5 * params.appSpecificWeight(), new ArrayList<>(s.ips), p6,
        p6 * params.ipColocationFactorWeight(), s.behaviourPenalty, p7,
        p7 * params.behaviourPenaltyWeight(), new EnumMap<>(s.penalties));
  }

  // ============================================================ persistence

  /**
   * The records worth keeping across a restart: every retained (disconnected) peer, and every
   * connected peer whose score is not positive, as if it disconnected now (what a crash does).
   */
  public List<RetainedScore> exportRetained(long nowNs) {
    refresh(nowNs);
    List<RetainedScore> out = new ArrayList<>();
    for (Map.Entry<PeerId, Stats> e : peers.entrySet()) {
      Stats s = e.getValue();
      long remaining;
      if (s.connected) {
        if (score(e.getKey(), nowNs) > 0) {
          continue;
        }
        remaining = retainNs;
      } else {
        remaining = Math.max(0, s.expireNs - nowNs);
      }
      List<RetainedScore.Topic> ts = new ArrayList<>();
      for (Map.Entry<String, TopicStats> te : s.topics.entrySet()) {
        TopicStats t = te.getValue();
        double failure = t.meshFailurePenalty + (s.connected ? deficitPenalty(te.getKey(), t, nowNs) : 0);
        ts.add(new RetainedScore.Topic(te.getKey(), t.meshMessageDeliveries, failure,
            t.invalidMessageDeliveries));
      }
      out.add(new RetainedScore(e.getKey(), remaining, s.behaviourPenalty,
          new ArrayList<>(s.ips), ts));
    }
    return out;
  }

  /** Restores records saved by {@link #exportRetained}; live records of the same peer win. */
  public void importRetained(Collection<RetainedScore> records, long nowNs) {
    for (RetainedScore r : records) {
      if (peers.containsKey(r.peer()) || r.retainRemainingNs() == 0) {
        continue;
      }
      Stats s = new Stats();
      s.connected = false;
      s.expireNs = nowNs + r.retainRemainingNs();
      s.behaviourPenalty = r.behaviourPenalty();
      for (RetainedScore.Topic t : r.topics()) {
        if (!params.topics().containsKey(t.topic())) {
          continue;
        }
        TopicStats ts = new TopicStats();
        ts.meshMessageDeliveries = t.meshMessageDeliveries();
        ts.meshFailurePenalty = t.meshFailurePenalty();
        ts.invalidMessageDeliveries = t.invalidMessageDeliveries();
        s.topics.put(t.topic(), ts);
      }
      peers.put(r.peer(), s);
      setPeerIps(r.peer(), r.ips());
    }
  }

  // ============================================================ events

  private TopicStats topicStats(PeerId peer, String topic) {
    if (topic == null || !params.topics().containsKey(topic)) {
      return null;
    }
    Stats s = peers.get(peer);
    if (s == null) {
      return null;
    }
    return s.topics.computeIfAbsent(topic, k -> new TopicStats());
  }

  private double deficitPenalty(String topic, TopicStats t, long nowNs) {
    TopicScoreParams tp = params.topics().get(topic);
    if (p3Active(tp, t, nowNs) && t.meshMessageDeliveries < tp.meshMessageDeliveriesThreshold()) {
      double deficit = tp.meshMessageDeliveriesThreshold() - t.meshMessageDeliveries;
      return deficit * deficit;
    }
    return 0;
  }

  @Override
  public void onPeerAdded(long nowNs, PeerId peer, String protocolId, boolean outbound) {
    refresh(nowNs);
    Stats s = peers.computeIfAbsent(peer, k -> new Stats());
    s.connected = true;
    s.expireNs = 0;
  }

  @Override
  public void onPeerRemoved(long nowNs, PeerId peer) {
    refresh(nowNs);
    Stats s = peers.get(peer);
    if (s == null) {
      return;
    }
    if (score(peer, nowNs) > 0 || retainNs == 0) {
      unindexIps(peer, s);
      peers.remove(peer);
      return;
    }
    for (Map.Entry<String, TopicStats> te : s.topics.entrySet()) {
      TopicStats t = te.getValue();
      t.firstMessageDeliveries = 0;
      if (t.inMesh) {
        t.meshFailurePenalty += deficitPenalty(te.getKey(), t, nowNs);
        t.inMesh = false;
      }
    }
    s.connected = false;
    s.expireNs = nowNs + retainNs;
  }

  private void unindexIps(PeerId peer, Stats s) {
    for (String ip : s.ips) {
      Set<PeerId> set = peersByIp.get(ip);
      if (set != null) {
        set.remove(peer);
        if (set.isEmpty()) {
          peersByIp.remove(ip);
        }
      }
    }
  }

  @Override
  public void onGraft(long nowNs, PeerId peer, String topic) {
    refresh(nowNs);
    TopicStats t = topicStats(peer, topic);
    if (t != null && !t.inMesh) {
      t.inMesh = true;
      t.graftNs = nowNs;
    }
  }

  @Override
  public void onPrune(long nowNs, PeerId peer, String topic, PruneReason reason) {
    refresh(nowNs);
    TopicStats t = topicStats(peer, topic);
    if (t != null && t.inMesh) {
      t.meshFailurePenalty += deficitPenalty(topic, t, nowNs);
      t.inMesh = false;
    }
  }

  @Override
  public void onGraftBackoffViolation(long nowNs, PeerId peer, String topic, boolean flood) {
    refresh(nowNs);
    addPenalty(peer, 1, PenaltyReason.GRAFT_BACKOFF);
    if (flood) {
      addPenalty(peer, 1, PenaltyReason.GRAFT_FLOOD);
    }
  }

  @Override
  public void onBrokenPromise(long nowNs, PeerId peer, int count) {
    refresh(nowNs);
    addPenalty(peer, count, PenaltyReason.BROKEN_PROMISE);
  }

  @Override
  public void onHeartbeat(long nowNs, long heartbeatTicks) {
    refresh(nowNs);
  }

  @Override
  public void onFirstSeen(long nowNs, MessageId id, PubMessage message, PeerId from) {
    refresh(nowNs);
    deliveries.putIfAbsent(id, new Delivery(message.topic(), nowNs, from));
  }

  @Override
  public void onDeliver(long nowNs, MessageId id, PubMessage message, PeerId from) {
    refresh(nowNs);
    Delivery d = deliveries.get(id);
    if (d == null) {
      d = new Delivery(message.topic(), nowNs, from);
      deliveries.put(id, d);
    }
    d.status = Status.VALID;
    d.validatedNs = nowNs;
    if (from != null) {
      markFirst(from, d.topic);
    }
    if (d.peers != null) {
      for (PeerId p : d.peers) {
        markDuplicate(p, d.topic);
      }
    }
  }

  @Override
  public void onReject(long nowNs, MessageId id, String topic, PeerId from, RejectReason reason) {
    refresh(nowNs);
    Delivery d = deliveries.get(id);
    if (d == null) {
      d = new Delivery(topic, nowNs, from);
      deliveries.put(id, d);
    }
    d.status = Status.INVALID;
    if (from != null) {
      markInvalid(from, topic);
    }
    if (d.peers != null) {
      for (PeerId p : d.peers) {
        markInvalid(p, topic);
      }
    }
  }

  @Override
  public void onIgnore(long nowNs, MessageId id, String topic, PeerId from, IgnoreReason reason) {
    Delivery d = deliveries.get(id);
    if (d != null) {
      d.status = Status.IGNORED;
      d.peers = null;
    }
  }

  @Override
  public void onDuplicate(long nowNs, MessageId id, String topic, PeerId from) {
    refresh(nowNs);
    Delivery d = deliveries.get(id);
    if (d == null || from == null || from.equals(d.firstFrom) || d.status == Status.IGNORED) {
      return;
    }
    if (d.peers == null) {
      d.peers = new LinkedHashSet<>(4);
    }
    if (!d.peers.add(from)) {
      return;
    }
    switch (d.status) {
      case PENDING -> { }
      case VALID -> {
        if (params.topics().containsKey(d.topic) && nowNs - d.validatedNs <= windowNs(d.topic)) {
          markDuplicate(from, d.topic);
        }
      }
      case INVALID -> markInvalid(from, d.topic);
      case IGNORED -> { }
      default -> throw new IllegalStateException();
    }
  }

  /**
   * Tree routing's lazy push: a mesh peer that the tree demoted to a lazy link announces each
   * message with an IHAVE instead of sending it (plain GossipSub never sends IHAVE to mesh peers),
   * so each announced ID counts for P3 like a near-first copy; a lazy link is not a delivery
   * deficit. Promises it breaks are still P7.
   */
  @Override
  public void onIHaveReceived(long nowNs, PeerId peer, String topic, int count) {
    refresh(nowNs);
    TopicStats t = topicStats(peer, topic);
    if (t != null && t.inMesh && count > 0) {
      TopicScoreParams tp = params.topics().get(topic);
      t.meshMessageDeliveries = Math.min(t.meshMessageDeliveries + count,
          tp.meshMessageDeliveriesCap());
    }
  }

  private long windowNs(String topic) {
    return params.topics().get(topic).meshMessageDeliveriesWindow().toNanos();
  }

  private void markFirst(PeerId peer, String topic) {
    TopicStats t = topicStats(peer, topic);
    if (t == null) {
      return;
    }
    TopicScoreParams tp = params.topics().get(topic);
    t.firstMessageDeliveries = Math.min(t.firstMessageDeliveries + 1, tp.firstMessageDeliveriesCap());
    if (t.inMesh) {
      t.meshMessageDeliveries = Math.min(t.meshMessageDeliveries + 1, tp.meshMessageDeliveriesCap());
    }
  }

  private void markDuplicate(PeerId peer, String topic) {
    TopicStats t = topicStats(peer, topic);
    if (t != null && t.inMesh) {
      TopicScoreParams tp = params.topics().get(topic);
      t.meshMessageDeliveries = Math.min(t.meshMessageDeliveries + 1, tp.meshMessageDeliveriesCap());
    }
  }

  private void markInvalid(PeerId peer, String topic) {
    TopicStats t = topicStats(peer, topic);
    if (t != null) {
      t.invalidMessageDeliveries += 1;
    }
  }
}
