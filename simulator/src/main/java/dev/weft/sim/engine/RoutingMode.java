package dev.weft.sim.engine;

/**
 * How honest nodes forward. The simulator runs both in the same scenario and seed and compares
 * them.
 */
public enum RoutingMode {
  /** Plain GossipSub: every message is pushed to every mesh peer. */
  PLAIN,
  /**
   * weft's adaptive spanning paths (the routing module's route selector installed in the core).
   * Until the core has that hook, see {@link #available()}: an ADAPTIVE run then forwards exactly
   * like PLAIN and the report says so.
   */
  ADAPTIVE;

  /** Whether this build can run the mode as described (ADAPTIVE needs the routing hook). */
  public boolean available() {
    return this == PLAIN || AdaptiveHook.INSTALLED;
  }

  /** Where the routing module's route selector is plugged into each honest node's core. */
  static final class AdaptiveHook {
    /** Flipped to true when the core's route-selection hook is wired in {@code NodeFactory}. */
    static final boolean INSTALLED = false;

    private AdaptiveHook() {}
  }
}
