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
  ADAPTIVE,
  /**
   * Plain GossipSub for everything but blocks; blocks travel as erasure-coded chunks with the
   * routing module's {@code BlockRelay} between honest nodes (see docs/blocks.md).
   */
  BLOCKS;

  /** Whether this build can run the mode (kept for reports written before routing existed). */
  public boolean available() {
    return true;
  }
}
