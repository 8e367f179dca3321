/**
 * Health signals the GossipSub spec does not define, all pure: per-peer token-bucket rate limits
 * ({@link dev.weft.health.signals.RateLimiter}), protocol-violation counters ({@link
 * dev.weft.health.signals.ViolationCounters}) and the black-hole/leech detector ({@link
 * dev.weft.health.signals.LeechDetector}). IP colocation is counted by the score (P6). They feed
 * {@link dev.weft.health.quarantine.HealthMonitor}; none of them punishes a peer for being slow.
 */
package dev.weft.health.signals;
