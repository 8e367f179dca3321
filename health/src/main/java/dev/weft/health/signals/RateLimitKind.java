package dev.weft.health.signals;

/** Which per-peer budget a {@link RateLimiter} decision concerns. */
public enum RateLimitKind {
  /** RPCs per second. */
  RPCS,
  /** Bytes per second of RPC payload. */
  BYTES,
  /** New streams per second. */
  STREAMS
}
