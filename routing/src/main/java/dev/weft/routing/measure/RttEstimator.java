package dev.weft.routing.measure;

import java.util.ArrayDeque;

/**
 * Round-trip time of one link: smoothed RTT and mean deviation in the style of RFC 6298, an RTP-style
 * jitter, and the minimum RTT over a sliding time window (the link's uncongested baseline).
 *
 * <p>Update rules for a sample {@code r} (all in nanoseconds, kept as doubles):
 *
 * <ul>
 *   <li>first sample: {@code srtt = r}, {@code rttvar = r / 2}, {@code jitter = 0};
 *   <li>later samples: {@code rttvar = (1 - beta) * rttvar + beta * |srtt - r|} (with the old srtt),
 *       then {@code srtt = (1 - alpha) * srtt + alpha * r}, and
 *       {@code jitter += gain * (|r - previous r| - jitter)}.
 * </ul>
 *
 * <p>The windowed minimum is a monotonic queue of (time, rtt) candidates: a new sample evicts every
 * older candidate that is not smaller, and candidates older than the window are dropped when the
 * minimum is read. The newest sample is never dropped, so a link that has gone quiet keeps its last
 * RTT as its baseline rather than none. Not thread-safe; time comes only from {@code nowNs}.
 */
public final class RttEstimator {
  private final double alpha;
  private final double beta;
  private final double jitterGain;
  private final long windowNs;
  private final int maxEntries;

  private long samples;
  private double srtt;
  private double rttvar;
  private double jitter;
  private long lastRttNs = -1;
  private long lastSampleNs;
  private final ArrayDeque<long[]> minWindow = new ArrayDeque<>();

  /** An estimator with the RTT gains and window of {@code params}. */
  public RttEstimator(MeasureParams params) {
    this(params.rttAlpha(), params.rttBeta(), params.jitterGain(), params.minRttWindowNs(),
        params.minRttMaxEntries());
  }

  /**
   * An estimator with explicit gains.
   *
   * @param alpha srtt gain, (0, 1]
   * @param beta rttvar gain, (0, 1]
   * @param jitterGain jitter gain, (0, 1]
   * @param windowNs min-RTT window, > 0
   * @param maxEntries bound on min-RTT candidates kept, >= 2
   */
  public RttEstimator(double alpha, double beta, double jitterGain, long windowNs, int maxEntries) {
    if (!(alpha > 0 && alpha <= 1) || !(beta > 0 && beta <= 1)
        || !(jitterGain > 0 && jitterGain <= 1)) {
      throw new IllegalArgumentException("gains must be in (0, 1]: alpha=" + alpha + " beta="
          + beta + " jitterGain=" + jitterGain);
    }
    if (windowNs <= 0 || maxEntries < 2) {
      throw new IllegalArgumentException(
          "windowNs must be > 0 and maxEntries >= 2, was " + windowNs + ", " + maxEntries);
    }
    this.alpha = alpha;
    this.beta = beta;
    this.jitterGain = jitterGain;
    this.windowNs = windowNs;
    this.maxEntries = maxEntries;
  }

  /**
   * Adds one RTT sample measured at {@code nowNs}.
   *
   * @throws IllegalArgumentException if {@code rttNs} is negative
   */
  public void record(long rttNs, long nowNs) {
    if (rttNs < 0) {
      throw new IllegalArgumentException("rttNs must be >= 0, was " + rttNs);
    }
    if (samples == 0) {
      srtt = rttNs;
      rttvar = rttNs / 2.0;
      jitter = 0;
    } else {
      rttvar = (1 - beta) * rttvar + beta * Math.abs(srtt - rttNs);
      srtt = (1 - alpha) * srtt + alpha * rttNs;
      jitter += jitterGain * (Math.abs(rttNs - lastRttNs) - jitter);
    }
    samples++;
    lastRttNs = rttNs;
    lastSampleNs = nowNs;
    while (!minWindow.isEmpty() && minWindow.peekLast()[1] >= rttNs) {
      minWindow.pollLast();
    }
    minWindow.addLast(new long[] {nowNs, rttNs});
    if (minWindow.size() > maxEntries) {
      minWindow.pollFirst();
    }
  }

  /** Number of samples recorded. */
  public long samples() {
    return samples;
  }

  /** Smoothed RTT in ns (0 before any sample). */
  public double srttNs() {
    return srtt;
  }

  /** RTT mean deviation in ns (0 before any sample). */
  public double rttvarNs() {
    return rttvar;
  }

  /** Jitter (EWMA of successive RTT differences) in ns. */
  public double jitterNs() {
    return jitter;
  }

  /** The last sample in ns, or -1 if none. */
  public long lastRttNs() {
    return lastRttNs;
  }

  /** When the last sample was recorded ({@code nowNs} of that call); 0 if none. */
  public long lastSampleNs() {
    return lastSampleNs;
  }

  /**
   * Minimum RTT among samples taken within the window ending at {@code nowNs}; the newest sample if
   * all are older than the window; -1 if there has been no sample.
   */
  public long minRttNs(long nowNs) {
    while (minWindow.size() > 1 && minWindow.peekFirst()[0] < nowNs - windowNs) {
      minWindow.pollFirst();
    }
    long[] first = minWindow.peekFirst();
    return first == null ? -1 : first[1];
  }

  /**
   * A retransmission-style timeout: {@code srtt + multiplier * rttvar} clamped to
   * {@code [floorNs, ceilNs]}; {@code ceilNs} before any sample (nothing is known, be patient).
   * Used to derive IHAVE to IWANT timeouts from the measured RTT.
   */
  public long timeoutNs(double multiplier, long floorNs, long ceilNs) {
    if (floorNs > ceilNs) {
      throw new IllegalArgumentException("floorNs > ceilNs: " + floorNs + " > " + ceilNs);
    }
    if (samples == 0) {
      return ceilNs;
    }
    double t = srtt + multiplier * rttvar;
    if (t <= floorNs) {
      return floorNs;
    }
    if (t >= ceilNs) {
      return ceilNs;
    }
    return (long) Math.ceil(t);
  }
}
