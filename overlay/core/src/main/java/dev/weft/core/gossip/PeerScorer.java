package dev.weft.core.gossip;

import dev.weft.core.identity.PeerId;

/**
 * SPI: the router asks for a peer's current score when it decides whom to mesh, gossip with, accept
 * PX from or ignore. Implemented by the {@code health} module (v1.1 score with P1–P7 or weft's own
 * health model). Scorers that also implement {@link dev.weft.core.events.OverlayEvents} are
 * registered as listeners automatically and learn from the router's events (go-libp2p-pubsub's
 * {@code peerScore} is a tracer in the same way). Must be pure and deterministic in {@code nowNs}.
 */
@FunctionalInterface
public interface PeerScorer {
  /** Every peer scores 0: all thresholds at their neutral values pass (scoring off, as in go). */
  PeerScorer NEUTRAL = (peer, nowNs) -> 0.0;

  /** The score of {@code peer} at {@code nowNs}; 0 for unknown peers. */
  double score(PeerId peer, long nowNs);

  /**
   * Whether the router should, for now, push nothing to {@code peer} when forwarding (no full
   * message, no IHAVE, no IDONTWANT): a black-hole probe. A peer that relays honestly still gets
   * the messages from its other mesh peers and forwards them to us; a black hole stays silent.
   * Our own publishes are still sent. Default: never.
   */
  default boolean withhold(PeerId peer, long nowNs) {
    return false;
  }
}
