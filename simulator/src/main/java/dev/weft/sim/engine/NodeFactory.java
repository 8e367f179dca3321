package dev.weft.sim.engine;

import dev.weft.core.node.NodeCore;

/** Applies a {@link RoutingMode} to a node's core builder: the one place modes differ. */
final class NodeFactory {
  private NodeFactory() {}

  /**
   * Configures {@code b} for {@code mode}. Attackers always run plain GossipSub. ADAPTIVE installs
   * the routing module's route selector once the core exposes the hook (see {@link
   * RoutingMode#available()}); until then it leaves the builder as PLAIN does.
   */
  static void configure(NodeCore.Builder b, RoutingMode mode, boolean honest) {
    if (!honest || mode == RoutingMode.PLAIN || !mode.available()) {
      return;
    }
    // the routing branch's route-selection hook is wired here when it lands on main
  }
}
