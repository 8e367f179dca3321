package dev.weft.health.quarantine;

import dev.weft.core.events.IgnoreReason;
import dev.weft.core.events.OverlayEvents;
import dev.weft.core.events.PruneReason;
import dev.weft.core.events.RejectReason;
import dev.weft.core.events.ThrottleReason;
import dev.weft.core.gossip.PeerScoreThresholds;
import dev.weft.core.gossip.PeerScorer;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import dev.weft.health.score.PeerScore;
import dev.weft.health.score.PeerScoreParams;
import dev.weft.health.score.ScoreBreakdown;
import dev.weft.health.signals.LeechDetector;
import dev.weft.health.signals.MeshVerdict;
import dev.weft.health.signals.RateDecision;
import dev.weft.health.signals.RateLimitKind;
import dev.weft.health.signals.RateLimiter;
import dev.weft.health.signals.RateLimits;
import dev.weft.health.signals.ViolationCounters;
import dev.weft.health.signals.ViolationKind;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The health subsystem in one object: the v1.1 score, the extra signals and the quarantine state
 * machine. Give it to the router as its {@link PeerScorer} (it then also receives the router's
 * {@link OverlayEvents}); the driver feeds it what the router cannot see ({@link #onRpc}, {@link
 * #onNewStream}, {@link #onMalformedFrame}, {@link #setPeerIps}), calls {@link #onTick} after each
 * heartbeat and carries out the returned actions, and asks {@link #isBanned} before accepting a
 * connection. Pure and deterministic in {@code nowNs}; not thread-safe.
 *
 * <p>How isolation reaches the router without a core change: a QUARANTINED or BANNED peer scores
 * {@link #ISOLATED_SCORE}, far below every threshold, so the router ignores its RPCs (graylist),
 * prunes it from every mesh at the next heartbeat, never grafts it, never gossips with it and never
 * accepts its PX.
 *
 * <p>The line that matters: quarantine is decided only on evidence of misbehaviour — invalid
 * messages (P4), behaviour penalties (P7), a negative application score (P5), protocol-violation
 * and hard rate-limit counters, and the black-hole detector. Delivery performance (P1–P3b) and
 * colocation (P6) only lower the score: a slow or lossy peer is routed around, never quarantined.
 */
public final class HealthMonitor implements PeerScorer, OverlayEvents {
  /** The score a QUARANTINED or BANNED peer has in the router's eyes. */
  public static final double ISOLATED_SCORE = -1.0e6;
  /** Transitions kept per peer for {@link #explain}. */
  public static final int HISTORY = 64;

  /**
   * Everything a monitor needs.
   *
   * @param scoreParams v1.1 score parameters
   * @param thresholds the router's thresholds (graylist is reported by {@link #isGraylisted})
   * @param policy quarantine policy
   * @param rateLimits per-peer budgets
   * @param leechWindow black-hole detector window
   * @param leechMinTraffic first deliveries by others needed to judge a silent mesh peer
   * @param leechConfirmWindows silent windows in a row while probed that make a black hole
   * @param listener receives every transition
   */
  public record Config(PeerScoreParams scoreParams, PeerScoreThresholds thresholds,
      QuarantinePolicy policy, RateLimits rateLimits, Duration leechWindow, long leechMinTraffic,
      int leechConfirmWindows, TransitionListener listener) {
    /** Checks required fields. */
    public Config {
      Objects.requireNonNull(scoreParams, "scoreParams");
      Objects.requireNonNull(thresholds, "thresholds");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(rateLimits, "rateLimits");
      Objects.requireNonNull(leechWindow, "leechWindow");
      listener = listener == null ? TransitionListener.NONE : listener;
    }

    /**
     * weft's defaults for {@code topics}: {@link PeerScoreParams#weftMarketData}, js thresholds,
     * {@link QuarantinePolicy#defaults()}, {@link RateLimits#defaults()}, black holes judged over
     * 2 s windows with at least 20 messages from others, confirmed after 2 silent windows while
     * probed (so 3 silent windows in all: 6 s, within 10 heartbeats of 1 s).
     */
    public static Config defaults(String... topics) {
      return new Config(PeerScoreParams.weftMarketData(topics), PeerScoreThresholds.jsDefaults(),
          QuarantinePolicy.defaults(), RateLimits.defaults(), Duration.ofSeconds(2), 20, 2,
          TransitionListener.NONE);
    }

    /** A copy with another listener. */
    public Config withListener(TransitionListener l) {
      return new Config(scoreParams, thresholds, policy, rateLimits, leechWindow, leechMinTraffic,
          leechConfirmWindows, l);
    }

    /** A copy with another policy. */
    public Config withPolicy(QuarantinePolicy p) {
      return new Config(scoreParams, thresholds, p, rateLimits, leechWindow, leechMinTraffic,
          leechConfirmWindows, listener);
    }

    /** A copy with other rate limits. */
    public Config withRateLimits(RateLimits r) {
      return new Config(scoreParams, thresholds, policy, r, leechWindow, leechMinTraffic,
          leechConfirmWindows, listener);
    }
  }

  private record Evidence(QuarantineReason reason, String detail) {}

  private static final class Health {
    HealthState state = HealthState.HEALTHY;
    long sinceNs;
    long untilNs;
    QuarantineReason lastReason;
    String lastDetail = "";
    long lastEvidenceNs;
    boolean connected;
    boolean disconnectSent;
    final ArrayDeque<Long> quarantineTimes = new ArrayDeque<>();
    int bans;
    final ArrayDeque<Transition> history = new ArrayDeque<>();
    Map<ViolationKind, Long> totalsAtProbation = Map.of();
    double misbehaviourAtProbation;
  }

  private final Config config;
  private final QuarantinePolicy policy;
  private final PeerScore score;
  private final ViolationCounters violations;
  private final LeechDetector leech;
  private final RateLimiter limiter;
  private final OverlayEvents inner;
  private final Map<PeerId, Health> peers = new TreeMap<>();

  /** A monitor whose clocks start at {@code startNs}. */
  public HealthMonitor(Config config, long startNs) {
    this.config = Objects.requireNonNull(config, "config");
    this.policy = config.policy();
    this.score = new PeerScore(config.scoreParams(), startNs);
    this.violations = new ViolationCounters(policy.violationHalfLife().toNanos());
    this.leech = new LeechDetector(config.leechWindow().toNanos(), config.leechMinTraffic(),
        config.leechConfirmWindows(), startNs);
    this.limiter = new RateLimiter(config.rateLimits());
    this.inner = OverlayEvents.compose(score, violations, leech);
  }

  /** The underlying v1.1 score (for P5 functions, persistence and tests). */
  public PeerScore peerScore() {
    return score;
  }

  // ============================================================ queries

  @Override
  public double score(PeerId peer, long nowNs) {
    Health h = peers.get(peer);
    if (h != null && h.state.isIsolated()) {
      return ISOLATED_SCORE;
    }
    return score.score(peer, nowNs);
  }

  /**
   * Black-hole probe: true while the peer, silent for a window, is forwarded nothing so that it
   * can show it relays what it gets from others ({@link LeechDetector}).
   */
  @Override
  public boolean withhold(PeerId peer, long nowNs) {
    return leech.probing(peer);
  }

  /** The peer's state (HEALTHY for unknown peers). */
  public HealthState state(PeerId peer) {
    Health h = peers.get(peer);
    return h == null ? HealthState.HEALTHY : h.state;
  }

  /** Whether the router ignores the peer's RPCs: isolated, or its score is below graylist. */
  public boolean isGraylisted(PeerId peer, long nowNs) {
    return score(peer, nowNs) < config.thresholds().graylist();
  }

  /** Whether a connection from the peer must be refused (BANNED and the ban has not ended). */
  public boolean isBanned(PeerId peer, long nowNs) {
    Health h = peers.get(peer);
    return h != null && h.state == HealthState.BANNED && h.untilNs - nowNs > 0;
  }

  /** Every peer with a health record, sorted by peer ID. */
  public List<PeerReport.Summary> list(long nowNs) {
    List<PeerReport.Summary> out = new ArrayList<>();
    for (Map.Entry<PeerId, Health> e : peers.entrySet()) {
      Health h = e.getValue();
      out.add(new PeerReport.Summary(e.getKey(), h.state, h.sinceNs,
          h.state.isIsolated() ? h.untilNs : 0, score(e.getKey(), nowNs), h.lastReason));
    }
    return out;
  }

  /** Everything known about the peer. */
  public PeerReport explain(PeerId peer, long nowNs) {
    Health h = peers.get(peer);
    ScoreBreakdown b = score.explain(peer, nowNs);
    EnumMap<RateLimitKind, Long> rl = new EnumMap<>(RateLimitKind.class);
    for (RateLimitKind k : RateLimitKind.values()) {
      long v = limiter.violations(peer, k);
      if (v > 0) {
        rl.put(k, v);
      }
    }
    if (h == null) {
      return new PeerReport(peer, HealthState.HEALTHY, 0, 0, isGraylisted(peer, nowNs), List.of(),
          b, violations.totals(peer), rl, leech.verdict(peer), 0, 0);
    }
    pruneWindow(h, nowNs);
    return new PeerReport(peer, h.state, h.sinceNs, h.state.isIsolated() ? h.untilNs : 0,
        isGraylisted(peer, nowNs), new ArrayList<>(h.history), b, violations.totals(peer), rl,
        leech.verdict(peer), h.quarantineTimes.size(), h.bans);
  }

  // ============================================================ driver inputs

  /** One RPC of {@code bytes} bytes arrived from the peer; a VIOLATION is counted. */
  public RateLimiter.Check onRpc(PeerId peer, long bytes, long nowNs) {
    RateLimiter.Check c = limiter.onRpc(peer, bytes, nowNs);
    if (c.decision() == RateDecision.VIOLATION) {
      violations.record(peer, ViolationKind.RATE_LIMIT, 1, nowNs);
      touch(peer);
    }
    return c;
  }

  /** The peer opened a new stream; a VIOLATION is counted. */
  public RateLimiter.Check onNewStream(PeerId peer, long nowNs) {
    RateLimiter.Check c = limiter.onNewStream(peer, nowNs);
    if (c.decision() == RateDecision.VIOLATION) {
      violations.record(peer, ViolationKind.RATE_LIMIT, 1, nowNs);
      touch(peer);
    }
    return c;
  }

  /** A frame or RPC from the peer could not be decoded. */
  public void onMalformedFrame(PeerId peer, long nowNs) {
    violations.record(peer, ViolationKind.MALFORMED_FRAME, 1, nowNs);
    touch(peer);
  }

  /** The peer's IPs, for P6. */
  public void setPeerIps(PeerId peer, Collection<String> ips) {
    score.setPeerIps(peer, ips);
  }

  private Health touch(PeerId peer) {
    return peers.computeIfAbsent(peer, k -> new Health());
  }

  // ============================================================ the state machine

  /**
   * Runs the state machine at {@code nowNs} (also run on every router heartbeat) and returns what
   * the driver must do: disconnect isolated peers whose grace period is over (banned peers at
   * once). Each disconnect is returned once per connection.
   */
  public List<HealthAction> onTick(long nowNs) {
    evaluate(nowNs);
    List<HealthAction> out = new ArrayList<>();
    for (Map.Entry<PeerId, Health> e : peers.entrySet()) {
      Health h = e.getValue();
      if (h.connected && h.state.isIsolated() && !h.disconnectSent
          && (h.state == HealthState.BANNED
              || nowNs - h.sinceNs >= policy.disconnectGrace().toNanos())) {
        h.disconnectSent = true;
        out.add(new HealthAction.Disconnect(e.getKey(), h.state, h.lastReason));
      }
    }
    return out;
  }

  private void evaluate(long nowNs) {
    List<PeerId> forget = new ArrayList<>();
    for (Map.Entry<PeerId, Health> e : peers.entrySet()) {
      PeerId peer = e.getKey();
      Health h = e.getValue();
      switch (h.state) {
        case HEALTHY -> {
          Evidence sev = severe(peer, nowNs);
          if (sev != null) {
            isolate(peer, h, sev, nowNs);
          } else {
            Evidence mild = mild(peer, nowNs);
            if (mild != null) {
              h.lastEvidenceNs = nowNs;
              move(peer, h, HealthState.SUSPECT, mild.reason(), mild.detail(), nowNs);
            } else if (!h.connected) {
              pruneWindow(h, nowNs);
              if (h.quarantineTimes.isEmpty() && h.bans == 0) {
                forget.add(peer); // nothing left worth remembering
              }
            }
          }
        }
        case SUSPECT -> {
          Evidence sev = severe(peer, nowNs);
          if (sev != null) {
            isolate(peer, h, sev, nowNs);
          } else if (mild(peer, nowNs) != null) {
            h.lastEvidenceNs = nowNs;
          } else if (nowNs - h.lastEvidenceNs >= policy.suspectClear().toNanos()) {
            move(peer, h, HealthState.HEALTHY, QuarantineReason.CLEAN_PERIOD,
                "no evidence for " + policy.suspectClear(), nowNs);
          }
        }
        case QUARANTINED, BANNED -> {
          if (h.untilNs - nowNs <= 0) {
            h.totalsAtProbation = violations.totals(peer);
            h.misbehaviourAtProbation = score.explain(peer, nowNs).misbehaviour();
            move(peer, h, HealthState.PROBATION, h.state == HealthState.BANNED
                ? QuarantineReason.BAN_EXPIRED : QuarantineReason.QUARANTINE_EXPIRED,
                "until " + policy.probation() + " clean", nowNs);
            h.untilNs = nowNs + policy.probation().toNanos();
          }
        }
        case PROBATION -> {
          Evidence sev = severe(peer, nowNs);
          if (sev != null && isNew(peer, h, sev, nowNs)) {
            isolate(peer, h, new Evidence(sev.reason(), "relapse on probation: " + sev.detail()),
                nowNs);
          } else if (nowNs - h.sinceNs >= policy.probation().toNanos()
              && mild(peer, nowNs) == null) {
            move(peer, h, HealthState.HEALTHY, QuarantineReason.CLEAN_PERIOD,
                "probation of " + policy.probation() + " completed", nowNs);
          }
        }
        default -> throw new IllegalStateException(h.state.toString());
      }
    }
    forget.forEach(peers::remove);
  }

  /** Severe evidence seen on probation counts only if it appeared after probation began. */
  private boolean isNew(PeerId peer, Health h, Evidence ev, long nowNs) {
    if (ev.reason() == QuarantineReason.BLACK_HOLE) {
      return true;
    }
    Map<ViolationKind, Long> now = violations.totals(peer);
    for (Map.Entry<ViolationKind, Long> e : now.entrySet()) {
      if (e.getValue() > h.totalsAtProbation.getOrDefault(e.getKey(), 0L)) {
        return true;
      }
    }
    return score.explain(peer, nowNs).misbehaviour() < h.misbehaviourAtProbation - 1e-9;
  }

  private void pruneWindow(Health h, long nowNs) {
    long horizon = nowNs - policy.banWindow().toNanos();
    while (!h.quarantineTimes.isEmpty() && h.quarantineTimes.peekFirst() - horizon <= 0) {
      h.quarantineTimes.pollFirst();
    }
  }

  private void isolate(PeerId peer, Health h, Evidence ev, long nowNs) {
    pruneWindow(h, nowNs);
    int prior = h.quarantineTimes.size();
    h.quarantineTimes.addLast(nowNs);
    h.disconnectSent = false;
    if (policy.shouldBan(prior + 1)) {
      long len = policy.banNs(h.bans);
      h.bans++;
      move(peer, h, HealthState.BANNED, QuarantineReason.REPEATED_QUARANTINE,
          ev.reason() + " (" + ev.detail() + "); quarantine " + (prior + 1) + " within "
              + policy.banWindow() + ", ban " + Duration.ofNanos(len), nowNs);
      h.untilNs = saturatingAdd(nowNs, len);
    } else {
      long len = policy.quarantineNs(prior);
      move(peer, h, HealthState.QUARANTINED, ev.reason(),
          ev.detail() + "; quarantine " + Duration.ofNanos(len), nowNs);
      h.untilNs = saturatingAdd(nowNs, len);
    }
  }

  private static long saturatingAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  private void move(PeerId peer, Health h, HealthState to, QuarantineReason reason, String detail,
      long nowNs) {
    Transition t = new Transition(peer, h.state, to, reason, detail, nowNs);
    h.state = to;
    h.sinceNs = nowNs;
    h.lastReason = reason;
    h.lastDetail = t.detail();
    h.history.addLast(t);
    while (h.history.size() > HISTORY) {
      h.history.pollFirst();
    }
    config.listener().onTransition(t);
  }

  private static QuarantineReason reasonOf(ViolationKind k) {
    return switch (k) {
      case INVALID_MESSAGE -> QuarantineReason.INVALID_MESSAGES;
      case RATE_LIMIT -> QuarantineReason.RATE_LIMIT;
      case BROKEN_PROMISE -> QuarantineReason.BEHAVIOUR_PENALTY;
      default -> QuarantineReason.PROTOCOL_VIOLATION;
    };
  }

  private Evidence scoreEvidence(ScoreBreakdown b, double below) {
    double m = b.misbehaviour();
    if (!(m < below)) {
      return null;
    }
    double p4 = 0;
    for (ScoreBreakdown.TopicBreakdown t : b.topics()) {
      p4 += t.topicWeight() * t.w4p4();
    }
    double p7 = b.p7Weighted();
    double p5 = Math.min(0, b.p5Weighted());
    QuarantineReason r = p4 <= p7 && p4 <= p5 ? QuarantineReason.INVALID_MESSAGES
        : p7 <= p5 ? QuarantineReason.BEHAVIOUR_PENALTY : QuarantineReason.APP_SPECIFIC;
    return new Evidence(r, String.format(java.util.Locale.ROOT,
        "misbehaviour score %.2f < %.2f (P4 %.2f, P7 %.2f, P5 %.2f)", m, below, p4, p7, p5));
  }

  private Evidence severe(PeerId peer, long nowNs) {
    Evidence s = scoreEvidence(score.explain(peer, nowNs), policy.quarantineBelow());
    if (s != null) {
      return s;
    }
    for (Map.Entry<ViolationKind, Double> e : policy.quarantineAt().entrySet()) {
      double recent = violations.recent(peer, e.getKey(), nowNs);
      if (recent >= e.getValue()) {
        return new Evidence(reasonOf(e.getKey()), String.format(java.util.Locale.ROOT,
            "%s recent %.2f >= %.0f", e.getKey(), recent, e.getValue()));
      }
    }
    if (leech.verdict(peer) == MeshVerdict.BLACK_HOLE) {
      return new Evidence(QuarantineReason.BLACK_HOLE, "delivered nothing for "
          + leech.silentWindows(peer) + " window(s) of " + config.leechWindow()
          + " while others delivered, not even while we forwarded it nothing (probe)");
    }
    return null;
  }

  private Evidence mild(PeerId peer, long nowNs) {
    ScoreBreakdown b = score.explain(peer, nowNs);
    Evidence s = scoreEvidence(b, policy.suspectBelow());
    if (s != null) {
      return new Evidence(QuarantineReason.LOW_SCORE, s.detail());
    }
    for (Map.Entry<ViolationKind, Double> e : policy.quarantineAt().entrySet()) {
      double recent = violations.recent(peer, e.getKey(), nowNs);
      if (recent >= e.getValue() / 2) {
        return new Evidence(reasonOf(e.getKey()), String.format(java.util.Locale.ROOT,
            "%s recent %.2f >= half of %.0f", e.getKey(), recent, e.getValue()));
      }
    }
    if (b.p6Weighted() < 0) {
      return new Evidence(QuarantineReason.IP_COLOCATION, "P6 " + b.p6() + " on " + b.ips());
    }
    return null;
  }

  // ============================================================ operator overrides

  /**
   * Operator: makes the peer HEALTHY now, forgives its score penalties (P3b, P4, P7) and
   * violation counters, and forgets its quarantine count. No-op for a HEALTHY peer.
   */
  public void release(PeerId peer, String detail, long nowNs) {
    Health h = peers.get(peer);
    if (h == null || h.state == HealthState.HEALTHY) {
      return;
    }
    score.forgive(peer);
    violations.forget(peer);
    h.quarantineTimes.clear();
    h.bans = 0;
    move(peer, h, HealthState.HEALTHY, QuarantineReason.OPERATOR_RELEASE, detail, nowNs);
  }

  /**
   * Operator: bans the peer for {@code duration} (null: until released). A banned peer's ban is
   * replaced.
   */
  public void ban(PeerId peer, Duration duration, String detail, long nowNs) {
    Health h = touch(peer);
    long until = duration == null ? Long.MAX_VALUE : saturatingAdd(nowNs, duration.toNanos());
    if (h.state != HealthState.BANNED) {
      h.bans++;
      h.disconnectSent = false;
      move(peer, h, HealthState.BANNED, QuarantineReason.OPERATOR_BAN, detail, nowNs);
    }
    h.untilNs = until;
  }

  // ============================================================ persistence

  /** Records worth keeping across a restart: isolated and probation peers, and escalation history. */
  public List<QuarantineRecord> exportRecords(long nowNs) {
    List<QuarantineRecord> out = new ArrayList<>();
    for (Map.Entry<PeerId, Health> e : peers.entrySet()) {
      Health h = e.getValue();
      pruneWindow(h, nowNs);
      boolean timed = h.state.isIsolated() || h.state == HealthState.PROBATION;
      if (!timed && h.quarantineTimes.isEmpty() && h.bans == 0) {
        continue;
      }
      HealthState st = timed ? h.state : HealthState.PROBATION;
      long remaining = !timed ? 0
          : h.untilNs == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, h.untilNs - nowNs);
      out.add(new QuarantineRecord(e.getKey(), st,
          h.lastReason == null ? QuarantineReason.CLEAN_PERIOD : h.lastReason, h.lastDetail,
          remaining, h.quarantineTimes.size(), h.bans));
    }
    return out;
  }

  /**
   * Restores records saved by {@link #exportRecords} (after a restart). Quarantine counts are
   * re-dated to {@code nowNs}. Peers already known are left alone.
   */
  public void importRecords(Collection<QuarantineRecord> records, long nowNs) {
    for (QuarantineRecord r : records) {
      if (peers.containsKey(r.peer())) {
        continue;
      }
      Health h = new Health();
      h.state = r.state() == HealthState.SUSPECT ? HealthState.HEALTHY : r.state();
      h.sinceNs = nowNs;
      h.untilNs = r.remainingNs() == Long.MAX_VALUE ? Long.MAX_VALUE
          : saturatingAdd(nowNs, r.remainingNs());
      h.lastReason = r.reason();
      h.lastDetail = r.detail();
      h.bans = r.bans();
      for (int i = 0; i < r.quarantinesInWindow(); i++) {
        h.quarantineTimes.addLast(nowNs);
      }
      if (h.state == HealthState.PROBATION) {
        h.totalsAtProbation = violations.totals(r.peer());
        h.misbehaviourAtProbation = score.explain(r.peer(), nowNs).misbehaviour();
        if (r.remainingNs() == 0) {
          h.sinceNs = nowNs - policy.probation().toNanos();
        }
      }
      peers.put(r.peer(), h);
    }
  }

  // ============================================================ events

  @Override
  public void onPeerAdded(long nowNs, PeerId peer, String protocolId, boolean outbound) {
    Health h = touch(peer);
    h.connected = true;
    h.disconnectSent = false;
    inner.onPeerAdded(nowNs, peer, protocolId, outbound);
  }

  @Override
  public void onPeerRemoved(long nowNs, PeerId peer) {
    inner.onPeerRemoved(nowNs, peer);
    Health h = peers.get(peer);
    if (h != null) {
      h.connected = false;
    }
    limiter.forget(peer);
  }

  @Override
  public void onJoin(long nowNs, String topic) {
    inner.onJoin(nowNs, topic);
  }

  @Override
  public void onLeave(long nowNs, String topic) {
    inner.onLeave(nowNs, topic);
  }

  @Override
  public void onPeerSubscription(long nowNs, PeerId peer, String topic, boolean subscribed) {
    inner.onPeerSubscription(nowNs, peer, topic, subscribed);
  }

  @Override
  public void onGraft(long nowNs, PeerId peer, String topic) {
    inner.onGraft(nowNs, peer, topic);
  }

  @Override
  public void onPrune(long nowNs, PeerId peer, String topic, PruneReason reason) {
    inner.onPrune(nowNs, peer, topic, reason);
  }

  @Override
  public void onGraftBackoffViolation(long nowNs, PeerId peer, String topic, boolean flood) {
    inner.onGraftBackoffViolation(nowNs, peer, topic, flood);
  }

  @Override
  public void onFirstSeen(long nowNs, MessageId id, PubMessage message, PeerId from) {
    inner.onFirstSeen(nowNs, id, message, from);
  }

  @Override
  public void onDeliver(long nowNs, MessageId id, PubMessage message, PeerId from) {
    inner.onDeliver(nowNs, id, message, from);
  }

  @Override
  public void onDuplicate(long nowNs, MessageId id, String topic, PeerId from) {
    inner.onDuplicate(nowNs, id, topic, from);
  }

  @Override
  public void onReject(long nowNs, MessageId id, String topic, PeerId from, RejectReason reason) {
    inner.onReject(nowNs, id, topic, from, reason);
  }

  @Override
  public void onIgnore(long nowNs, MessageId id, String topic, PeerId from, IgnoreReason reason) {
    inner.onIgnore(nowNs, id, topic, from, reason);
  }

  @Override
  public void onPublish(long nowNs, MessageId id, String topic, int recipients) {
    inner.onPublish(nowNs, id, topic, recipients);
  }

  @Override
  public void onIHaveSent(long nowNs, PeerId peer, String topic, int count) {
    inner.onIHaveSent(nowNs, peer, topic, count);
  }

  @Override
  public void onIHaveReceived(long nowNs, PeerId peer, String topic, int count) {
    inner.onIHaveReceived(nowNs, peer, topic, count);
  }

  @Override
  public void onIWantSent(long nowNs, PeerId peer, int count) {
    inner.onIWantSent(nowNs, peer, count);
  }

  @Override
  public void onIWantReceived(long nowNs, PeerId peer, int count, int served) {
    inner.onIWantReceived(nowNs, peer, count, served);
  }

  @Override
  public void onIDontWantSent(long nowNs, PeerId peer, int count) {
    inner.onIDontWantSent(nowNs, peer, count);
  }

  @Override
  public void onIDontWantReceived(long nowNs, PeerId peer, int count) {
    inner.onIDontWantReceived(nowNs, peer, count);
  }

  @Override
  public void onBrokenPromise(long nowNs, PeerId peer, int count) {
    inner.onBrokenPromise(nowNs, peer, count);
  }

  @Override
  public void onThrottled(long nowNs, PeerId peer, ThrottleReason reason) {
    inner.onThrottled(nowNs, peer, reason);
  }

  @Override
  public void onMalformedRpc(long nowNs, PeerId peer, dev.weft.core.events.MalformedReason reason) {
    inner.onMalformedRpc(nowNs, peer, reason);
    onMalformedFrame(peer, nowNs);
  }

  @Override
  public void onPeerExchange(long nowNs, PeerId pruner, String topic, int dials) {
    inner.onPeerExchange(nowNs, pruner, topic, dials);
  }

  @Override
  public void onHeartbeat(long nowNs, long heartbeatTicks) {
    inner.onHeartbeat(nowNs, heartbeatTicks);
    evaluate(nowNs);
  }
}
