package dev.weft.health.signals;

/** Protocol violations counted per peer by {@link ViolationCounters}. */
public enum ViolationKind {
  /** The driver could not decode a frame or RPC from the peer. */
  MALFORMED_FRAME,
  /** GRAFT while in backoff. */
  GRAFT_DURING_BACKOFF,
  /** GRAFT within the flood window right after being pruned (counted in addition). */
  GRAFT_FLOOD,
  /** More IHAVE RPCs per heartbeat than allowed. */
  IHAVE_FLOOD,
  /** Asked for the same message more often than gossipRetransmission allows. */
  IWANT_FLOOD,
  /** More IDONTWANT IDs per heartbeat than allowed. */
  IDONTWANT_FLOOD,
  /** An IWANT promise not kept (one per message). */
  BROKEN_PROMISE,
  /** A message rejected as invalid. */
  INVALID_MESSAGE,
  /** Input beyond the hard rate limit. */
  RATE_LIMIT
}
