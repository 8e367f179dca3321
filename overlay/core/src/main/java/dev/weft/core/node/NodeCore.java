package dev.weft.core.node;

import dev.weft.core.events.OverlayEvents;
import dev.weft.core.gossip.GossipParams;
import dev.weft.core.gossip.GossipRouter;
import dev.weft.core.gossip.PeerScoreThresholds;
import dev.weft.core.gossip.PeerScorer;
import dev.weft.core.gossip.RouteSelector;
import dev.weft.core.gossip.SignaturePolicy;
import dev.weft.core.gossip.ValidationResult;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.MessageIdFn;
import dev.weft.core.wire.MessageSigner;
import dev.weft.core.wire.Rpc;
import dev.weft.core.wire.SignatureVerifier;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The node's protocol core: the facade a driver (Netty node driver or the simulator) talks to.
 * Every input carries {@code nowNs} and appends effects to an {@link Outbox}; the core keeps no
 * clock, thread or socket. One owner thread per node; not thread-safe.
 *
 * <p>Driver contract (Netty node driver and simulator alike):
 *
 * <ul>
 *   <li>Call every input on the node's single owner thread, with a monotonic {@code nowNs} read
 *       once per input; execute {@code out.drain()} in order after each input.
 *   <li>{@link #peerConnected} once per peer when its pubsub stream is usable, with the protocol ID
 *       the peer's stream negotiated and whether we dialled the connection; a replaced stream needs
 *       no new call. {@link #peerDisconnected} when the peer's pubsub streams or connection are gone.
 *       An unsupported protocol yields a {@link Effect.Disconnect}.
 *   <li>{@link #rpcReceived} per decoded frame (after the codec bounded sizes and counts).
 *   <li>Keep one timer at {@link #nextDeadlineNs()} and call {@link #tick} when it fires (re-read the
 *       deadline after each tick); late ticks are fine, a missed heartbeat is run once, not replayed.
 *   <li>{@link Effect.SendRpc}: encode and write to our outbound pubsub stream for that peer,
 *       opening it first if needed; drop silently if the peer is gone.
 *       {@link Effect.Dial}: dial if allowed (bound concurrent PX dials; the record, if any, must
 *       be verified before its addresses are used). {@link Effect.Deliver}: hand to the app.
 *       {@link Effect.ValidateRequest}: validate (may be off-thread) and come back with
 *       {@link #validationCompleted} on the owner thread.
 *   <li>Signatures are verified synchronously through the {@code SignatureVerifier} SPI.
 * </ul>
 */
public final class NodeCore {
  private final GossipRouter router;

  private NodeCore(GossipRouter router) {
    this.router = router;
  }

  /** A builder; self, random and (under StrictSign) signer and verifier are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Dispatches a queued {@link Input}. */
  public void handle(long nowNs, Input in, Outbox out) {
    if (in instanceof Input.PeerConnected c) {
      peerConnected(nowNs, c.peer(), c.protocolId(), c.outbound(), out);
    } else if (in instanceof Input.PeerDisconnected d) {
      peerDisconnected(nowNs, d.peer(), out);
    } else if (in instanceof Input.RpcReceived r) {
      rpcReceived(nowNs, r.peer(), r.rpc(), out);
    } else if (in instanceof Input.RpcMalformed r) {
      rpcMalformed(nowNs, r.peer(), r.reason(), out);
    } else if (in instanceof Input.Tick) {
      tick(nowNs, out);
    } else if (in instanceof Input.ValidationCompleted v) {
      validationCompleted(nowNs, v.id(), v.result(), out);
    } else if (in instanceof Input.Publish pb) {
      publish(nowNs, pb.topic(), pb.data(), out);
    } else if (in instanceof Input.Subscribe s) {
      subscribe(nowNs, s.topic(), out);
    } else if (in instanceof Input.Unsubscribe u) {
      unsubscribe(nowNs, u.topic(), out);
    } else if (in instanceof Input.RequestMessages r) {
      requestMessages(nowNs, r.topic(), r.ids(), r.maxPeers(), out);
    }
  }

  /** See {@link GossipRouter#peerConnected}. */
  public void peerConnected(long nowNs, PeerId peer, String protocolId, boolean outbound, Outbox out) {
    router.peerConnected(nowNs, peer, protocolId, outbound, out);
  }

  /** See {@link GossipRouter#peerDisconnected}. */
  public void peerDisconnected(long nowNs, PeerId peer, Outbox out) {
    router.peerDisconnected(nowNs, peer, out);
  }

  /** See {@link GossipRouter#rpcReceived}. */
  public void rpcReceived(long nowNs, PeerId peer, Rpc rpc, Outbox out) {
    router.rpcReceived(nowNs, peer, rpc, out);
  }

  /** See {@link GossipRouter#rpcMalformed}. */
  public void rpcMalformed(long nowNs, PeerId peer, dev.weft.core.events.MalformedReason reason,
      Outbox out) {
    router.rpcMalformed(nowNs, peer, reason, out);
  }

  /** See {@link GossipRouter#tick}. */
  public void tick(long nowNs, Outbox out) {
    router.tick(nowNs, out);
  }

  /** When {@link #tick} must next be called. */
  public long nextDeadlineNs() {
    return router.nextDeadlineNs();
  }

  /** See {@link GossipRouter#validationCompleted}. */
  public void validationCompleted(long nowNs, MessageId id, ValidationResult result, Outbox out) {
    router.validationCompleted(nowNs, id, result, out);
  }

  /** See {@link GossipRouter#publish}. */
  public GossipRouter.PublishResult publish(long nowNs, String topic, byte[] data, Outbox out) {
    return router.publish(nowNs, topic, data, out);
  }

  /** See {@link GossipRouter#subscribe}. */
  public void subscribe(long nowNs, String topic, Outbox out) {
    router.subscribe(nowNs, topic, out);
  }

  /** See {@link GossipRouter#unsubscribe}. */
  public void unsubscribe(long nowNs, String topic, Outbox out) {
    router.unsubscribe(nowNs, topic, out);
  }

  /** See {@link GossipRouter#requestMessages}. */
  public int requestMessages(long nowNs, String topic, java.util.List<MessageId> ids, int maxPeers,
      Outbox out) {
    return router.requestMessages(nowNs, topic, ids, maxPeers, out);
  }

  /** Route messages of {@code topic} through ValidateRequest/validationCompleted. */
  public void setValidationRequired(String topic, boolean required) {
    router.setValidationRequired(topic, required);
  }

  /** Remember a connected peer's signed peer record for PX. */
  public void signedPeerRecordUpdated(PeerId peer, byte[] envelope) {
    router.signedPeerRecordUpdated(peer, envelope);
  }

  /** This node's ID. */
  public PeerId self() {
    return router.self();
  }

  /** The router, for read-only queries (mesh, fanout, subscriptions…). */
  public GossipRouter router() {
    return router;
  }

  /** Builds a {@link NodeCore}; defaults: spec params, neutral scoring, policy-matched message IDs. */
  public static final class Builder {
    private PeerId self;
    private GossipParams params = GossipParams.specDefaults();
    private PeerScoreThresholds thresholds = PeerScoreThresholds.neutral();
    private PeerScorer scorer = PeerScorer.NEUTRAL;
    private OverlayEvents events = OverlayEvents.NONE;
    private MessageIdFn messageIdFn;
    private MessageSigner signer;
    private SignatureVerifier verifier;
    private RandomGenerator random;
    private long initialSeqno = 1;
    private final Set<PeerId> directPeers = new LinkedHashSet<>();
    private long startNs;
    private RouteSelector routeSelector = RouteSelector.FLOOD;

    private Builder() {}

    /** This node's peer ID. */
    public Builder self(PeerId v) { self = v; return this; }
    /** Router parameters. */
    public Builder params(GossipParams v) { params = v; return this; }
    /** Score thresholds. */
    public Builder thresholds(PeerScoreThresholds v) { thresholds = v; return this; }
    /** Peer scorer. */
    public Builder scorer(PeerScorer v) { scorer = v; return this; }
    /** Event listener (compose several with OverlayEvents.compose). */
    public Builder events(OverlayEvents v) { events = v; return this; }
    /**
     * Message ID function. Default: go's {@code from || seqno} under StrictSign, SHA-256 of the
     * data under StrictNoSign (where from and seqno are absent, so go's function would give every
     * message the same ID).
     */
    public Builder messageIdFn(MessageIdFn v) { messageIdFn = v; return this; }
    /** Signer (StrictSign). */
    public Builder signer(MessageSigner v) { signer = v; return this; }
    /** Verifier (StrictSign). */
    public Builder verifier(SignatureVerifier v) { verifier = v; return this; }
    /** The only source of randomness. */
    public Builder random(RandomGenerator v) { random = v; return this; }
    /** First seqno for own messages. */
    public Builder initialSeqno(long v) { initialSeqno = v; return this; }
    /** Adds a direct peer. */
    public Builder directPeer(PeerId v) { directPeers.add(v); return this; }
    /** Start time. */
    public Builder startNs(long v) { startNs = v; return this; }
    /**
     * Route selector (default plain GossipSub flooding); registered as an event listener too when
     * it implements {@link OverlayEvents}.
     */
    public Builder routeSelector(RouteSelector v) {
      routeSelector = Objects.requireNonNull(v, "routeSelector");
      return this;
    }

    /** Validates and builds. */
    public NodeCore build() {
      Objects.requireNonNull(self, "self");
      Objects.requireNonNull(random, "random");
      MessageIdFn idFn = messageIdFn != null ? messageIdFn
          : params.signaturePolicy() == SignaturePolicy.STRICT_NO_SIGN
              ? MessageIdFn.contentSha256() : MessageIdFn.goDefault();
      OverlayEvents ev = routeSelector instanceof OverlayEvents re
          ? OverlayEvents.compose(events, re) : events;
      GossipRouter router = new GossipRouter(new GossipRouter.Config(self, params, thresholds,
          scorer, ev, idFn, signer, verifier, random, initialSeqno, directPeers, startNs));
      router.setRouteSelector(routeSelector);
      return new NodeCore(router);
    }
  }
}
