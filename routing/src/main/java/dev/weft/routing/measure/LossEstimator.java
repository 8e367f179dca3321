package dev.weft.routing.measure;

/**
 * Loss ratio of one link from a stream of outcomes: pings answered or lost, IWANT promises kept or
 * broken, messages received or sequence numbers skipped.
 *
 * <p>Each outcome is a sample {@code x} (1 lost, 0 delivered) folded in with gain
 * {@code max(alpha, 1/n)} where {@code n} is the sample count including this one: the first
 * {@code 1/alpha} samples therefore give their plain mean (an EWMA started from nothing would be
 * biased towards its start value), later ones an exponentially weighted mean. Because a mean of two
 * samples says little, {@link #confidence()} grows linearly to 1 at {@code minSamples}, and
 * {@link #isLossAbove} refuses to declare loss before that. Not thread-safe.
 */
public final class LossEstimator {
  private final double alpha;
  private final int minSamples;
  private long samples;
  private long losses;
  private double ratio;
  private long lastUpdateNs;

  /** An estimator with the loss gain and minimum sample count of {@code params}. */
  public LossEstimator(MeasureParams params) {
    this(params.lossAlpha(), params.lossMinSamples());
  }

  /**
   * An estimator with explicit parameters.
   *
   * @param alpha EWMA gain once warmed up, (0, 1]
   * @param minSamples samples for full confidence, >= 1
   */
  public LossEstimator(double alpha, int minSamples) {
    if (!(alpha > 0 && alpha <= 1) || minSamples < 1) {
      throw new IllegalArgumentException(
          "alpha must be in (0, 1] and minSamples >= 1, was " + alpha + ", " + minSamples);
    }
    this.alpha = alpha;
    this.minSamples = minSamples;
  }

  /** A delivery: ping answered, promise kept, message received in sequence. */
  public void recordDelivered(long nowNs) {
    add(0, nowNs);
  }

  /** A loss: ping timed out, IWANT promise broken. */
  public void recordLost(long nowNs) {
    add(1, nowNs);
  }

  /** A boolean outcome; {@code lost} true counts as a loss. */
  public void record(boolean lost, long nowNs) {
    add(lost ? 1 : 0, nowNs);
  }

  /**
   * A sequence gap: {@code missing} numbers were skipped before one that arrived; counts as
   * {@code missing} losses followed by one delivery.
   */
  public void recordGap(long missing, long nowNs) {
    if (missing < 0) {
      throw new IllegalArgumentException("missing must be >= 0, was " + missing);
    }
    for (long i = 0; i < missing; i++) {
      add(1, nowNs);
    }
    add(0, nowNs);
  }

  private void add(int x, long nowNs) {
    samples++;
    losses += x;
    double g = Math.max(alpha, 1.0 / samples);
    ratio += g * (x - ratio);
    lastUpdateNs = nowNs;
  }

  /** The loss ratio estimate in [0, 1] (0 before any sample), whatever the confidence. */
  public double ratio() {
    return ratio;
  }

  /** {@code min(1, samples / minSamples)}. */
  public double confidence() {
    return Math.min(1.0, (double) samples / minSamples);
  }

  /** {@code ratio() * confidence()}: shrinks a loss estimate made from few samples towards 0. */
  public double weightedRatio() {
    return ratio * confidence();
  }

  /** True only with at least {@code minSamples} samples and {@code ratio() > threshold}. */
  public boolean isLossAbove(double threshold) {
    return samples >= minSamples && ratio > threshold;
  }

  /** Outcomes recorded. */
  public long samples() {
    return samples;
  }

  /** Losses recorded (lifetime count). */
  public long losses() {
    return losses;
  }

  /** {@code nowNs} of the last outcome; 0 if none. */
  public long lastUpdateNs() {
    return lastUpdateNs;
  }
}
