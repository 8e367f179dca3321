package dev.weft.core.gossip;

import dev.weft.core.events.IgnoreReason;
import dev.weft.core.events.MalformedReason;
import dev.weft.core.events.OverlayEvents;
import dev.weft.core.events.PruneReason;
import dev.weft.core.events.RejectReason;
import dev.weft.core.events.ThrottleReason;
import dev.weft.core.identity.PeerId;
import dev.weft.core.node.Effect;
import dev.weft.core.node.Outbox;
import dev.weft.core.wire.ControlMessage;
import dev.weft.core.wire.GossipProto;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.MessageIdFn;
import dev.weft.core.wire.MessageSigner;
import dev.weft.core.wire.PeerInfo;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import dev.weft.core.wire.RpcSplitter;
import dev.weft.core.wire.SignatureVerifier;
import dev.weft.core.wire.SigningBytes;
import dev.weft.core.wire.SubOpts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The GossipSub v1.0/v1.1/v1.2 router as a pure state machine (digest §6.7). Every public method is
 * one input: it takes {@code nowNs} and an {@link Outbox}, changes state, and appends effects. No
 * threads, clocks or I/O; all randomness comes from the injected {@link RandomGenerator} and all
 * iteration is over insertion-ordered or sorted collections, so the same inputs and seed give the
 * same effects and events. Not thread-safe: one owner thread per node.
 *
 * <p>Control messages and forwarded messages produced during one input are batched per peer and
 * flushed as one RPC (split at {@code maxRpcSize}) at the end of the input, which piggybacks
 * control on messages as the spec allows.
 */
public final class GossipRouter {

  /**
   * Everything a router needs, injected.
   *
   * @param self this node's peer ID
   * @param params router parameters
   * @param thresholds score thresholds
   * @param scorer peer scores (registered as listener too if it implements OverlayEvents)
   * @param events event listener
   * @param messageIdFn message ID function (must match the network)
   * @param signer signer for StrictSign publishing; may be null under StrictNoSign
   * @param verifier signature verifier for StrictSign
   * @param random the only source of randomness
   * @param initialSeqno first seqno to publish with (monotonic from there; seed from the clock at
   *     start-up so it survives restarts)
   * @param directPeers configured direct (explicit) peers
   * @param startNs time the router starts; the first heartbeat is due heartbeatInitialDelay later
   */
  public record Config(
      PeerId self, GossipParams params, PeerScoreThresholds thresholds, PeerScorer scorer,
      OverlayEvents events, MessageIdFn messageIdFn, MessageSigner signer,
      SignatureVerifier verifier, RandomGenerator random, long initialSeqno,
      Set<PeerId> directPeers, long startNs) {
    /** Checks required fields. */
    public Config {
      Objects.requireNonNull(self, "self");
      Objects.requireNonNull(params, "params");
      Objects.requireNonNull(thresholds, "thresholds");
      Objects.requireNonNull(scorer, "scorer");
      Objects.requireNonNull(events, "events");
      Objects.requireNonNull(messageIdFn, "messageIdFn");
      Objects.requireNonNull(random, "random");
      directPeers = directPeers == null ? Set.of() : Set.copyOf(directPeers);
      if (params.signaturePolicy() == SignaturePolicy.STRICT_SIGN) {
        Objects.requireNonNull(signer, "signer is required under STRICT_SIGN");
        Objects.requireNonNull(verifier, "verifier is required under STRICT_SIGN");
        if (!signer.peerId().equals(self)) {
          throw new IllegalArgumentException("signer peer ID " + signer.peerId()
              + " differs from self " + self);
        }
      }
    }
  }

  /** Outcome of a local publish. */
  public enum PublishStatus {
    /** Sent (recipients may still be 0 if nobody is subscribed). */
    PUBLISHED,
    /** An identical message (same ID) was seen within seenTtl; nothing sent. */
    DUPLICATE,
    /** The payload exceeds maxMessageSize; nothing sent. */
    TOO_LARGE
  }

  /**
   * Result of {@link #publish}.
   *
   * @param status what happened
   * @param id the message's ID (null when TOO_LARGE)
   * @param recipients peers the message was sent to
   */
  public record PublishResult(PublishStatus status, MessageId id, int recipients) {}

  private static final class PeerState {
    final PeerId id;
    final PeerProtocol protocol;
    final boolean outbound;
    final boolean direct;
    final Set<String> topics = new LinkedHashSet<>();
    final LinkedHashMap<MessageId, Long> dontSend = new LinkedHashMap<>();
    byte[] signedPeerRecord;
    int ihaveRpcsThisHeartbeat;
    int idsAskedThisHeartbeat;
    int idontwantIdsThisHeartbeat;

    PeerState(PeerId id, PeerProtocol protocol, boolean outbound, boolean direct) {
      this.id = id;
      this.protocol = protocol;
      this.outbound = outbound;
      this.direct = direct;
    }
  }

  private static final class Pending {
    final PubMessage message;
    final PeerId from;
    final long receivedNs;

    Pending(PubMessage message, PeerId from, long receivedNs) {
      this.message = message;
      this.from = from;
      this.receivedNs = receivedNs;
    }
  }

  /** Per-peer batch of what to send at the end of the current input. */
  private static final class Batch {
    final List<SubOpts> subs = new ArrayList<>();
    final List<PubMessage> msgs = new ArrayList<>();
    final List<ControlMessage.IHave> ihave = new ArrayList<>();
    final List<ControlMessage.IWant> iwant = new ArrayList<>();
    final List<ControlMessage.Graft> graft = new ArrayList<>();
    final List<ControlMessage.Prune> prune = new ArrayList<>();
    final List<ControlMessage.IDontWant> idontwant = new ArrayList<>();
  }

  private final PeerId self;
  private final byte[] selfBytes;
  private final GossipParams p;
  private final PeerScoreThresholds th;
  private final PeerScorer scorer;
  private final OverlayEvents ev;
  private final MessageIdFn idFn;
  private final MessageSigner signer;
  private final SignatureVerifier verifier;
  private final RandomGenerator rnd;
  private final Set<PeerId> directPeers;

  private final long heartbeatNs;
  private final long fanoutTtlNs;
  private final long pruneBackoffNs;
  private final long unsubscribeBackoffNs;
  private final long slackNs;
  private final long graftFloodNs;
  private final long followupNs;
  private final long seenTtlNs;

  private final Map<PeerId, PeerState> peers = new LinkedHashMap<>();
  /** Connected floodsub and direct peers: always forwarded to, kept apart to keep forwarding cheap. */
  private final Set<PeerId> floodsubOrDirect = new LinkedHashSet<>();
  private final Map<String, Set<PeerId>> topicPeers = new TreeMap<>();
  private final Set<String> subscriptions = new LinkedHashSet<>();
  private final Map<String, Set<PeerId>> mesh = new TreeMap<>();
  private final Map<String, Set<PeerId>> fanout = new TreeMap<>();
  private final Map<String, Long> fanoutLastPublishNs = new TreeMap<>();
  private final Map<String, Map<PeerId, Long>> backoff = new TreeMap<>();
  private final Map<MessageId, Map<PeerId, Long>> promises = new LinkedHashMap<>();
  private final LinkedHashMap<MessageId, Pending> pending = new LinkedHashMap<>();
  private final Set<String> validatedTopics = new LinkedHashSet<>();
  private final MessageCache mcache;
  private final SeenCache seen;
  private final Map<PeerId, Batch> batches = new LinkedHashMap<>();
  /** IWANTs the route selector asked to delay, by message ID (bounded by maxIHaveLength). */
  private final LinkedHashMap<MessageId, DeferredIWant> deferred = new LinkedHashMap<>();
  private RouteSelector selector = RouteSelector.FLOOD;
  private long deferredMinDueNs = Long.MAX_VALUE;

  /** An announced message we wait for before asking: announcers in order, next ask at dueNs. */
  private static final class DeferredIWant {
    final String topic;
    final List<PeerId> announcers = new ArrayList<>(2);
    long dueNs;

    DeferredIWant(String topic, long dueNs) {
      this.topic = topic;
      this.dueNs = dueNs;
    }
  }

  private long nextHeartbeatNs;
  private long heartbeatTicks;
  private long nextSeqno;
  private long nowNs;

  /** Creates a router from its configuration. */
  public GossipRouter(Config c) {
    this.self = c.self();
    this.selfBytes = c.self().toBytes();
    this.p = c.params();
    this.th = c.thresholds();
    this.scorer = c.scorer();
    this.ev = c.scorer() instanceof OverlayEvents se && se != c.events()
        ? OverlayEvents.compose(se, c.events()) : c.events();
    this.idFn = c.messageIdFn();
    this.signer = c.signer();
    this.verifier = c.verifier();
    this.rnd = c.random();
    this.directPeers = new LinkedHashSet<>(new java.util.TreeSet<>(c.directPeers()));
    this.heartbeatNs = p.heartbeatInterval().toNanos();
    this.fanoutTtlNs = p.fanoutTtl().toNanos();
    this.pruneBackoffNs = p.pruneBackoff().toNanos();
    this.unsubscribeBackoffNs = p.unsubscribeBackoff().toNanos();
    this.slackNs = heartbeatNs * p.backoffSlackHeartbeats();
    this.graftFloodNs = p.graftFloodThreshold().toNanos();
    this.followupNs = p.iwantFollowupTime().toNanos();
    this.seenTtlNs = p.seenTtl().toNanos();
    this.mcache = new MessageCache(p.mcacheGossip(), p.mcacheLen());
    this.seen = new SeenCache(seenTtlNs);
    this.nextHeartbeatNs = c.startNs() + p.heartbeatInitialDelay().toNanos();
    this.nextSeqno = c.initialSeqno();
    this.nowNs = c.startNs();
  }

  // ================================================================ inputs

  /**
   * A peer's pubsub stream is up. {@code protocolId} is what the peer's stream negotiated
   * ("/meshsub/1.2.0", "/floodsub/1.0.0", …); {@code outbound} is true when we dialled the
   * connection (counts towards D_out). Sends our subscriptions ("hello").
   */
  public void peerConnected(long nowNs, PeerId peer, String protocolId, boolean outbound, Outbox out) {
    this.nowNs = nowNs;
    PeerProtocol proto;
    try {
      proto = PeerProtocol.fromId(protocolId);
    } catch (IllegalArgumentException e) {
      out.add(new Effect.Disconnect(peer, "unsupported pubsub protocol " + protocolId));
      return;
    }
    if (peer.equals(self) || peers.containsKey(peer)) {
      return;
    }
    PeerState state = new PeerState(peer, proto, outbound, directPeers.contains(peer));
    peers.put(peer, state);
    if (state.direct || !proto.supportsMesh()) {
      floodsubOrDirect.add(peer);
    }
    ev.onPeerAdded(nowNs, peer, protocolId, outbound);
    for (String t : subscriptions) {
      batch(peer).subs.add(new SubOpts(true, t));
    }
    flush(out);
  }

  /** The peer's pubsub stream or connection is gone. Backoff state is kept. */
  public void peerDisconnected(long nowNs, PeerId peer, Outbox out) {
    this.nowNs = nowNs;
    PeerState ps = peers.remove(peer);
    if (ps == null) {
      return;
    }
    floodsubOrDirect.remove(peer);
    for (String t : ps.topics) {
      Set<PeerId> tp = topicPeers.get(t);
      if (tp != null) {
        tp.remove(peer);
        if (tp.isEmpty()) {
          topicPeers.remove(t);
        }
      }
    }
    for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
      if (e.getValue().remove(peer)) {
        ev.onPrune(nowNs, peer, e.getKey(), PruneReason.PEER_DISCONNECTED);
      }
    }
    for (Set<PeerId> f : fanout.values()) {
      f.remove(peer);
    }
    for (Map<PeerId, Long> pr : promises.values()) {
      pr.remove(peer);
    }
    batches.remove(peer);
    ev.onPeerRemoved(nowNs, peer);
    flush(out);
  }

  /** Remembers the signed peer record of a connected peer, offered to others in PX. */
  public void signedPeerRecordUpdated(PeerId peer, byte[] signedPeerRecord) {
    PeerState ps = peers.get(peer);
    if (ps != null) {
      ps.signedPeerRecord = signedPeerRecord == null ? null : signedPeerRecord.clone();
    }
  }

  /** Registers (or unregisters) {@code topic} for application validation via ValidateRequest. */
  public void setValidationRequired(String topic, boolean required) {
    if (required) {
      validatedTopics.add(topic);
    } else {
      validatedTopics.remove(topic);
    }
  }

  /** One RPC decoded from the peer's stream. */
  public void rpcReceived(long nowNs, PeerId from, Rpc rpc, Outbox out) {
    this.nowNs = nowNs;
    PeerState ps = peers.get(from);
    if (ps == null) {
      return;
    }
    if (!ps.direct && score(from) < th.graylist()) {
      ev.onThrottled(nowNs, from, ThrottleReason.GRAYLISTED);
      return;
    }
    for (SubOpts s : rpc.subscriptions()) {
      handleSubscription(ps, s);
    }
    ControlMessage c = rpc.control();
    if (c != null && ps.protocol.supportsMesh()) {
      for (ControlMessage.IDontWant d : c.idontwant()) {
        handleIDontWant(ps, d);
      }
    }
    for (PubMessage m : rpc.messages()) {
      handleMessage(ps, m, out);
    }
    if (c != null && ps.protocol.supportsMesh()) {
      handleIHave(ps, c.ihave());
      for (ControlMessage.IWant w : c.iwant()) {
        handleIWant(ps, w);
      }
      for (ControlMessage.Graft g : c.graft()) {
        handleGraft(ps, g);
      }
      for (ControlMessage.Prune pr : c.prune()) {
        handlePrune(ps, pr, out);
      }
    }
    flush(out);
  }

  /**
   * The driver refused a frame from {@code from} (see {@link MalformedReason}); nothing of it
   * reaches the router's state. Reported as an event so scorers count the violation.
   */
  public void rpcMalformed(long nowNs, PeerId from, MalformedReason reason, Outbox out) {
    this.nowNs = nowNs;
    ev.onMalformedRpc(nowNs, from, reason);
    flush(out);
  }

  /** The application's answer to a ValidateRequest. Unknown or late IDs are ignored. */
  public void validationCompleted(long nowNs, MessageId id, ValidationResult result, Outbox out) {
    this.nowNs = nowNs;
    Pending pd = pending.remove(id);
    if (pd == null) {
      return;
    }
    switch (result) {
      case ACCEPT -> accept(id, pd.message, pd.from, out);
      case REJECT -> ev.onReject(nowNs, id, pd.message.topic(), pd.from,
          RejectReason.VALIDATOR_REJECTED);
      case IGNORE -> ev.onIgnore(nowNs, id, pd.message.topic(), pd.from,
          IgnoreReason.VALIDATOR_IGNORED);
      default -> throw new IllegalStateException("unknown result " + result);
    }
    flush(out);
  }

  /** Runs the heartbeat if it is due at {@code nowNs}. Call at or after {@link #nextDeadlineNs()}. */
  public void tick(long nowNs, Outbox out) {
    this.nowNs = nowNs;
    if (!deferred.isEmpty() && nowNs - deferredMinDueNs >= 0) {
      askDeferred();
      flush(out);
    }
    if (nowNs - nextHeartbeatNs < 0) {
      return;
    }
    nextHeartbeatNs += heartbeatNs;
    if (nowNs - nextHeartbeatNs >= 0) {
      nextHeartbeatNs = nowNs + heartbeatNs;
    }
    heartbeat(out);
    flush(out);
  }

  /** When the router next needs a {@link #tick}: the next heartbeat or a delayed IWANT. */
  public long nextDeadlineNs() {
    return !deferred.isEmpty() && deferredMinDueNs - nextHeartbeatNs < 0
        ? deferredMinDueNs : nextHeartbeatNs;
  }

  /**
   * Installs the route selector (default {@link RouteSelector#FLOOD}); call before the first
   * input. Register it as an event listener too if it needs events (NodeCore's builder does).
   */
  public void setRouteSelector(RouteSelector selector) {
    this.selector = Objects.requireNonNull(selector, "selector");
  }

  /** Subscribes to {@code topic}: announces it to every peer and builds the mesh (JOIN). */
  public void subscribe(long nowNs, String topic, Outbox out) {
    this.nowNs = nowNs;
    if (!subscriptions.add(topic)) {
      return;
    }
    for (PeerId peer : peers.keySet()) {
      batch(peer).subs.add(new SubOpts(true, topic));
    }
    ev.onJoin(nowNs, topic);
    Set<PeerId> m = new LinkedHashSet<>();
    Set<PeerId> fan = fanout.remove(topic);
    fanoutLastPublishNs.remove(topic);
    if (fan != null) {
      for (PeerId peer : fan) {
        if (m.size() < p.d() && canGraft(peer, topic)) {
          m.add(peer);
        }
      }
    }
    mesh.put(topic, m);
    if (m.size() < p.d()) {
      List<PeerId> cands = graftCandidates(topic, m);
      shuffle(cands);
      for (PeerId peer : cands) {
        if (m.size() >= p.d()) {
          break;
        }
        m.add(peer);
      }
    }
    for (PeerId peer : m) {
      sendGraft(peer, topic);
    }
    flush(out);
  }

  /** Unsubscribes from {@code topic}: announces it, PRUNEs the mesh with the unsubscribe backoff. */
  public void unsubscribe(long nowNs, String topic, Outbox out) {
    this.nowNs = nowNs;
    if (!subscriptions.remove(topic)) {
      return;
    }
    for (PeerId peer : peers.keySet()) {
      batch(peer).subs.add(new SubOpts(false, topic));
    }
    Set<PeerId> m = mesh.remove(topic);
    if (m != null) {
      for (PeerId peer : m) {
        sendPrune(peer, topic, unsubscribeBackoffNs, false);
        addBackoff(peer, topic, unsubscribeBackoffNs);
        ev.onPrune(nowNs, peer, topic, PruneReason.LEAVE);
      }
    }
    ev.onLeave(nowNs, topic);
    flush(out);
  }

  /**
   * Publishes {@code data} on {@code topic} as this node. Under StrictSign the message carries
   * from, the next seqno, the signature and (for non-identity peer IDs) the key.
   */
  public PublishResult publish(long nowNs, String topic, byte[] data, Outbox out) {
    this.nowNs = nowNs;
    PubMessage m;
    if (p.signaturePolicy() == SignaturePolicy.STRICT_SIGN) {
      byte[] seqno = PubMessage.seqnoBytes(nextSeqno);
      PubMessage unsigned = new PubMessage(selfBytes, data, seqno, topic, null, null);
      byte[] sig = signer.sign(SigningBytes.of(unsigned));
      byte[] key = self.isIdentity() ? null : signer.publicKeyProtobuf();
      m = new PubMessage(selfBytes, data, seqno, topic, sig, key);
    } else {
      m = PubMessage.unsigned(topic, data);
    }
    if (data.length > p.maxMessageSize()) {
      return new PublishResult(PublishStatus.TOO_LARGE, null, 0);
    }
    MessageId id = idFn.apply(m);
    if (!seen.add(id, nowNs)) {
      return new PublishResult(PublishStatus.DUPLICATE, id, 0);
    }
    if (p.signaturePolicy() == SignaturePolicy.STRICT_SIGN) {
      nextSeqno++;
    }
    mcache.put(id, m);
    Set<PeerId> targets = new LinkedHashSet<>();
    Set<PeerId> tp = topicPeers.getOrDefault(topic, Set.of());
    if (p.floodPublish()) {
      for (PeerId peer : tp) {
        if (peers.get(peer).direct || score(peer) >= th.publish()) {
          targets.add(peer);
        }
      }
    } else {
      addFloodsubAndDirect(topic, targets);
      Set<PeerId> m2 = mesh.get(topic);
      if (m2 == null) {
        m2 = fanout.get(topic);
        if (m2 == null || m2.isEmpty()) {
          m2 = new LinkedHashSet<>();
          List<PeerId> cands = new ArrayList<>();
          for (PeerId peer : tp) {
            PeerState ps = peers.get(peer);
            if (ps.protocol.supportsMesh() && !ps.direct && score(peer) >= th.publish()) {
              cands.add(peer);
            }
          }
          shuffle(cands);
          m2.addAll(cands.subList(0, Math.min(p.d(), cands.size())));
          fanout.put(topic, m2);
        }
        fanoutLastPublishNs.put(topic, nowNs);
      }
      targets.addAll(m2);
    }
    if (data.length > p.idontwantSizeThreshold()) {
      // v1.2: tell mesh peers first (an RPC of its own, ahead of the large message) that we have it,
      // so none sends it back to us once it reached them another way
      sendIDontWant(id, topic, null);
      flush(out);
    }
    int recipients = targets.size();
    if (selector == RouteSelector.FLOOD) {
      for (PeerId peer : targets) {
        batch(peer).msgs.add(m);
      }
    } else {
      recipients = sendRouted(id, m, null, null, targets);
    }
    ev.onPublish(nowNs, id, topic, recipients);
    flush(out);
    return new PublishResult(PublishStatus.PUBLISHED, id, recipients);
  }

  /**
   * Asks up to {@code maxPeers} mesh peers of {@code topic} (topic peers when the mesh is smaller)
   * for messages by ID with IWANT, whether or not they advertised them: GossipSub routers (ours, go,
   * js) serve any ID still in their message cache. IDs already seen are skipped; no promise is
   * tracked, since nobody promised them. Used by feed gap recovery. Returns the peers asked.
   */
  public int requestMessages(long nowNs, String topic, List<MessageId> ids, int maxPeers,
      Outbox out) {
    this.nowNs = nowNs;
    List<MessageId> ask = new ArrayList<>();
    for (MessageId id : ids) {
      if (!seen.contains(id)) {
        ask.add(id);
      }
    }
    if (ask.isEmpty() || maxPeers <= 0) {
      return 0;
    }
    List<PeerId> cands = new ArrayList<>();
    for (PeerId peer : mesh.getOrDefault(topic, Set.of())) {
      if (peers.get(peer).protocol.supportsMesh()) {
        cands.add(peer);
      }
    }
    shuffle(cands);
    if (cands.size() < maxPeers) {
      List<PeerId> more = new ArrayList<>();
      for (PeerId peer : topicPeers.getOrDefault(topic, Set.of())) {
        if (!cands.contains(peer) && peers.get(peer).protocol.supportsMesh()
            && score(peer) >= th.gossip()) {
          more.add(peer);
        }
      }
      shuffle(more);
      cands.addAll(more);
    }
    int asked = Math.min(maxPeers, cands.size());
    for (PeerId peer : cands.subList(0, asked)) {
      batch(peer).iwant.add(new ControlMessage.IWant(List.copyOf(ask)));
      ev.onIWantSent(nowNs, peer, ask.size());
    }
    flush(out);
    return asked;
  }

  // ================================================================ queries (for tests, metrics, admin)

  /** This node's peer ID. */
  public PeerId self() {
    return self;
  }

  /** A snapshot of our mesh for {@code topic} (empty if not subscribed). */
  public List<PeerId> meshPeers(String topic) {
    return List.copyOf(mesh.getOrDefault(topic, Set.of()));
  }

  /** A snapshot of our fanout peers for {@code topic}. */
  public List<PeerId> fanoutPeers(String topic) {
    return List.copyOf(fanout.getOrDefault(topic, Set.of()));
  }

  /** A snapshot of connected peers that announced {@code topic}. */
  public List<PeerId> topicPeers(String topic) {
    return List.copyOf(topicPeers.getOrDefault(topic, Set.of()));
  }

  /** A snapshot of connected peers. */
  public List<PeerId> connectedPeers() {
    return List.copyOf(peers.keySet());
  }

  /** Our subscriptions, in subscription order. */
  public List<String> subscriptions() {
    return List.copyOf(subscriptions);
  }

  /** True while we must not GRAFT {@code peer} on {@code topic} (backoff incl. slack). */
  public boolean inBackoff(PeerId peer, String topic, long nowNs) {
    Long exp = backoff.getOrDefault(topic, Map.of()).get(peer);
    return exp != null && exp - nowNs > 0;
  }

  /** Messages waiting for application validation. */
  public int pendingValidations() {
    return pending.size();
  }

  /** Heartbeats run so far. */
  public long heartbeatTicks() {
    return heartbeatTicks;
  }

  /** The seqno the next own message will carry (StrictSign). */
  public long nextSeqno() {
    return nextSeqno;
  }

  /** Whether a message with {@code id} is currently in the message cache. */
  public boolean cached(MessageId id) {
    return mcache.contains(id);
  }

  /** The cached message with {@code id}, or null (e.g. a block to hand to the block relay). */
  public PubMessage cachedMessage(MessageId id) {
    MessageCache.Entry e = mcache.get(id);
    return e == null ? null : e.message;
  }

  /** The ID this router gives {@code m} (its message ID function). */
  public MessageId messageId(PubMessage m) {
    return idFn.apply(m);
  }

  // ================================================================ handlers

  private void handleSubscription(PeerState ps, SubOpts s) {
    String t = s.topic();
    if (s.subscribe()) {
      if (ps.topics.add(t)) {
        topicPeers.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(ps.id);
        ev.onPeerSubscription(nowNs, ps.id, t, true);
      }
    } else if (ps.topics.remove(t)) {
      Set<PeerId> tp = topicPeers.get(t);
      if (tp != null) {
        tp.remove(ps.id);
        if (tp.isEmpty()) {
          topicPeers.remove(t);
        }
      }
      Set<PeerId> m = mesh.get(t);
      if (m != null && m.remove(ps.id)) {
        ev.onPrune(nowNs, ps.id, t, PruneReason.PEER_UNSUBSCRIBED);
      }
      Set<PeerId> f = fanout.get(t);
      if (f != null) {
        f.remove(ps.id);
      }
      ev.onPeerSubscription(nowNs, ps.id, t, false);
    }
  }

  private void handleMessage(PeerState ps, PubMessage m, Outbox out) {
    MessageId id = idFn.apply(m);
    String topic = m.topic();
    promises.remove(id);
    if (seen.contains(id)) {
      ev.onDuplicate(nowNs, id, topic, ps.id);
      return;
    }
    if (!subscriptions.contains(topic)) {
      ev.onIgnore(nowNs, id, topic, ps.id, IgnoreReason.NOT_SUBSCRIBED);
      return;
    }
    if (m.dataLength() > p.maxMessageSize()) {
      ev.onIgnore(nowNs, id, topic, ps.id, IgnoreReason.TOO_LARGE);
      return;
    }
    seen.add(id, nowNs);
    if (!deferred.isEmpty()) {
      deferred.remove(id);
    }
    ev.onFirstSeen(nowNs, id, m, ps.id);
    if (m.dataLength() > p.idontwantSizeThreshold()) {
      sendIDontWant(id, topic, ps.id);
    }
    if (m.hasFrom() && Arrays.equals(m.from(), selfBytes)) {
      ev.onIgnore(nowNs, id, topic, ps.id, IgnoreReason.SELF_ORIGIN);
      return;
    }
    RejectReason bad = p.signaturePolicy().check(m, verifier);
    if (bad != null) {
      ev.onReject(nowNs, id, topic, ps.id, bad);
      // a forged copy must not make the author's genuine message (same from+seqno ID) a duplicate
      seen.remove(id);
      return;
    }
    if (validatedTopics.contains(topic)) {
      if (pending.size() >= p.maxPendingValidations()) {
        ev.onThrottled(nowNs, ps.id, ThrottleReason.VALIDATION_QUEUE_FULL);
        ev.onIgnore(nowNs, id, topic, ps.id, IgnoreReason.VALIDATION_QUEUE_FULL);
        return;
      }
      pending.put(id, new Pending(m, ps.id, nowNs));
      out.add(new Effect.ValidateRequest(id, m, ps.id));
      return;
    }
    accept(id, m, ps.id, out);
  }

  private void accept(MessageId id, PubMessage m, PeerId from, Outbox out) {
    String topic = m.topic();
    mcache.put(id, m);
    out.add(new Effect.Deliver(topic, id, m, from));
    ev.onDeliver(nowNs, id, m, from);
    PeerId author = null;
    if (m.hasFrom()) {
      try {
        author = PeerId.fromBytes(m.from());
      } catch (IllegalArgumentException e) {
        author = null;
      }
    }
    Set<PeerId> targets = new LinkedHashSet<>();
    addFloodsubAndDirect(topic, targets);
    Set<PeerId> m2 = mesh.get(topic);
    if (m2 != null) {
      targets.addAll(m2);
    }
    if (selector != RouteSelector.FLOOD) {
      sendRouted(id, m, from, author, targets);
      return;
    }
    for (PeerId peer : targets) {
      if (peer.equals(from) || peer.equals(author)) {
        continue;
      }
      PeerState ps = peers.get(peer);
      if (ps == null || ps.dontSend.containsKey(id) || withheld(peer, from)) {
        continue;
      }
      batch(peer).msgs.add(m);
    }
  }

  /** A forwarded message (not our own publish) to a peer the scorer is probing goes nowhere. */
  private boolean withheld(PeerId peer, PeerId from) {
    return from != null && scorer.withhold(peer, nowNs);
  }

  /** Lets the selector split {@code targets} into eager and lazy peers; returns eager sends. */
  private int sendRouted(MessageId id, PubMessage m, PeerId from, PeerId author,
      Set<PeerId> targets) {
    Set<PeerId> lazy = new LinkedHashSet<>();
    selector.route(nowNs, id, m, from, targets, lazy);
    int sent = 0;
    for (PeerId peer : targets) {
      PeerState ps = peers.get(peer);
      if (ps == null || peer.equals(from) || peer.equals(author) || ps.dontSend.containsKey(id)
          || lazy.contains(peer) || withheld(peer, from)) {
        continue;
      }
      batch(peer).msgs.add(m);
      sent++;
    }
    List<MessageId> ids = null;
    for (PeerId peer : lazy) {
      PeerState ps = peers.get(peer);
      if (ps == null || peer.equals(from) || peer.equals(author) || !ps.protocol.supportsMesh()
          || withheld(peer, from)) {
        continue;
      }
      if (ids == null) {
        ids = List.of(id);
      }
      batch(peer).ihave.add(new ControlMessage.IHave(m.topic(), ids));
      ev.onIHaveSent(nowNs, peer, m.topic(), 1);
    }
    return sent;
  }

  private void addFloodsubAndDirect(String topic, Set<PeerId> targets) {
    for (PeerId peer : floodsubOrDirect) {
      PeerState ps = peers.get(peer);
      if (ps.topics.contains(topic)
          && (ps.direct || (!ps.protocol.supportsMesh() && score(peer) >= th.publish()))) {
        targets.add(peer);
      }
    }
  }

  private void sendIDontWant(MessageId id, String topic, PeerId from) {
    Set<PeerId> m = mesh.get(topic);
    if (m == null) {
      return;
    }
    for (PeerId peer : m) {
      PeerState ps = peers.get(peer);
      if (!peer.equals(from) && ps != null && ps.protocol.supportsIDontWant()
          && !withheld(peer, from)) {
        batch(peer).idontwant.add(new ControlMessage.IDontWant(List.of(id)));
        ev.onIDontWantSent(nowNs, peer, 1);
      }
    }
  }

  private void handleIDontWant(PeerState ps, ControlMessage.IDontWant d) {
    if (!ps.protocol.supportsIDontWant()) {
      return;
    }
    int accepted = 0;
    for (MessageId id : d.messageIds()) {
      if (ps.idontwantIdsThisHeartbeat >= p.maxIDontWantIdsPerHeartbeat()) {
        ev.onThrottled(nowNs, ps.id, ThrottleReason.IDONTWANT_FLOOD);
        break;
      }
      ps.idontwantIdsThisHeartbeat++;
      ps.dontSend.remove(id);
      ps.dontSend.put(id, heartbeatTicks);
      accepted++;
    }
    ev.onIDontWantReceived(nowNs, ps.id, accepted);
  }

  private void handleIHave(PeerState ps, List<ControlMessage.IHave> ihaves) {
    if (ihaves.isEmpty()) {
      return;
    }
    if (score(ps.id) < th.gossip()) {
      ev.onThrottled(nowNs, ps.id, ThrottleReason.GOSSIP_SCORE_TOO_LOW);
      return;
    }
    boolean exempt = selector.ihaveLimitExempt(ps.id);
    if (!exempt) {
      ps.ihaveRpcsThisHeartbeat++;
    }
    if (!exempt && ps.ihaveRpcsThisHeartbeat > p.maxIHaveMessages()) {
      ev.onThrottled(nowNs, ps.id, ThrottleReason.IHAVE_FLOOD);
      return;
    }
    if (ps.idsAskedThisHeartbeat >= p.maxIHaveLength()) {
      ev.onThrottled(nowNs, ps.id, ThrottleReason.IWANT_BUDGET_EXHAUSTED);
      return;
    }
    Set<MessageId> wanted = new LinkedHashSet<>();
    for (ControlMessage.IHave h : ihaves) {
      ev.onIHaveReceived(nowNs, ps.id, h.topic(), h.messageIds().size());
      if (!mesh.containsKey(h.topic())) {
        continue;
      }
      for (MessageId id : h.messageIds()) {
        if (!seen.contains(id) && !deferIWant(ps.id, h.topic(), id)) {
          wanted.add(id);
        }
      }
    }
    if (wanted.isEmpty()) {
      return;
    }
    List<MessageId> ask = new ArrayList<>(wanted);
    int budget = p.maxIHaveLength() - ps.idsAskedThisHeartbeat;
    if (ask.size() > budget) {
      shuffle(ask);
      ask = new ArrayList<>(ask.subList(0, budget));
      ev.onThrottled(nowNs, ps.id, ThrottleReason.IWANT_BUDGET_EXHAUSTED);
    }
    ps.idsAskedThisHeartbeat += ask.size();
    batch(ps.id).iwant.add(new ControlMessage.IWant(ask));
    MessageId tracked = ask.get(rnd.nextInt(ask.size()));
    promises.computeIfAbsent(tracked, k -> new LinkedHashMap<>()).putIfAbsent(ps.id, nowNs + followupNs);
    ev.onIWantSent(nowNs, ps.id, ask.size());
    if (selector != RouteSelector.FLOOD) {
      Set<MessageId> asked = new LinkedHashSet<>(ask);
      for (ControlMessage.IHave h : ihaves) {
        for (MessageId id : h.messageIds()) {
          if (asked.remove(id)) {
            selector.iwantSent(nowNs, ps.id, h.topic(), id);
          }
        }
      }
    }
  }

  /**
   * Records an IHAVE the selector wants answered later; true when deferred (or already waiting,
   * in which case {@code peer} becomes a later announcer to ask).
   */
  private boolean deferIWant(PeerId peer, String topic, MessageId id) {
    DeferredIWant d = deferred.get(id);
    if (d != null) {
      if (!d.announcers.contains(peer)) {
        d.announcers.add(peer);
      }
      return true;
    }
    long delay = selector.iwantDelayNs(nowNs, peer, topic, id);
    if (delay <= 0 || deferred.size() >= p.maxIHaveLength()) {
      return false;
    }
    d = new DeferredIWant(topic, nowNs + delay);
    d.announcers.add(peer);
    boolean first = deferred.isEmpty();
    deferred.put(id, d);
    if (first || d.dueNs - deferredMinDueNs < 0) {
      deferredMinDueNs = d.dueNs;
    }
    return true;
  }

  /** Asks the first connected announcer of each due, still unseen message; re-arms the rest. */
  private void askDeferred() {
    long min = Long.MAX_VALUE;
    for (Iterator<Map.Entry<MessageId, DeferredIWant>> it = deferred.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<MessageId, DeferredIWant> e = it.next();
      MessageId id = e.getKey();
      DeferredIWant d = e.getValue();
      if (seen.contains(id)) {
        it.remove();
        continue;
      }
      if (d.dueNs - nowNs > 0) {
        min = Math.min(min, d.dueNs);
        continue;
      }
      PeerState ps = null;
      while (ps == null && !d.announcers.isEmpty()) {
        ps = peers.get(d.announcers.remove(0));
      }
      if (ps == null) {
        it.remove();
        continue;
      }
      if (ps.idsAskedThisHeartbeat < p.maxIHaveLength()) {
        ps.idsAskedThisHeartbeat++;
        batch(ps.id).iwant.add(new ControlMessage.IWant(List.of(id)));
        // No promise is tracked: a lazy tree link's IHAVE is a routing hint, asked only after the
        // eager copy is late, and under load the answer is late too; counting it as a broken
        // promise (P7, misbehaviour) quarantined honest but slow peers. Tree repairs are the
        // selector's business (iwantSent below); mesh black holes are health's leech detector's.
        ev.onIWantSent(nowNs, ps.id, 1);
        selector.iwantSent(nowNs, ps.id, d.topic, id);
      } else {
        ev.onThrottled(nowNs, ps.id, ThrottleReason.IWANT_BUDGET_EXHAUSTED);
      }
      if (d.announcers.isEmpty()) {
        it.remove();
        continue;
      }
      d.dueNs = nowNs + Math.max(1, selector.iwantDelayNs(nowNs, d.announcers.get(0), d.topic, id));
      min = Math.min(min, d.dueNs);
    }
    deferredMinDueNs = min;
  }

  private void handleIWant(PeerState ps, ControlMessage.IWant w) {
    if (score(ps.id) < th.gossip()) {
      ev.onThrottled(nowNs, ps.id, ThrottleReason.GOSSIP_SCORE_TOO_LOW);
      return;
    }
    int served = 0;
    boolean limited = false;
    for (MessageId id : w.messageIds()) {
      MessageCache.Entry e = mcache.get(id);
      if (e == null || ps.dontSend.containsKey(id)) {
        continue;
      }
      int n = e.iwantSends.merge(ps.id, 1, Integer::sum);
      if (n > p.gossipRetransmission()) {
        limited = true;
        continue;
      }
      batch(ps.id).msgs.add(e.message);
      served++;
    }
    if (limited) {
      ev.onThrottled(nowNs, ps.id, ThrottleReason.IWANT_RETRANSMISSION_LIMIT);
    }
    ev.onIWantReceived(nowNs, ps.id, w.messageIds().size(), served);
  }

  private void handleGraft(PeerState ps, ControlMessage.Graft g) {
    String topic = g.topic();
    Set<PeerId> m = mesh.get(topic);
    if (m == null) {
      ev.onThrottled(nowNs, ps.id, ThrottleReason.UNKNOWN_TOPIC_GRAFT);
      return; // unknown topic: ignore without PRUNE (v1.1 spam hardening)
    }
    if (m.contains(ps.id)) {
      return; // already meshed: no-op
    }
    if (ps.direct) {
      ev.onPrune(nowNs, ps.id, topic, PruneReason.DIRECT_PEER);
      sendPrune(ps.id, topic, pruneBackoffNs, false);
      return;
    }
    Long exp = backoff.getOrDefault(topic, Map.of()).get(ps.id);
    if (exp != null && exp - nowNs > 0) {
      boolean flood = exp - pruneBackoffNs + graftFloodNs - nowNs > 0;
      ev.onGraftBackoffViolation(nowNs, ps.id, topic, flood);
      ev.onPrune(nowNs, ps.id, topic, PruneReason.BACKOFF_VIOLATION);
      sendPrune(ps.id, topic, pruneBackoffNs, false);
      addBackoff(ps.id, topic, pruneBackoffNs);
      return;
    }
    if (score(ps.id) < 0) {
      ev.onPrune(nowNs, ps.id, topic, PruneReason.NEGATIVE_SCORE);
      sendPrune(ps.id, topic, pruneBackoffNs, false);
      addBackoff(ps.id, topic, pruneBackoffNs);
      return;
    }
    if (m.size() >= p.dHigh() && !ps.outbound) {
      ev.onPrune(nowNs, ps.id, topic, PruneReason.MESH_FULL);
      sendPrune(ps.id, topic, pruneBackoffNs, true);
      addBackoff(ps.id, topic, pruneBackoffNs);
      return;
    }
    m.add(ps.id);
    ev.onGraft(nowNs, ps.id, topic);
  }

  private void handlePrune(PeerState ps, ControlMessage.Prune pr, Outbox out) {
    String topic = pr.topic();
    Set<PeerId> m = mesh.get(topic);
    if (m != null && m.remove(ps.id)) {
      ev.onPrune(nowNs, ps.id, topic, PruneReason.REMOTE_PRUNE);
    }
    long b = pr.backoffSeconds() != null && ps.protocol.supportsBackoffAndPx()
        ? Math.multiplyExact(Math.min(pr.backoffSeconds(), 24L * 3600), 1_000_000_000L)
        : pruneBackoffNs;
    addBackoff(ps.id, topic, b + slackNs);
    if (pr.peers().isEmpty() || !ps.protocol.supportsBackoffAndPx()) {
      return;
    }
    if (score(ps.id) < th.acceptPx()) {
      ev.onThrottled(nowNs, ps.id, ThrottleReason.PX_NOT_ACCEPTED);
      return;
    }
    List<PeerInfo> suggestions = new ArrayList<>(pr.peers());
    shuffle(suggestions);
    int dials = 0;
    for (PeerInfo pi : suggestions) {
      if (dials >= p.prunePeers()) {
        break;
      }
      if (pi.peerId().equals(self) || peers.containsKey(pi.peerId())) {
        continue;
      }
      out.add(new Effect.Dial(pi.peerId(), pi.signedPeerRecord()));
      dials++;
    }
    ev.onPeerExchange(nowNs, ps.id, topic, dials);
  }

  // ================================================================ heartbeat

  private void heartbeat(Outbox out) {
    heartbeatTicks++;
    for (PeerState ps : peers.values()) {
      ps.ihaveRpcsThisHeartbeat = 0;
      ps.idsAskedThisHeartbeat = 0;
      ps.idontwantIdsThisHeartbeat = 0;
      for (Iterator<Long> it = ps.dontSend.values().iterator(); it.hasNext(); ) {
        if (heartbeatTicks - it.next() > p.idontwantTtlHeartbeats()) {
          it.remove();
        } else {
          break;
        }
      }
    }
    expireBackoffs();
    checkPromises();

    for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
      maintainMesh(e.getKey(), e.getValue());
    }
    maintainFanout();
    for (Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
      emitGossip(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Set<PeerId>> e : fanout.entrySet()) {
      emitGossip(e.getKey(), e.getValue());
    }
    if ((heartbeatTicks - 1) % p.directConnectTicks() == 0) {
      for (PeerId d : directPeers) {
        if (!peers.containsKey(d)) {
          out.add(new Effect.Dial(d, null));
        }
      }
    }
    for (Iterator<Map.Entry<MessageId, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<MessageId, Pending> e = it.next();
      if (e.getValue().receivedNs + seenTtlNs - nowNs > 0) {
        break;
      }
      it.remove();
      ev.onIgnore(nowNs, e.getKey(), e.getValue().message.topic(), e.getValue().from,
          IgnoreReason.VALIDATION_TIMEOUT);
    }
    seen.expire(nowNs);
    mcache.shift();
    ev.onHeartbeat(nowNs, heartbeatTicks);
  }

  private void maintainMesh(String topic, Set<PeerId> m) {
    // 1. drop negative-score peers
    for (PeerId peer : new ArrayList<>(m)) {
      if (score(peer) < 0) {
        m.remove(peer);
        ev.onPrune(nowNs, peer, topic, PruneReason.NEGATIVE_SCORE);
        sendPrune(peer, topic, pruneBackoffNs, false);
        addBackoff(peer, topic, pruneBackoffNs);
      }
    }
    // 2. undersubscribed: graft up to D
    if (m.size() < p.dLow()) {
      List<PeerId> cands = graftCandidates(topic, m);
      shuffle(cands);
      for (PeerId peer : cands) {
        if (m.size() >= p.d()) {
          break;
        }
        m.add(peer);
        sendGraft(peer, topic);
      }
    }
    // 3. oversubscribed: keep D_score best, fill to D randomly, keep >= D_out outbound
    if (m.size() > p.dHigh()) {
      List<PeerId> all = new ArrayList<>(m);
      shuffle(all);
      Map<PeerId, Double> scores = new LinkedHashMap<>();
      for (PeerId peer : all) {
        scores.put(peer, score(peer));
      }
      all.sort(Comparator.comparingDouble((PeerId x) -> scores.get(x)).reversed());
      List<PeerId> keep = new ArrayList<>(all.subList(0, p.dScore()));
      List<PeerId> rest = new ArrayList<>(all.subList(p.dScore(), all.size()));
      shuffle(rest);
      int outboundKept = 0;
      for (PeerId peer : keep) {
        if (peers.get(peer).outbound) {
          outboundKept++;
        }
      }
      for (Iterator<PeerId> it = rest.iterator(); it.hasNext() && outboundKept < p.dOut(); ) {
        PeerId peer = it.next();
        if (peers.get(peer).outbound) {
          keep.add(peer);
          it.remove();
          outboundKept++;
        }
      }
      for (Iterator<PeerId> it = rest.iterator(); it.hasNext() && keep.size() < p.d(); ) {
        keep.add(it.next());
        it.remove();
      }
      for (PeerId peer : rest) {
        m.remove(peer);
        ev.onPrune(nowNs, peer, topic, PruneReason.OVERSUBSCRIBED);
        sendPrune(peer, topic, pruneBackoffNs, true);
        addBackoff(peer, topic, pruneBackoffNs);
      }
    }
    // 4. enough peers but too few outbound: graft outbound candidates
    if (m.size() >= p.dLow()) {
      int outbound = 0;
      for (PeerId peer : m) {
        if (peers.get(peer).outbound) {
          outbound++;
        }
      }
      if (outbound < p.dOut()) {
        List<PeerId> cands = graftCandidates(topic, m);
        shuffle(cands);
        for (PeerId peer : cands) {
          if (outbound >= p.dOut()) {
            break;
          }
          if (peers.get(peer).outbound) {
            m.add(peer);
            sendGraft(peer, topic);
            outbound++;
          }
        }
      }
    }
    // 5. opportunistic grafting
    if (heartbeatTicks % p.opportunisticGraftTicks() == 0 && m.size() > 1) {
      double[] sc = new double[m.size()];
      int i = 0;
      for (PeerId peer : m) {
        sc[i++] = score(peer);
      }
      Arrays.sort(sc);
      double median = sc[sc.length / 2];
      if (median < th.opportunisticGraft()) {
        List<PeerId> cands = new ArrayList<>();
        for (PeerId peer : graftCandidates(topic, m)) {
          if (score(peer) > median) {
            cands.add(peer);
          }
        }
        shuffle(cands);
        for (int k = 0; k < Math.min(p.opportunisticGraftPeers(), cands.size()); k++) {
          m.add(cands.get(k));
          sendGraft(cands.get(k), topic);
        }
      }
    }
  }

  private void maintainFanout() {
    for (Iterator<Map.Entry<String, Long>> it = fanoutLastPublishNs.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, Long> e = it.next();
      if (e.getValue() + fanoutTtlNs - nowNs <= 0) {
        fanout.remove(e.getKey());
        it.remove();
      }
    }
    for (Map.Entry<String, Set<PeerId>> e : fanout.entrySet()) {
      String topic = e.getKey();
      Set<PeerId> f = e.getValue();
      Set<PeerId> tp = topicPeers.getOrDefault(topic, Set.of());
      f.removeIf(peer -> !tp.contains(peer) || score(peer) < th.publish());
      if (f.size() < p.d()) {
        List<PeerId> cands = new ArrayList<>();
        for (PeerId peer : tp) {
          PeerState ps = peers.get(peer);
          if (!f.contains(peer) && ps.protocol.supportsMesh() && !ps.direct
              && score(peer) >= th.publish()) {
            cands.add(peer);
          }
        }
        shuffle(cands);
        for (PeerId peer : cands) {
          if (f.size() >= p.d()) {
            break;
          }
          f.add(peer);
        }
      }
    }
  }

  private void emitGossip(String topic, Set<PeerId> exclude) {
    List<MessageId> ids = List.copyOf(mcache.gossipIds(topic)); // shared by every IHAVE below
    if (ids.isEmpty()) {
      return;
    }
    List<PeerId> eligible = new ArrayList<>();
    for (PeerId peer : topicPeers.getOrDefault(topic, Set.of())) {
      PeerState ps = peers.get(peer);
      if (!exclude.contains(peer) && ps.protocol.supportsMesh() && !ps.direct
          && score(peer) >= th.gossip()) {
        eligible.add(peer);
      }
    }
    int target = Math.max(p.dLazy(), (int) (p.gossipFactor() * eligible.size()));
    shuffle(eligible);
    for (int i = 0; i < Math.min(target, eligible.size()); i++) {
      PeerId peer = eligible.get(i);
      List<MessageId> send = ids;
      if (ids.size() > p.maxIHaveLength()) {
        send = new ArrayList<>(ids);
        shuffle(send);
        send = send.subList(0, p.maxIHaveLength());
      }
      batch(peer).ihave.add(new ControlMessage.IHave(topic, send));
      ev.onIHaveSent(nowNs, peer, topic, send.size());
    }
  }

  private void checkPromises() {
    Map<PeerId, Integer> broken = new TreeMap<>();
    for (Iterator<Map<PeerId, Long>> it = promises.values().iterator(); it.hasNext(); ) {
      Map<PeerId, Long> byPeer = it.next();
      for (Iterator<Map.Entry<PeerId, Long>> it2 = byPeer.entrySet().iterator(); it2.hasNext(); ) {
        Map.Entry<PeerId, Long> e = it2.next();
        if (e.getValue() - nowNs <= 0) {
          broken.merge(e.getKey(), 1, Integer::sum);
          it2.remove();
        }
      }
      if (byPeer.isEmpty()) {
        it.remove();
      }
    }
    for (Map.Entry<PeerId, Integer> e : broken.entrySet()) {
      ev.onBrokenPromise(nowNs, e.getKey(), e.getValue());
    }
  }

  private void expireBackoffs() {
    for (Iterator<Map<PeerId, Long>> it = backoff.values().iterator(); it.hasNext(); ) {
      Map<PeerId, Long> byPeer = it.next();
      byPeer.values().removeIf(exp -> exp - nowNs <= 0);
      if (byPeer.isEmpty()) {
        it.remove();
      }
    }
  }

  // ================================================================ helpers

  private boolean canGraft(PeerId peer, String topic) {
    PeerState ps = peers.get(peer);
    return ps != null && ps.topics.contains(topic) && ps.protocol.supportsMesh() && !ps.direct
        && !inBackoff(peer, topic, nowNs) && score(peer) >= 0;
  }

  private List<PeerId> graftCandidates(String topic, Set<PeerId> exclude) {
    List<PeerId> out = new ArrayList<>();
    for (PeerId peer : topicPeers.getOrDefault(topic, Set.of())) {
      if (!exclude.contains(peer) && canGraft(peer, topic)) {
        out.add(peer);
      }
    }
    return out;
  }

  private void sendGraft(PeerId peer, String topic) {
    batch(peer).graft.add(new ControlMessage.Graft(topic));
    ev.onGraft(nowNs, peer, topic);
  }

  private void sendPrune(PeerId peer, String topic, long backoffNs, boolean withPx) {
    PeerState ps = peers.get(peer);
    if (ps == null) {
      return;
    }
    List<PeerInfo> px = List.of();
    Long backoffSeconds = null;
    if (ps.protocol.supportsBackoffAndPx()) {
      backoffSeconds = backoffNs / 1_000_000_000L;
      if (withPx && p.doPx() && p.prunePeers() > 0) {
        List<PeerId> cands = new ArrayList<>();
        for (PeerId other : topicPeers.getOrDefault(topic, Set.of())) {
          if (!other.equals(peer) && peers.get(other).protocol.supportsMesh()
              && score(other) >= 0) {
            cands.add(other);
          }
        }
        shuffle(cands);
        List<PeerInfo> infos = new ArrayList<>();
        for (PeerId other : cands.subList(0, Math.min(p.prunePeers(), cands.size()))) {
          infos.add(new PeerInfo(other, peers.get(other).signedPeerRecord));
        }
        px = infos;
      }
    }
    batch(peer).prune.add(new ControlMessage.Prune(topic, px, backoffSeconds));
  }

  private void addBackoff(PeerId peer, String topic, long durationNs) {
    long exp = nowNs + durationNs;
    backoff.computeIfAbsent(topic, k -> new LinkedHashMap<>()).merge(peer, exp, Math::max);
  }

  private double score(PeerId peer) {
    return scorer.score(peer, nowNs);
  }

  private <T> void shuffle(List<T> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      Collections.swap(list, i, rnd.nextInt(i + 1));
    }
  }

  private Batch batch(PeerId peer) {
    return batches.computeIfAbsent(peer, k -> new Batch());
  }

  private void flush(Outbox out) {
    if (batches.isEmpty()) {
      return;
    }
    for (Map.Entry<PeerId, Batch> e : batches.entrySet()) {
      PeerState ps = peers.get(e.getKey());
      if (ps == null) {
        continue;
      }
      Batch b = e.getValue();
      ControlMessage c = ps.protocol.supportsMesh()
          ? new ControlMessage(b.ihave, b.iwant, b.graft, b.prune,
              ps.protocol.supportsIDontWant() ? b.idontwant : List.of())
          : null;
      Rpc rpc = new Rpc(b.subs, b.msgs, c);
      if (rpc.isEmpty()) {
        continue;
      }
      for (Rpc part : RpcSplitter.split(rpc, p.maxRpcSize())) {
        out.add(new Effect.SendRpc(e.getKey(), part));
      }
    }
    batches.clear();
  }
}
