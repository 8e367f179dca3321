package dev.weft.health.signals;

/** What the driver should do with one unit of peer input, per {@link RateLimiter}. */
public enum RateDecision {
  /** Within the peer's budget. */
  ALLOW,
  /** Over the soft limit: drop or delay this input; not yet misbehaviour. */
  THROTTLE,
  /** Over the hard limit (a multiple of the soft one): drop it and count it as a violation. */
  VIOLATION
}
