package dev.weft.core.gossip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Immutable GossipSub router parameters, checked in one place ({@link Builder#build()}). Spec
 * symbols in brackets; defaults are the spec's (js-libp2p's where the spec is silent, see digest
 * §6.6). Durations are {@link Duration}s; the router converts them to nanoseconds once.
 *
 * @param d [D] desired outbound degree of each topic mesh; 1..; default 6. Trade-off between
 *     redundancy (latency, resilience) and duplicate bandwidth (each message arrives ~D times).
 * @param dLow [D_lo] below this the heartbeat grafts back up to D; 1..d; default 4 (spec; go uses 5).
 * @param dHigh [D_hi] above this the heartbeat prunes down to D; d..; default 12. Wide band between
 *     D_lo and D_hi avoids graft/prune churn.
 * @param dScore [D_score] peers kept by score when pruning an oversubscribed mesh; 0..d; default 4.
 * @param dOut [D_out] minimum outbound-connection peers kept in each mesh (eclipse resistance);
 *     must be < dLow and ≤ d/2; default 2.
 * @param dLazy [D_lazy] minimum number of non-mesh peers receiving IHAVE gossip per heartbeat;
 *     0..; default 6 (= D).
 * @param gossipFactor [gossip_factor] fraction of eligible non-mesh peers gossiped to when that is
 *     more than dLazy; 0..1; default 0.25.
 * @param heartbeatInterval [heartbeat_interval] mesh maintenance period; > 0; default 1 s.
 * @param heartbeatInitialDelay delay of the first heartbeat after the router starts; ≥ 0; default
 *     100 ms (go, js).
 * @param fanoutTtl [fanout_ttl] a fanout topic not published to for this long is forgotten; > 0;
 *     default 60 s.
 * @param mcacheLen [mcache_len] heartbeats of messages kept to answer IWANT; ≥ mcacheGossip;
 *     default 5.
 * @param mcacheGossip [mcache_gossip] most recent heartbeats whose IDs are advertised in IHAVE;
 *     1..mcacheLen; default 3.
 * @param seenTtl [seen_ttl] how long a message ID is remembered for duplicate suppression; must
 *     cover the network's propagation time; > 0; default 2 min.
 * @param gossipRetransmission max times one message is sent to the same peer in answer to IWANT;
 *     ≥ 1; default 3 (go, js). Bounds IWANT amplification.
 * @param pruneBackoff [prune_backoff] backoff announced in our PRUNEs and applied when a PRUNE has
 *     none; ≥ heartbeatInterval; default 60 s.
 * @param unsubscribeBackoff backoff announced when we leave a topic; > 0, ≤ pruneBackoff; default
 *     10 s (so we can re-join quickly).
 * @param backoffSlackHeartbeats heartbeats added to every remote backoff before we GRAFT again, so
 *     clock skew never makes us violate it (js penalises violations); ≥ 0; default 2 (go; js 1).
 * @param graftFloodThreshold a GRAFT within this time after our PRUNE counts double as a violation;
 *     ≥ 0; default 10 s.
 * @param prunePeers max PX suggestions per PRUNE; 0..; default 16.
 * @param doPx include PX suggestions in PRUNEs sent for oversubscription; default false (go, js).
 * @param opportunisticGraftTicks heartbeats between opportunistic-graft checks; ≥ 1; default 60.
 * @param opportunisticGraftPeers peers grafted per opportunistic graft; 0..; default 2.
 * @param iwantFollowupTime a peer that advertised an ID we asked for has this long to deliver it
 *     before it counts as a broken promise (P7); > 0; default 3 s.
 * @param maxIHaveLength max message IDs advertised per IHAVE and requested per peer per heartbeat;
 *     ≥ 1; default 5000.
 * @param maxIHaveMessages max IHAVE RPCs processed per peer per heartbeat; ≥ 1; default 10.
 * @param idontwantSizeThreshold messages with more payload bytes than this trigger IDONTWANT to
 *     ≥1.2 mesh peers (v1.2); ≥ 0; default 1024 (go; js 512). Small messages are cheaper to
 *     duplicate than to cancel.
 * @param maxIDontWantIdsPerHeartbeat IDONTWANT IDs accepted per peer per heartbeat; ≥ 0; default
 *     512 (js). Excess is ignored.
 * @param idontwantTtlHeartbeats heartbeats a received IDONTWANT is honoured; ≥ 1; default 3 (go).
 * @param floodPublish [flood_publish] own messages go to every topic peer above publishThreshold,
 *     not only the mesh; default true. Lowest first-hop latency, more duplicates.
 * @param maxRpcSize largest RPC we send, in encoded bytes; larger RPCs are split; ≥ 1024; default
 *     1 MiB (go's receive limit; js accepts 4 MiB).
 * @param maxPendingValidations messages waiting for the application validator; beyond it received
 *     messages are ignored; ≥ 1; default 1024.
 * @param directConnectTicks heartbeats between reconnect attempts to configured direct peers;
 *     ≥ 1; default 300.
 * @param signaturePolicy signing policy of this node's topics; default STRICT_SIGN.
 * @param maxMessageSize largest message payload (data bytes) we publish or accept; ≥ 1; default
 *     10 MiB. A message larger than {@code maxRpcSize} travels alone in an RPC of its own (RPCs are
 *     split at {@code maxRpcSize}, a message cannot be), so drivers accept frames up to
 *     {@link #maxFrameSize()}.
 */
public record GossipParams(
    int d, int dLow, int dHigh, int dScore, int dOut, int dLazy, double gossipFactor,
    Duration heartbeatInterval, Duration heartbeatInitialDelay, Duration fanoutTtl,
    int mcacheLen, int mcacheGossip, Duration seenTtl, int gossipRetransmission,
    Duration pruneBackoff, Duration unsubscribeBackoff, int backoffSlackHeartbeats,
    Duration graftFloodThreshold, int prunePeers, boolean doPx,
    int opportunisticGraftTicks, int opportunisticGraftPeers, Duration iwantFollowupTime,
    int maxIHaveLength, int maxIHaveMessages, int idontwantSizeThreshold,
    int maxIDontWantIdsPerHeartbeat, int idontwantTtlHeartbeats, boolean floodPublish,
    int maxRpcSize, int maxPendingValidations, int directConnectTicks,
    SignaturePolicy signaturePolicy, int maxMessageSize) {

  /** Default {@link #maxMessageSize()}: 10 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 10 << 20;
  /** Room for a message's other fields (topic, from, seqno, signature, key) and RPC framing. */
  static final int MESSAGE_ENVELOPE_SLACK = 16 * 1024;

  /** Only {@link Builder#build()} should be used; the canonical constructor validates too. */
  public GossipParams {
    List<String> errors = validate(d, dLow, dHigh, dScore, dOut, dLazy, gossipFactor,
        heartbeatInterval, heartbeatInitialDelay, fanoutTtl, mcacheLen, mcacheGossip, seenTtl,
        gossipRetransmission, pruneBackoff, unsubscribeBackoff, backoffSlackHeartbeats,
        graftFloodThreshold, prunePeers, opportunisticGraftTicks, opportunisticGraftPeers,
        iwantFollowupTime, maxIHaveLength, maxIHaveMessages, idontwantSizeThreshold,
        maxIDontWantIdsPerHeartbeat, idontwantTtlHeartbeats, maxRpcSize, maxPendingValidations,
        directConnectTicks, signaturePolicy);
    if (maxMessageSize < 1 || maxMessageSize > (1 << 30)) {
      errors.add("maxMessageSize=" + maxMessageSize + " must be in [1, 2^30]");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid gossip parameters: " + String.join("; ", errors));
    }
  }

  /**
   * Largest frame a driver must accept: {@code maxRpcSize}, or one message of
   * {@code maxMessageSize} with its envelope when that is larger.
   */
  public int maxFrameSize() {
    return Math.max(maxRpcSize, maxMessageSize + MESSAGE_ENVELOPE_SLACK);
  }

  /** The spec's defaults (js-libp2p where the spec is silent). */
  public static GossipParams specDefaults() {
    return builder().build();
  }

  /**
   * Ethereum consensus-layer values (consensus-specs p2p-interface): D=8, D_lo=6, D_hi=12,
   * D_lazy=6, heartbeat 700 ms, mcache_len 6, mcache_gossip 3, fanout TTL 60 s, seen TTL 550
   * heartbeats (≈ one epoch). Ethereum also uses StrictNoSign with its own content-based message
   * ID and messages up to 10 MiB; set those on the builder/node where needed.
   */
  public static GossipParams ethereumConsensus() {
    return builder().d(8).dLow(6).dHigh(12).dLazy(6)
        .heartbeatInterval(Duration.ofMillis(700)).mcacheLen(6).mcacheGossip(3)
        .fanoutTtl(Duration.ofSeconds(60)).seenTtl(Duration.ofMillis(700L * 550))
        .signaturePolicy(SignaturePolicy.STRICT_NO_SIGN)
        .build();
  }

  /**
   * Market data: many small messages where gaps and tail latency matter. D=8/6/12 for more disjoint
   * paths; D_lazy=8 and gossip factor 0.5 so a lost copy is re-advertised widely; 200 ms heartbeat
   * so gossip (IHAVE) repairs within a few hundred ms and the mesh heals fast; mcache_len 10
   * (2 s of IWANT service) with mcache_gossip 3 (600 ms of advertised IDs); seen TTL 30 s (high
   * rates make a 2 min seen cache large, and market data older than that is useless anyway);
   * fanout TTL 10 s; IWANT follow-up 1 s; flood publish on (the publisher's first hop dominates
   * latency). IDONTWANT stays at 1024 B, so small ticks are never cancelled. Prune backoff stays at
   * the spec's 60 s because remote peers enforce what we announce.
   */
  public static GossipParams lowLatencyMarketData() {
    return builder().d(8).dLow(6).dHigh(12).dLazy(8).gossipFactor(0.5)
        .heartbeatInterval(Duration.ofMillis(200)).heartbeatInitialDelay(Duration.ofMillis(20))
        .mcacheLen(10).mcacheGossip(3).seenTtl(Duration.ofSeconds(30))
        .fanoutTtl(Duration.ofSeconds(10)).iwantFollowupTime(Duration.ofSeconds(1))
        .floodPublish(true)
        .build();
  }

  /** A builder starting from the spec defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.d = d; b.dLow = dLow; b.dHigh = dHigh; b.dScore = dScore; b.dOut = dOut; b.dLazy = dLazy;
    b.gossipFactor = gossipFactor; b.heartbeatInterval = heartbeatInterval;
    b.heartbeatInitialDelay = heartbeatInitialDelay; b.fanoutTtl = fanoutTtl;
    b.mcacheLen = mcacheLen; b.mcacheGossip = mcacheGossip; b.seenTtl = seenTtl;
    b.gossipRetransmission = gossipRetransmission; b.pruneBackoff = pruneBackoff;
    b.unsubscribeBackoff = unsubscribeBackoff; b.backoffSlackHeartbeats = backoffSlackHeartbeats;
    b.graftFloodThreshold = graftFloodThreshold; b.prunePeers = prunePeers; b.doPx = doPx;
    b.opportunisticGraftTicks = opportunisticGraftTicks;
    b.opportunisticGraftPeers = opportunisticGraftPeers; b.iwantFollowupTime = iwantFollowupTime;
    b.maxIHaveLength = maxIHaveLength; b.maxIHaveMessages = maxIHaveMessages;
    b.idontwantSizeThreshold = idontwantSizeThreshold;
    b.maxIDontWantIdsPerHeartbeat = maxIDontWantIdsPerHeartbeat;
    b.idontwantTtlHeartbeats = idontwantTtlHeartbeats; b.floodPublish = floodPublish;
    b.maxRpcSize = maxRpcSize; b.maxPendingValidations = maxPendingValidations;
    b.directConnectTicks = directConnectTicks; b.signaturePolicy = signaturePolicy;
    b.maxMessageSize = maxMessageSize;
    return b;
  }

  @SuppressWarnings("checkstyle:ParameterNumber")
  private static List<String> validate(
      int d, int dLow, int dHigh, int dScore, int dOut, int dLazy, double gossipFactor,
      Duration heartbeat, Duration initialDelay, Duration fanoutTtl, int mcacheLen,
      int mcacheGossip, Duration seenTtl, int gossipRetransmission, Duration pruneBackoff,
      Duration unsubscribeBackoff, int slack, Duration graftFlood, int prunePeers,
      int ogTicks, int ogPeers, Duration iwantFollowup, int maxIHaveLength, int maxIHaveMessages,
      int idwThreshold, int maxIdw, int idwTtl, int maxRpcSize, int maxPending, int directTicks,
      SignaturePolicy policy) {
    List<String> e = new ArrayList<>();
    if (d < 1) {
      e.add("d=" + d + " must be >= 1");
    }
    if (dLow < 1 || dLow > d) {
      e.add("dLow=" + dLow + " must be >= 1 and <= d=" + d);
    }
    if (dHigh < d) {
      e.add("dHigh=" + dHigh + " must be >= d=" + d);
    }
    if (dScore < 0 || dScore > d) {
      e.add("dScore=" + dScore + " must be >= 0 and <= d=" + d);
    }
    if (dOut < 0 || dOut >= dLow || dOut > d / 2) {
      e.add("dOut=" + dOut + " must be >= 0, < dLow=" + dLow + " and <= d/2=" + (d / 2));
    }
    if (dLazy < 0) {
      e.add("dLazy=" + dLazy + " must be >= 0");
    }
    if (!(gossipFactor >= 0 && gossipFactor <= 1)) {
      e.add("gossipFactor=" + gossipFactor + " must be in [0, 1]");
    }
    positive(e, "heartbeatInterval", heartbeat);
    nonNegative(e, "heartbeatInitialDelay", initialDelay);
    positive(e, "fanoutTtl", fanoutTtl);
    if (mcacheGossip < 1 || mcacheGossip > mcacheLen) {
      e.add("mcacheGossip=" + mcacheGossip + " must be >= 1 and <= mcacheLen=" + mcacheLen);
    }
    positive(e, "seenTtl", seenTtl);
    if (gossipRetransmission < 1) {
      e.add("gossipRetransmission=" + gossipRetransmission + " must be >= 1");
    }
    positive(e, "pruneBackoff", pruneBackoff);
    positive(e, "unsubscribeBackoff", unsubscribeBackoff);
    if (heartbeat != null && pruneBackoff != null && pruneBackoff.compareTo(heartbeat) < 0) {
      e.add("pruneBackoff=" + pruneBackoff + " must be >= heartbeatInterval=" + heartbeat);
    }
    if (pruneBackoff != null && unsubscribeBackoff != null
        && unsubscribeBackoff.compareTo(pruneBackoff) > 0) {
      e.add("unsubscribeBackoff=" + unsubscribeBackoff + " must be <= pruneBackoff=" + pruneBackoff);
    }
    if (pruneBackoff != null && pruneBackoff.toSeconds() * 1_000_000_000L != pruneBackoff.toNanos()) {
      e.add("pruneBackoff=" + pruneBackoff + " must be whole seconds (PRUNE carries seconds)");
    }
    if (unsubscribeBackoff != null
        && unsubscribeBackoff.toSeconds() * 1_000_000_000L != unsubscribeBackoff.toNanos()) {
      e.add("unsubscribeBackoff=" + unsubscribeBackoff + " must be whole seconds");
    }
    if (slack < 0) {
      e.add("backoffSlackHeartbeats=" + slack + " must be >= 0");
    }
    nonNegative(e, "graftFloodThreshold", graftFlood);
    if (prunePeers < 0) {
      e.add("prunePeers=" + prunePeers + " must be >= 0");
    }
    if (ogTicks < 1) {
      e.add("opportunisticGraftTicks=" + ogTicks + " must be >= 1");
    }
    if (ogPeers < 0) {
      e.add("opportunisticGraftPeers=" + ogPeers + " must be >= 0");
    }
    positive(e, "iwantFollowupTime", iwantFollowup);
    if (maxIHaveLength < 1) {
      e.add("maxIHaveLength=" + maxIHaveLength + " must be >= 1");
    }
    if (maxIHaveMessages < 1) {
      e.add("maxIHaveMessages=" + maxIHaveMessages + " must be >= 1");
    }
    if (idwThreshold < 0) {
      e.add("idontwantSizeThreshold=" + idwThreshold + " must be >= 0");
    }
    if (maxIdw < 0) {
      e.add("maxIDontWantIdsPerHeartbeat=" + maxIdw + " must be >= 0");
    }
    if (idwTtl < 1) {
      e.add("idontwantTtlHeartbeats=" + idwTtl + " must be >= 1");
    }
    if (maxRpcSize < 1024) {
      e.add("maxRpcSize=" + maxRpcSize + " must be >= 1024");
    }
    if (maxPending < 1) {
      e.add("maxPendingValidations=" + maxPending + " must be >= 1");
    }
    if (directTicks < 1) {
      e.add("directConnectTicks=" + directTicks + " must be >= 1");
    }
    if (policy == null) {
      e.add("signaturePolicy must be set");
    }
    return e;
  }

  private static void positive(List<String> e, String name, Duration v) {
    if (v == null || v.isNegative() || v.isZero()) {
      e.add(name + "=" + v + " must be > 0");
    }
  }

  private static void nonNegative(List<String> e, String name, Duration v) {
    if (v == null || v.isNegative()) {
      e.add(name + "=" + v + " must be >= 0");
    }
  }

  /** Mutable builder; {@link #build()} reports every violated rule at once. */
  public static final class Builder {
    private int d = 6;
    private int dLow = 4;
    private int dHigh = 12;
    private int dScore = 4;
    private int dOut = 2;
    private int dLazy = 6;
    private double gossipFactor = 0.25;
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private Duration heartbeatInitialDelay = Duration.ofMillis(100);
    private Duration fanoutTtl = Duration.ofSeconds(60);
    private int mcacheLen = 5;
    private int mcacheGossip = 3;
    private Duration seenTtl = Duration.ofMinutes(2);
    private int gossipRetransmission = 3;
    private Duration pruneBackoff = Duration.ofSeconds(60);
    private Duration unsubscribeBackoff = Duration.ofSeconds(10);
    private int backoffSlackHeartbeats = 2;
    private Duration graftFloodThreshold = Duration.ofSeconds(10);
    private int prunePeers = 16;
    private boolean doPx = false;
    private int opportunisticGraftTicks = 60;
    private int opportunisticGraftPeers = 2;
    private Duration iwantFollowupTime = Duration.ofSeconds(3);
    private int maxIHaveLength = 5000;
    private int maxIHaveMessages = 10;
    private int idontwantSizeThreshold = 1024;
    private int maxIDontWantIdsPerHeartbeat = 512;
    private int idontwantTtlHeartbeats = 3;
    private boolean floodPublish = true;
    private int maxRpcSize = 1 << 20;
    private int maxPendingValidations = 1024;
    private int directConnectTicks = 300;
    private SignaturePolicy signaturePolicy = SignaturePolicy.STRICT_SIGN;
    private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

    private Builder() {}

    /** See {@link GossipParams#d()}. */
    public Builder d(int v) { d = v; return this; }
    /** See {@link GossipParams#dLow()}. */
    public Builder dLow(int v) { dLow = v; return this; }
    /** See {@link GossipParams#dHigh()}. */
    public Builder dHigh(int v) { dHigh = v; return this; }
    /** See {@link GossipParams#dScore()}. */
    public Builder dScore(int v) { dScore = v; return this; }
    /** See {@link GossipParams#dOut()}. */
    public Builder dOut(int v) { dOut = v; return this; }
    /** See {@link GossipParams#dLazy()}. */
    public Builder dLazy(int v) { dLazy = v; return this; }
    /** See {@link GossipParams#gossipFactor()}. */
    public Builder gossipFactor(double v) { gossipFactor = v; return this; }
    /** See {@link GossipParams#heartbeatInterval()}. */
    public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }
    /** See {@link GossipParams#heartbeatInitialDelay()}. */
    public Builder heartbeatInitialDelay(Duration v) { heartbeatInitialDelay = v; return this; }
    /** See {@link GossipParams#fanoutTtl()}. */
    public Builder fanoutTtl(Duration v) { fanoutTtl = v; return this; }
    /** See {@link GossipParams#mcacheLen()}. */
    public Builder mcacheLen(int v) { mcacheLen = v; return this; }
    /** See {@link GossipParams#mcacheGossip()}. */
    public Builder mcacheGossip(int v) { mcacheGossip = v; return this; }
    /** See {@link GossipParams#seenTtl()}. */
    public Builder seenTtl(Duration v) { seenTtl = v; return this; }
    /** See {@link GossipParams#gossipRetransmission()}. */
    public Builder gossipRetransmission(int v) { gossipRetransmission = v; return this; }
    /** See {@link GossipParams#pruneBackoff()}. */
    public Builder pruneBackoff(Duration v) { pruneBackoff = v; return this; }
    /** See {@link GossipParams#unsubscribeBackoff()}. */
    public Builder unsubscribeBackoff(Duration v) { unsubscribeBackoff = v; return this; }
    /** See {@link GossipParams#backoffSlackHeartbeats()}. */
    public Builder backoffSlackHeartbeats(int v) { backoffSlackHeartbeats = v; return this; }
    /** See {@link GossipParams#graftFloodThreshold()}. */
    public Builder graftFloodThreshold(Duration v) { graftFloodThreshold = v; return this; }
    /** See {@link GossipParams#prunePeers()}. */
    public Builder prunePeers(int v) { prunePeers = v; return this; }
    /** See {@link GossipParams#doPx()}. */
    public Builder doPx(boolean v) { doPx = v; return this; }
    /** See {@link GossipParams#opportunisticGraftTicks()}. */
    public Builder opportunisticGraftTicks(int v) { opportunisticGraftTicks = v; return this; }
    /** See {@link GossipParams#opportunisticGraftPeers()}. */
    public Builder opportunisticGraftPeers(int v) { opportunisticGraftPeers = v; return this; }
    /** See {@link GossipParams#iwantFollowupTime()}. */
    public Builder iwantFollowupTime(Duration v) { iwantFollowupTime = v; return this; }
    /** See {@link GossipParams#maxIHaveLength()}. */
    public Builder maxIHaveLength(int v) { maxIHaveLength = v; return this; }
    /** See {@link GossipParams#maxIHaveMessages()}. */
    public Builder maxIHaveMessages(int v) { maxIHaveMessages = v; return this; }
    /** See {@link GossipParams#idontwantSizeThreshold()}. */
    public Builder idontwantSizeThreshold(int v) { idontwantSizeThreshold = v; return this; }
    /** See {@link GossipParams#maxIDontWantIdsPerHeartbeat()}. */
    public Builder maxIDontWantIdsPerHeartbeat(int v) { maxIDontWantIdsPerHeartbeat = v; return this; }
    /** See {@link GossipParams#idontwantTtlHeartbeats()}. */
    public Builder idontwantTtlHeartbeats(int v) { idontwantTtlHeartbeats = v; return this; }
    /** See {@link GossipParams#floodPublish()}. */
    public Builder floodPublish(boolean v) { floodPublish = v; return this; }
    /** See {@link GossipParams#maxRpcSize()}. */
    public Builder maxRpcSize(int v) { maxRpcSize = v; return this; }
    /** See {@link GossipParams#maxPendingValidations()}. */
    public Builder maxPendingValidations(int v) { maxPendingValidations = v; return this; }
    /** See {@link GossipParams#directConnectTicks()}. */
    public Builder directConnectTicks(int v) { directConnectTicks = v; return this; }
    /** See {@link GossipParams#signaturePolicy()}. */
    public Builder signaturePolicy(SignaturePolicy v) { signaturePolicy = v; return this; }
    /** See {@link GossipParams#maxMessageSize()}. */
    public Builder maxMessageSize(int v) { maxMessageSize = v; return this; }

    /** Validates every rule and returns the parameters. */
    public GossipParams build() {
      return new GossipParams(d, dLow, dHigh, dScore, dOut, dLazy, gossipFactor,
          heartbeatInterval, heartbeatInitialDelay, fanoutTtl, mcacheLen, mcacheGossip, seenTtl,
          gossipRetransmission, pruneBackoff, unsubscribeBackoff, backoffSlackHeartbeats,
          graftFloodThreshold, prunePeers, doPx, opportunisticGraftTicks, opportunisticGraftPeers,
          iwantFollowupTime, maxIHaveLength, maxIHaveMessages, idontwantSizeThreshold,
          maxIDontWantIdsPerHeartbeat, idontwantTtlHeartbeats, floodPublish, maxRpcSize,
          maxPendingValidations, directConnectTicks, signaturePolicy, maxMessageSize);
    }
  }
}
