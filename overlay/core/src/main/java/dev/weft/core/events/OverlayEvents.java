package dev.weft.core.events;

import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;

/**
 * The one typed event stream of a node's overlay. Scoring, tracing and metrics are listeners; every
 * method has a no-op default so a listener overrides only what it needs. Called synchronously on
 * the node's owner thread, in decision order, with the same {@code nowNs} the input carried.
 * Listeners must not call back into the node.
 *
 * <p>Arguments are the decision's facts; {@code from == null} means "published locally".
 */
public interface OverlayEvents {
  /** A listener that ignores everything. */
  OverlayEvents NONE = new OverlayEvents() {};

  /** A peer with a pubsub stream was added; {@code protocolId} as negotiated. */
  default void onPeerAdded(long nowNs, PeerId peer, String protocolId, boolean outbound) {}

  /** A peer was removed (disconnect or stream closed). */
  default void onPeerRemoved(long nowNs, PeerId peer) {}

  /** This node subscribed to {@code topic}. */
  default void onJoin(long nowNs, String topic) {}

  /** This node unsubscribed from {@code topic}. */
  default void onLeave(long nowNs, String topic) {}

  /** A peer announced a subscription change. */
  default void onPeerSubscription(long nowNs, PeerId peer, String topic, boolean subscribed) {}

  /** {@code peer} joined our mesh for {@code topic} (we grafted it, or accepted its GRAFT). */
  default void onGraft(long nowNs, PeerId peer, String topic) {}

  /** {@code peer} left our mesh for {@code topic}, or its GRAFT was refused; see the reason. */
  default void onPrune(long nowNs, PeerId peer, String topic, PruneReason reason) {}

  /** The peer sent GRAFT while in backoff; {@code withinFloodWindow} doubles the penalty. */
  default void onGraftBackoffViolation(
      long nowNs, PeerId peer, String topic, boolean withinFloodWindow) {}

  /** A message was seen for the first time (before validation). */
  default void onFirstSeen(long nowNs, MessageId id, PubMessage message, PeerId from) {}

  /** A message was accepted: delivered to the application and forwarded. */
  default void onDeliver(long nowNs, MessageId id, PubMessage message, PeerId from) {}

  /** An already-seen message arrived again from {@code from}. */
  default void onDuplicate(long nowNs, MessageId id, String topic, PeerId from) {}

  /** A message was rejected (invalid); the sender should be penalised. */
  default void onReject(long nowNs, MessageId id, String topic, PeerId from, RejectReason reason) {}

  /** A message was dropped without penalty. */
  default void onIgnore(long nowNs, MessageId id, String topic, PeerId from, IgnoreReason reason) {}

  /** This node published a message (before sending). */
  default void onPublish(long nowNs, MessageId id, String topic, int recipients) {}

  /** IHAVE with {@code count} IDs sent to {@code peer}. */
  default void onIHaveSent(long nowNs, PeerId peer, String topic, int count) {}

  /** IHAVE with {@code count} IDs received from {@code peer}. */
  default void onIHaveReceived(long nowNs, PeerId peer, String topic, int count) {}

  /** IWANT with {@code count} IDs sent to {@code peer}. */
  default void onIWantSent(long nowNs, PeerId peer, int count) {}

  /** IWANT with {@code count} IDs received; {@code served} of them answered. */
  default void onIWantReceived(long nowNs, PeerId peer, int count, int served) {}

  /** IDONTWANT with {@code count} IDs sent to {@code peer}. */
  default void onIDontWantSent(long nowNs, PeerId peer, int count) {}

  /** IDONTWANT with {@code count} IDs received from {@code peer}. */
  default void onIDontWantReceived(long nowNs, PeerId peer, int count) {}

  /** An IWANT promise was not kept: {@code count} requested messages never arrived in time. */
  default void onBrokenPromise(long nowNs, PeerId peer, int count) {}

  /** A rate limit or threshold cut input short. {@code peer} may be null for local causes. */
  default void onThrottled(long nowNs, PeerId peer, ThrottleReason reason) {}

  /**
   * The driver refused a frame from {@code peer} (stream reset): oversize, undecodable, or over a
   * per-RPC limit. Scorers count it as a protocol violation.
   */
  default void onMalformedRpc(long nowNs, PeerId peer, MalformedReason reason) {}

  /** PX from {@code pruner} produced {@code dials} dial requests. */
  default void onPeerExchange(long nowNs, PeerId pruner, String topic, int dials) {}

  /** A heartbeat ran (scorers decay their counters here). */
  default void onHeartbeat(long nowNs, long heartbeatTicks) {}

  /** Fans events out to several listeners in order. */
  static OverlayEvents compose(OverlayEvents... listeners) {
    return new CompositeEvents(listeners);
  }
}
