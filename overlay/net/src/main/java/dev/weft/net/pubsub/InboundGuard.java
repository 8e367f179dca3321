package dev.weft.net.pubsub;

import dev.weft.core.identity.PeerId;

/**
 * Screens the pubsub frames a peer sends before they are decoded (health's rate limits plug in
 * here; undecodable frames reach health through the router's {@code onMalformedRpc} event). Called on the connection's event loop; keep it cheap and
 * thread-safe.
 */
public interface InboundGuard {
  /** Lets everything through. */
  InboundGuard ALLOW_ALL = new InboundGuard() {};

  /** One RPC frame of {@code bytes} bytes arrived from {@code peer}; false drops it undecoded. */
  default boolean allowRpc(PeerId peer, int bytes) {
    return true;
  }
}
