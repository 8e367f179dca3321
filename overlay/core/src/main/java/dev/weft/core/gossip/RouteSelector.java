package dev.weft.core.gossip;

import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import java.util.Set;

/**
 * SPI: the router asks, per forwarded or published message, which peers get the full message
 * eagerly and which get only an IHAVE (lazy push), and how long to wait after an IHAVE before
 * asking for the message. Implemented by the {@code routing} module (adaptive spanning trees);
 * {@link #FLOOD} is plain GossipSub. Selectors that also implement
 * {@link dev.weft.core.events.OverlayEvents} are registered as listeners by
 * {@link dev.weft.core.node.NodeCore.Builder#routeSelector}. Called on the owner thread; must be
 * pure and deterministic in {@code nowNs}.
 */
public interface RouteSelector {
  /** Plain GossipSub: every target eager, IWANT at once, spec IHAVE limits. */
  RouteSelector FLOOD = new RouteSelector() {};

  /**
   * Chooses the eager and lazy peers for one message. {@code eager} holds the router's targets
   * (mesh or flood-publish peers, direct and floodsub peers); the selector may move peers to
   * {@code lazy} (they get an IHAVE for {@code id} now) or add other connected peers to either
   * set. The router still skips the sender, the author and peers that sent IDONTWANT for it.
   *
   * @param from the peer we received it from; null when published locally
   */
  default void route(long nowNs, MessageId id, PubMessage message, PeerId from,
      Set<PeerId> eager, Set<PeerId> lazy) {}

  /**
   * Delay before an IWANT for {@code id}, unseen and announced by {@code peer}'s IHAVE: 0 asks at
   * once (the spec); a positive delay lets the eager copy arrive first. If the message is still
   * missing when the delay ends the router asks {@code peer} and reports it through
   * {@link #iwantSent}.
   */
  default long iwantDelayNs(long nowNs, PeerId peer, String topic, MessageId id) {
    return 0;
  }

  /** The router sent an IWANT for {@code id} to {@code peer} (after a delay or at once). */
  default void iwantSent(long nowNs, PeerId peer, String topic, MessageId id) {}

  /**
   * Whether IHAVEs from {@code peer} skip the per-heartbeat limit on IHAVE messages (lazy push
   * sends one per message); the limit on IDs asked per heartbeat still applies.
   */
  default boolean ihaveLimitExempt(PeerId peer) {
    return false;
  }
}
