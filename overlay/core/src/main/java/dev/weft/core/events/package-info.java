/**
 * The overlay's one typed event interface, {@link dev.weft.core.events.OverlayEvents}, and the
 * reason enums carried by its decisions ({@link dev.weft.core.events.RejectReason}, {@link
 * dev.weft.core.events.IgnoreReason}, {@link dev.weft.core.events.PruneReason}, {@link
 * dev.weft.core.events.ThrottleReason}). Peer scoring, tracing and metrics are listeners.
 *
 * <p>Compared with go-libp2p-pubsub's {@code RawTracer}: events are called synchronously on the
 * node's thread with the input's {@code nowNs} (no wall clock), every "why" is an enum rather than
 * a string, and throttling/rate-limit decisions are first-class events so an operator can ask why
 * a peer's gossip was ignored. js has no equivalent public tracer.
 */
package dev.weft.core.events;
