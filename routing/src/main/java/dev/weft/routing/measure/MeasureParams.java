package dev.weft.routing.measure;

/**
 * Tuning of the link measurements: EWMA gains, windows, minimum sample counts and congestion
 * thresholds. Immutable; build with {@link #builder()}, which validates every field and names the
 * field and the rule it broke. {@link #defaults()} are the values documented per accessor.
 *
 * @param rttAlpha gain of the smoothed RTT ({@code srtt += alpha * (r - srtt)}). Dimensionless,
 *     (0, 1]. Default 1/8, as RFC 6298: about the last 8 samples dominate, enough to ride out one
 *     slow ping without lagging a real change by more than a few heartbeats.
 * @param rttBeta gain of the RTT mean deviation ({@code rttvar += beta * (|srtt - r| - rttvar)}).
 *     Dimensionless, (0, 1]. Default 1/4, as RFC 6298: the deviation reacts faster than the mean so
 *     timeouts widen quickly when a link turns noisy.
 * @param jitterGain gain of the jitter EWMA over |r(i) - r(i-1)|. Dimensionless, (0, 1]. Default
 *     1/16, as the RTP interarrival jitter of RFC 3550 (noise-reducing, slow).
 * @param minRttWindowNs length of the sliding window over which the minimum RTT (the link's
 *     baseline, free of queueing) is taken. Nanoseconds, at least 1 ms. Default 30 s: long enough
 *     to contain an uncongested sample, short enough to follow a real route change.
 * @param minRttMaxEntries bound on the entries kept by the min-RTT window (memory bound; when
 *     exceeded the oldest candidate is dropped). Count, [2, 65536]. Default 256.
 * @param rttMinSamples RTT samples needed before the link may be declared congested by RTT.
 *     Count, at least 1. Default 4: one or two slow pings are not congestion.
 * @param congestionRttRatio the link is RTT-congested when srtt exceeds the windowed minimum by
 *     this factor... Dimensionless, at least 1. Default 1.5 (queues add half the base RTT).
 * @param congestionMinExcessNs ...and also by at least this absolute amount, so that 1 ms to 2 ms
 *     on a LAN is not "congestion". Nanoseconds, at least 0. Default 20 ms.
 * @param lossAlpha gain of the loss EWMA once warmed up (before that the plain mean of the samples
 *     so far is used, see {@link LossEstimator}). Dimensionless, (0, 1]. Default 1/16.
 * @param lossMinSamples outcomes needed before a loss ratio is considered confident. Count, at
 *     least 1. Default 8: one lost ping out of two samples is not 50% loss.
 * @param leadAlpha gain of the first-delivery lag EWMA. Dimensionless, (0, 1]. Default 1/8.
 * @param backlogFastAlpha gain of the fast backlog EWMA. Dimensionless, (0, 1]. Default 1/2.
 * @param backlogSlowAlpha gain of the slow backlog EWMA (the reference level). Dimensionless,
 *     (0, 1], at most backlogFastAlpha. Default 1/16.
 * @param backlogRiseRatio backlog is rising when the fast EWMA exceeds the slow one by this
 *     factor. Dimensionless, greater than 1. Default 1.5.
 * @param backlogMinBytes ...and the fast EWMA is at least this many queued bytes (small queues are
 *     normal). Bytes, at least 0. Default 64 KiB.
 * @param backlogMinSamples backlog samples needed before a rise can be reported. Count, at least
 *     1. Default 3.
 * @param unknownRttNs RTT assumed for a link with no RTT sample yet when estimating its cost; high
 *     so unmeasured links are not preferred over measured ones. Nanoseconds, at least 0. Default
 *     250 ms.
 * @param congestionPenaltyNs added to the cost estimate of a congested link. Nanoseconds, at least
 *     0. Default 200 ms.
 * @param timeoutMultiplier K in {@code srtt + K * rttvar} for {@link LinkStats#costNs}'s loss
 *     term. Dimensionless, at least 0. Default 4 (RFC 6298).
 * @param timeoutFloorNs lower bound of that timeout. Nanoseconds, at least 0. Default 50 ms.
 * @param timeoutCeilNs upper bound of that timeout, and its value before any RTT sample.
 *     Nanoseconds, at least timeoutFloorNs. Default 3 s.
 */
public record MeasureParams(
    double rttAlpha,
    double rttBeta,
    double jitterGain,
    long minRttWindowNs,
    int minRttMaxEntries,
    int rttMinSamples,
    double congestionRttRatio,
    long congestionMinExcessNs,
    double lossAlpha,
    int lossMinSamples,
    double leadAlpha,
    double backlogFastAlpha,
    double backlogSlowAlpha,
    double backlogRiseRatio,
    long backlogMinBytes,
    int backlogMinSamples,
    long unknownRttNs,
    long congestionPenaltyNs,
    double timeoutMultiplier,
    long timeoutFloorNs,
    long timeoutCeilNs) {

  private static final long MS = 1_000_000L;

  /** Validates every field; see {@link Builder} for the rules. */
  public MeasureParams {
    gain("rttAlpha", rttAlpha);
    gain("rttBeta", rttBeta);
    gain("jitterGain", jitterGain);
    atLeast("minRttWindowNs", minRttWindowNs, MS);
    if (minRttMaxEntries < 2 || minRttMaxEntries > 65536) {
      throw new IllegalArgumentException(
          "minRttMaxEntries must be in [2, 65536], was " + minRttMaxEntries);
    }
    atLeast("rttMinSamples", rttMinSamples, 1);
    if (!(congestionRttRatio >= 1.0) || Double.isInfinite(congestionRttRatio)) {
      throw new IllegalArgumentException(
          "congestionRttRatio must be finite and >= 1, was " + congestionRttRatio);
    }
    atLeast("congestionMinExcessNs", congestionMinExcessNs, 0);
    gain("lossAlpha", lossAlpha);
    atLeast("lossMinSamples", lossMinSamples, 1);
    gain("leadAlpha", leadAlpha);
    gain("backlogFastAlpha", backlogFastAlpha);
    gain("backlogSlowAlpha", backlogSlowAlpha);
    if (backlogSlowAlpha > backlogFastAlpha) {
      throw new IllegalArgumentException("backlogSlowAlpha must be <= backlogFastAlpha, was "
          + backlogSlowAlpha + " > " + backlogFastAlpha);
    }
    if (!(backlogRiseRatio > 1.0) || Double.isInfinite(backlogRiseRatio)) {
      throw new IllegalArgumentException(
          "backlogRiseRatio must be finite and > 1, was " + backlogRiseRatio);
    }
    atLeast("backlogMinBytes", backlogMinBytes, 0);
    atLeast("backlogMinSamples", backlogMinSamples, 1);
    atLeast("unknownRttNs", unknownRttNs, 0);
    atLeast("congestionPenaltyNs", congestionPenaltyNs, 0);
    if (!(timeoutMultiplier >= 0) || Double.isInfinite(timeoutMultiplier)) {
      throw new IllegalArgumentException(
          "timeoutMultiplier must be finite and >= 0, was " + timeoutMultiplier);
    }
    atLeast("timeoutFloorNs", timeoutFloorNs, 0);
    if (timeoutCeilNs < timeoutFloorNs) {
      throw new IllegalArgumentException("timeoutCeilNs must be >= timeoutFloorNs, was "
          + timeoutCeilNs + " < " + timeoutFloorNs);
    }
  }

  /** The documented defaults. */
  public static MeasureParams defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.rttAlpha = rttAlpha;
    b.rttBeta = rttBeta;
    b.jitterGain = jitterGain;
    b.minRttWindowNs = minRttWindowNs;
    b.minRttMaxEntries = minRttMaxEntries;
    b.rttMinSamples = rttMinSamples;
    b.congestionRttRatio = congestionRttRatio;
    b.congestionMinExcessNs = congestionMinExcessNs;
    b.lossAlpha = lossAlpha;
    b.lossMinSamples = lossMinSamples;
    b.leadAlpha = leadAlpha;
    b.backlogFastAlpha = backlogFastAlpha;
    b.backlogSlowAlpha = backlogSlowAlpha;
    b.backlogRiseRatio = backlogRiseRatio;
    b.backlogMinBytes = backlogMinBytes;
    b.backlogMinSamples = backlogMinSamples;
    b.unknownRttNs = unknownRttNs;
    b.congestionPenaltyNs = congestionPenaltyNs;
    b.timeoutMultiplier = timeoutMultiplier;
    b.timeoutFloorNs = timeoutFloorNs;
    b.timeoutCeilNs = timeoutCeilNs;
    return b;
  }

  private static void gain(String name, double v) {
    if (!(v > 0.0 && v <= 1.0)) {
      throw new IllegalArgumentException(name + " must be in (0, 1], was " + v);
    }
  }

  private static void atLeast(String name, long v, long min) {
    if (v < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", was " + v);
    }
  }

  /** Mutable builder; {@link #build()} validates. Field meanings are on {@link MeasureParams}. */
  public static final class Builder {
    private double rttAlpha = 1.0 / 8;
    private double rttBeta = 1.0 / 4;
    private double jitterGain = 1.0 / 16;
    private long minRttWindowNs = 30_000 * MS;
    private int minRttMaxEntries = 256;
    private int rttMinSamples = 4;
    private double congestionRttRatio = 1.5;
    private long congestionMinExcessNs = 20 * MS;
    private double lossAlpha = 1.0 / 16;
    private int lossMinSamples = 8;
    private double leadAlpha = 1.0 / 8;
    private double backlogFastAlpha = 1.0 / 2;
    private double backlogSlowAlpha = 1.0 / 16;
    private double backlogRiseRatio = 1.5;
    private long backlogMinBytes = 64 * 1024;
    private int backlogMinSamples = 3;
    private long unknownRttNs = 250 * MS;
    private long congestionPenaltyNs = 200 * MS;
    private double timeoutMultiplier = 4;
    private long timeoutFloorNs = 50 * MS;
    private long timeoutCeilNs = 3_000 * MS;

    private Builder() {}

    /** See {@link MeasureParams#rttAlpha()}. */
    public Builder rttAlpha(double v) {
      rttAlpha = v;
      return this;
    }

    /** See {@link MeasureParams#rttBeta()}. */
    public Builder rttBeta(double v) {
      rttBeta = v;
      return this;
    }

    /** See {@link MeasureParams#jitterGain()}. */
    public Builder jitterGain(double v) {
      jitterGain = v;
      return this;
    }

    /** See {@link MeasureParams#minRttWindowNs()}. */
    public Builder minRttWindowNs(long v) {
      minRttWindowNs = v;
      return this;
    }

    /** See {@link MeasureParams#minRttMaxEntries()}. */
    public Builder minRttMaxEntries(int v) {
      minRttMaxEntries = v;
      return this;
    }

    /** See {@link MeasureParams#rttMinSamples()}. */
    public Builder rttMinSamples(int v) {
      rttMinSamples = v;
      return this;
    }

    /** See {@link MeasureParams#congestionRttRatio()}. */
    public Builder congestionRttRatio(double v) {
      congestionRttRatio = v;
      return this;
    }

    /** See {@link MeasureParams#congestionMinExcessNs()}. */
    public Builder congestionMinExcessNs(long v) {
      congestionMinExcessNs = v;
      return this;
    }

    /** See {@link MeasureParams#lossAlpha()}. */
    public Builder lossAlpha(double v) {
      lossAlpha = v;
      return this;
    }

    /** See {@link MeasureParams#lossMinSamples()}. */
    public Builder lossMinSamples(int v) {
      lossMinSamples = v;
      return this;
    }

    /** See {@link MeasureParams#leadAlpha()}. */
    public Builder leadAlpha(double v) {
      leadAlpha = v;
      return this;
    }

    /** See {@link MeasureParams#backlogFastAlpha()}. */
    public Builder backlogFastAlpha(double v) {
      backlogFastAlpha = v;
      return this;
    }

    /** See {@link MeasureParams#backlogSlowAlpha()}. */
    public Builder backlogSlowAlpha(double v) {
      backlogSlowAlpha = v;
      return this;
    }

    /** See {@link MeasureParams#backlogRiseRatio()}. */
    public Builder backlogRiseRatio(double v) {
      backlogRiseRatio = v;
      return this;
    }

    /** See {@link MeasureParams#backlogMinBytes()}. */
    public Builder backlogMinBytes(long v) {
      backlogMinBytes = v;
      return this;
    }

    /** See {@link MeasureParams#backlogMinSamples()}. */
    public Builder backlogMinSamples(int v) {
      backlogMinSamples = v;
      return this;
    }

    /** See {@link MeasureParams#unknownRttNs()}. */
    public Builder unknownRttNs(long v) {
      unknownRttNs = v;
      return this;
    }

    /** See {@link MeasureParams#congestionPenaltyNs()}. */
    public Builder congestionPenaltyNs(long v) {
      congestionPenaltyNs = v;
      return this;
    }

    /** See {@link MeasureParams#timeoutMultiplier()}. */
    public Builder timeoutMultiplier(double v) {
      timeoutMultiplier = v;
      return this;
    }

    /** See {@link MeasureParams#timeoutFloorNs()}. */
    public Builder timeoutFloorNs(long v) {
      timeoutFloorNs = v;
      return this;
    }

    /** See {@link MeasureParams#timeoutCeilNs()}. */
    public Builder timeoutCeilNs(long v) {
      timeoutCeilNs = v;
      return this;
    }

    /** Validates and builds. @throws IllegalArgumentException naming the field and rule */
    public MeasureParams build() {
      return new MeasureParams(rttAlpha, rttBeta, jitterGain, minRttWindowNs, minRttMaxEntries,
          rttMinSamples, congestionRttRatio, congestionMinExcessNs, lossAlpha, lossMinSamples,
          leadAlpha, backlogFastAlpha, backlogSlowAlpha, backlogRiseRatio, backlogMinBytes,
          backlogMinSamples, unknownRttNs, congestionPenaltyNs, timeoutMultiplier, timeoutFloorNs,
          timeoutCeilNs);
    }
  }
}
