package dev.weft.sim.engine;

import dev.weft.core.node.NodeCore;
import dev.weft.routing.tree.TreeParams;
import dev.weft.routing.tree.TreeRouter;

/** Applies a {@link RoutingMode} to a node's core builder: the one place modes differ. */
final class NodeFactory {
  private NodeFactory() {}

  /**
   * Configures {@code b} for {@code mode} and returns the node's tree router, or null when it
   * forwards as plain GossipSub (BLOCKS mode adds its block relay in Simulation). Attackers
   * always run plain GossipSub.
   */
  static TreeRouter configure(NodeCore.Builder b, RoutingMode mode, boolean honest) {
    if (!honest || mode != RoutingMode.ADAPTIVE) {
      return null;
    }
    TreeRouter tree = new TreeRouter(TreeParams.defaults());
    b.routeSelector(tree);
    return tree;
  }
}
