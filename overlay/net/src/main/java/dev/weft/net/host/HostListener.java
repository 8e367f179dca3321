package dev.weft.net.host;

/** Connection lifecycle notifications; called on the connection's event loop. */
public interface HostListener {
  default void onConnected(Connection connection) {}

  /** Identify completed (or an identify push updated the info). */
  default void onIdentified(Connection connection, IdentifyInfo info) {}

  default void onDisconnected(Connection connection, String reason) {}
}
