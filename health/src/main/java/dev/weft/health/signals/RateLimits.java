package dev.weft.health.signals;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-peer budgets for {@link RateLimiter}. Each soft budget is a token bucket (rate, burst); the
 * hard budget is the same bucket scaled by {@code hardFactor}: input beyond the soft budget is
 * throttled, beyond the hard one it is a violation.
 *
 * @param rpcsPerSecond sustained RPCs per second, &gt; 0
 * @param rpcBurst RPC burst, ≥ 1
 * @param bytesPerSecond sustained bytes per second, &gt; 0
 * @param byteBurst byte burst, ≥ 1
 * @param streamsPerSecond sustained new streams per second, &gt; 0
 * @param streamBurst stream burst, ≥ 1
 * @param hardFactor hard budget over soft budget, ≥ 1
 */
public record RateLimits(double rpcsPerSecond, double rpcBurst, double bytesPerSecond,
    double byteBurst, double streamsPerSecond, double streamBurst, double hardFactor) {

  /** Validates every field; the message names each broken one. */
  public RateLimits {
    List<String> e = new ArrayList<>();
    positive(e, "rpcsPerSecond", rpcsPerSecond);
    atLeastOne(e, "rpcBurst", rpcBurst);
    positive(e, "bytesPerSecond", bytesPerSecond);
    atLeastOne(e, "byteBurst", byteBurst);
    positive(e, "streamsPerSecond", streamsPerSecond);
    atLeastOne(e, "streamBurst", streamBurst);
    atLeastOne(e, "hardFactor", hardFactor);
    if (!e.isEmpty()) {
      throw new IllegalArgumentException("invalid rate limits: " + String.join("; ", e));
    }
  }

  private static void positive(List<String> e, String n, double v) {
    if (!(v > 0)) {
      e.add(n + "=" + v + " must be > 0");
    }
  }

  private static void atLeastOne(List<String> e, String n, double v) {
    if (!(v >= 1)) {
      e.add(n + "=" + v + " must be >= 1");
    }
  }

  /**
   * weft defaults: 500 RPC/s (burst 1000), 8 MiB/s (burst 16 MiB), 10 new streams/s (burst 20),
   * hard limit 4× — generous for market data (thousands of small messages per second arrive
   * batched into far fewer RPCs), and a flood of 4× that is unmistakable.
   */
  public static RateLimits defaults() {
    return new RateLimits(500, 1000, 8 << 20, 16 << 20, 10, 20, 4);
  }
}
