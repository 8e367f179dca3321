/**
 * The node's protocol core facade ({@link dev.weft.core.node.NodeCore}), its queued input values
 * ({@link dev.weft.core.node.Input}), and the effects it produces ({@link
 * dev.weft.core.node.Effect} into an {@link dev.weft.core.node.Outbox}).
 *
 * <p>This is the seam between the protocol and the world: the Netty driver and the simulator both
 * pin one NodeCore to one thread, feed it inputs with {@code nowNs}, and execute the drained
 * effects (send RPCs, dial, disconnect, deliver to the app, ask for validation). Unlike go's
 * {@code PubSub} or js's {@code GossipSub}, nothing here owns streams, timers or futures; routing
 * and health modules plug in through SPIs declared in core.
 */
package dev.weft.core.node;
