package dev.weft.routing.block;

import dev.weft.core.gossip.RouteSelector;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Keeps whole blocks off the GossipSub links to peers that speak the chunked block protocol, so
 * GossipSub carries blocks only to peers that do not (js-libp2p, go-libp2p, older weft): messages
 * of a block topic with at least {@code minBlockBytes} of payload are not pushed to block peers
 * (neither eagerly nor as an immediate IHAVE), and an IHAVE from a block peer on a block topic is
 * followed up only after {@code fallbackIWantDelayNs}, by which time the relay has usually rebuilt
 * the block (then the router no longer asks; otherwise the whole message is the fallback).
 * Everything else is decided by {@code delegate} (plain GossipSub or tree routing).
 */
public final class BlockRouteSelector implements RouteSelector {
  private final RouteSelector delegate;
  private final Predicate<PeerId> blockPeer;
  private final Predicate<String> blockTopic;
  private final int minBlockBytes;
  private final long fallbackIWantDelayNs;

  /** See the class comment; {@code blockPeer} is usually {@code relay::isCapable}. */
  public BlockRouteSelector(RouteSelector delegate, Predicate<PeerId> blockPeer,
      Predicate<String> blockTopic, int minBlockBytes, long fallbackIWantDelayNs) {
    this.delegate = delegate;
    this.blockPeer = blockPeer;
    this.blockTopic = blockTopic;
    this.minBlockBytes = minBlockBytes;
    this.fallbackIWantDelayNs = fallbackIWantDelayNs;
  }

  @Override
  public void route(long nowNs, MessageId id, PubMessage message, PeerId from,
      Set<PeerId> eager, Set<PeerId> lazy) {
    delegate.route(nowNs, id, message, from, eager, lazy);
    if (message.dataLength() >= minBlockBytes && blockTopic.test(message.topic())) {
      eager.removeIf(blockPeer);
      lazy.removeIf(blockPeer);
    }
  }

  @Override
  public long iwantDelayNs(long nowNs, PeerId peer, String topic, MessageId id) {
    long d = delegate.iwantDelayNs(nowNs, peer, topic, id);
    return blockTopic.test(topic) && blockPeer.test(peer) ? Math.max(d, fallbackIWantDelayNs) : d;
  }

  @Override
  public void iwantSent(long nowNs, PeerId peer, String topic, MessageId id) {
    delegate.iwantSent(nowNs, peer, topic, id);
  }

  @Override
  public boolean ihaveLimitExempt(PeerId peer) {
    return delegate.ihaveLimitExempt(peer);
  }
}
