package dev.weft.health.signals;

/**
 * A token bucket in virtual time: {@code capacity} tokens, refilled at {@code ratePerSecond}. Pure
 * and deterministic; the first call's {@code nowNs} starts it full.
 */
public final class TokenBucket {
  private final double capacity;
  private final double ratePerNs;
  private double tokens;
  private long lastNs;
  private boolean started;

  /** A full bucket; both arguments must be &gt; 0. */
  public TokenBucket(double capacity, double ratePerSecond) {
    if (!(capacity > 0) || !(ratePerSecond > 0)) {
      throw new IllegalArgumentException("capacity=" + capacity + " and ratePerSecond="
          + ratePerSecond + " must be > 0");
    }
    this.capacity = capacity;
    this.ratePerNs = ratePerSecond / 1e9;
    this.tokens = capacity;
  }

  private void refill(long nowNs) {
    if (!started) {
      started = true;
      lastNs = nowNs;
      return;
    }
    long dt = nowNs - lastNs;
    if (dt > 0) {
      tokens = Math.min(capacity, tokens + dt * ratePerNs);
      lastNs = nowNs;
    }
  }

  /** Takes {@code amount} tokens if available (all or nothing). */
  public boolean tryTake(double amount, long nowNs) {
    refill(nowNs);
    if (tokens >= amount) {
      tokens -= amount;
      return true;
    }
    return false;
  }

  /** Tokens available at {@code nowNs}. */
  public double available(long nowNs) {
    refill(nowNs);
    return tokens;
  }
}
