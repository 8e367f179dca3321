package dev.weft.net.host;

import dev.weft.core.identity.PeerId;
import java.net.SocketAddress;

/**
 * Decides whether a connection may proceed. The health subsystem's bans plug in here: a banned
 * peer's reconnects are refused as soon as its identity is known (after the Noise handshake).
 */
public interface ConnectionGater {
  ConnectionGater ALLOW_ALL = new ConnectionGater() {};

  /** Called when a TCP connection is accepted, before any bytes are read. */
  default boolean allowInbound(SocketAddress remote) {
    return true;
  }

  /** Called once the remote peer's identity is authenticated; null means allowed. */
  default String refuseSecured(PeerId peer, Direction direction) {
    return null;
  }

  /**
   * Called on the connection's event loop for every stream the remote opens, before protocol
   * negotiation; false resets the stream (health's new-streams/s budget plugs in here).
   */
  default boolean allowInboundStream(Connection connection) {
    return true;
  }
}
