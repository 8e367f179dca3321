package dev.weft.health.score;

/** Why a behaviour penalty (P7) was added to a peer's counter. */
public enum PenaltyReason {
  /** An IWANT promise was not kept (the peer advertised a message and never sent it). */
  BROKEN_PROMISE,
  /** The peer sent GRAFT while in backoff. */
  GRAFT_BACKOFF,
  /** The peer sent GRAFT within the flood window right after a PRUNE (counted in addition). */
  GRAFT_FLOOD,
  /** A protocol violation reported by the driver (malformed frame, flood, …). */
  PROTOCOL_VIOLATION,
  /** The application or an operator added it. */
  APPLICATION
}
