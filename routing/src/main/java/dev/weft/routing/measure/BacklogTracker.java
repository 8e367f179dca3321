package dev.weft.routing.measure;

/**
 * Outbound backlog of one link: bytes queued for the peer but not yet written to the socket,
 * sampled periodically (for example each heartbeat) by the driver.
 *
 * <p>Two EWMAs follow the samples: a fast one (recent level) and a slow one (reference level), both
 * starting at the first sample. The backlog is <em>rising</em>, a congestion signal, when after
 * {@code minSamples} samples the fast EWMA is at least {@code minBytes} and exceeds the slow one by
 * the factor {@code riseRatio}. A queue that stays large but steady stops being "rising" once the
 * slow average catches up: a steady queue is throughput, a growing one is congestion. Not
 * thread-safe.
 */
public final class BacklogTracker {
  private final double fastAlpha;
  private final double slowAlpha;
  private final double riseRatio;
  private final long minBytes;
  private final int minSamples;
  private long samples;
  private long lastBytes;
  private double fast;
  private double slow;
  private long lastUpdateNs;

  /** A tracker with the backlog parameters of {@code params}. */
  public BacklogTracker(MeasureParams params) {
    this(params.backlogFastAlpha(), params.backlogSlowAlpha(), params.backlogRiseRatio(),
        params.backlogMinBytes(), params.backlogMinSamples());
  }

  /** A tracker with explicit parameters (meanings as in {@link MeasureParams}). */
  public BacklogTracker(
      double fastAlpha, double slowAlpha, double riseRatio, long minBytes, int minSamples) {
    if (!(fastAlpha > 0 && fastAlpha <= 1) || !(slowAlpha > 0 && slowAlpha <= fastAlpha)) {
      throw new IllegalArgumentException("need 0 < slowAlpha <= fastAlpha <= 1, was slowAlpha="
          + slowAlpha + " fastAlpha=" + fastAlpha);
    }
    if (!(riseRatio > 1) || minBytes < 0 || minSamples < 1) {
      throw new IllegalArgumentException("need riseRatio > 1, minBytes >= 0, minSamples >= 1, was "
          + riseRatio + ", " + minBytes + ", " + minSamples);
    }
    this.fastAlpha = fastAlpha;
    this.slowAlpha = slowAlpha;
    this.riseRatio = riseRatio;
    this.minBytes = minBytes;
    this.minSamples = minSamples;
  }

  /** Records the bytes queued for the peer at {@code nowNs}. */
  public void record(long queuedBytes, long nowNs) {
    if (queuedBytes < 0) {
      throw new IllegalArgumentException("queuedBytes must be >= 0, was " + queuedBytes);
    }
    if (samples == 0) {
      fast = queuedBytes;
      slow = queuedBytes;
    } else {
      fast += fastAlpha * (queuedBytes - fast);
      slow += slowAlpha * (queuedBytes - slow);
    }
    samples++;
    lastBytes = queuedBytes;
    lastUpdateNs = nowNs;
  }

  /** True when the backlog is growing (see the class comment). */
  public boolean isRising() {
    return samples >= minSamples && fast >= minBytes && fast > slow * riseRatio;
  }

  /** The last sample, bytes. */
  public long lastBytes() {
    return lastBytes;
  }

  /** Fast EWMA, bytes. */
  public double fastBytes() {
    return fast;
  }

  /** Slow EWMA, bytes. */
  public double slowBytes() {
    return slow;
  }

  /** Samples recorded. */
  public long samples() {
    return samples;
  }

  /** {@code nowNs} of the last sample; 0 if none. */
  public long lastUpdateNs() {
    return lastUpdateNs;
  }
}
