package dev.weft.sim.engine;

/**
 * How honest nodes forward. The simulator runs both in the same scenario and seed and compares
 * them.
 */
public enum RoutingMode {
  /** Plain GossipSub: every message is pushed to every mesh peer. */
  PLAIN,
  /**
   * weft's adaptive spanning paths: the routing module's {@code TreeRouter} installed as each
   * honest node's route selector, tree control carried between honest nodes, RTTs from pings.
   */
  ADAPTIVE;

  /** Whether this build can run the mode (kept for reports written before routing existed). */
  public boolean available() {
    return true;
  }
}
