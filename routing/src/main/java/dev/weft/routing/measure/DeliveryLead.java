package dev.weft.routing.measure;

/**
 * First-delivery statistics of one peer: for each message this peer delivered, how long after the
 * first copy (from any peer) its copy arrived; 0 when it was the first. Kept as an EWMA of that lag
 * plus counts, so a lazy link that is consistently faster than an eager one can be spotted.
 *
 * <p>The lag EWMA uses gain {@code max(alpha, 1/n)} (plain mean over the first {@code 1/alpha}
 * samples). Only copies that actually arrived count: a peer that never sends a copy (for example a
 * lazy link) has no samples, not a large lag. Not thread-safe.
 */
public final class DeliveryLead {
  private final double alpha;
  private long samples;
  private long firsts;
  private double lagNs;
  private long lastUpdateNs;

  /** Statistics with the lead gain of {@code params}. */
  public DeliveryLead(MeasureParams params) {
    this(params.leadAlpha());
  }

  /** Statistics with gain {@code alpha} in (0, 1]. */
  public DeliveryLead(double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
    }
    this.alpha = alpha;
  }

  /**
   * Records a copy that arrived at {@code nowNs}, the first copy of that message having arrived
   * at {@code firstArrivalNs} (equal to {@code nowNs} when this is the first copy).
   *
   * @throws IllegalArgumentException if {@code firstArrivalNs > nowNs}
   */
  public void record(long firstArrivalNs, long nowNs) {
    if (firstArrivalNs > nowNs) {
      throw new IllegalArgumentException(
          "firstArrivalNs after nowNs: " + firstArrivalNs + " > " + nowNs);
    }
    recordLag(nowNs - firstArrivalNs, nowNs);
  }

  /** Records a copy that arrived {@code lagNs} after the first one (0: this was the first). */
  public void recordLag(long lag, long nowNs) {
    if (lag < 0) {
      throw new IllegalArgumentException("lagNs must be >= 0, was " + lag);
    }
    samples++;
    if (lag == 0) {
      firsts++;
    }
    lagNs += Math.max(alpha, 1.0 / samples) * (lag - lagNs);
    lastUpdateNs = nowNs;
  }

  /** EWMA of the lag behind the first copy, ns (0 before any sample). */
  public double lagNs() {
    return lagNs;
  }

  /** Copies recorded. */
  public long samples() {
    return samples;
  }

  /** Copies that were the first of their message. */
  public long firsts() {
    return firsts;
  }

  /** {@code firsts / samples} (0 before any sample). */
  public double firstRatio() {
    return samples == 0 ? 0 : (double) firsts / samples;
  }

  /** {@code nowNs} of the last record; 0 if none. */
  public long lastUpdateNs() {
    return lastUpdateNs;
  }

  /**
   * True when both peers have at least {@code minSamples} samples and this peer's lag EWMA is lower
   * than {@code other}'s by more than {@code marginNs}.
   */
  public boolean isConsistentlyFasterThan(DeliveryLead other, long marginNs, long minSamples) {
    if (samples < minSamples || other.samples < minSamples) {
      return false;
    }
    return lagNs + marginNs < other.lagNs;
  }
}
