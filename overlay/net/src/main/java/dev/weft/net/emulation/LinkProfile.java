package dev.weft.net.emulation;

import java.util.Objects;

/**
 * The emulated properties of one direction of one link. Immutable; build with {@link #builder()},
 * which validates every field and names it in the error.
 *
 * @param latencyMs fixed one-way delay added to every write. Milliseconds, [0, 600000]. Default 0.
 * @param jitterMs maximal deviation added to (or removed from) the latency of each write, drawn
 *     uniformly from {@code [-jitterMs, +jitterMs]}; the total delay never goes below 0 and
 *     writes are never reordered. Milliseconds, [0, 600000]. Default 0.
 * @param lossRatio probability that a write suffers a "loss". Bytes cannot be dropped from a TCP
 *     stream without corrupting it, so a loss is modelled as TCP feels it: the write (and,
 *     because the stream is ordered, everything behind it) is delayed by {@code lossPenaltyMs},
 *     a retransmission timeout. Probability, [0, 1]. Default 0.
 * @param lossPenaltyMs the extra delay of a lost write. Milliseconds, [0, 600000]. Default 200
 *     (Linux's minimum TCP RTO).
 * @param bandwidthBytesPerSec serialisation rate of the link: a write of {@code n} bytes occupies
 *     the link for {@code n / rate} seconds and later writes wait for it. Bytes per second, 0 for
 *     unlimited, else at least 1. Default 0.
 * @param partitioned whether the link is cut. Default false.
 * @param partitionMode what happens to the connection while cut. Default {@link PartitionMode#HOLD}.
 */
public record LinkProfile(
    long latencyMs,
    long jitterMs,
    double lossRatio,
    long lossPenaltyMs,
    long bandwidthBytesPerSec,
    boolean partitioned,
    PartitionMode partitionMode) {

  private static final long MAX_MS = 600_000;

  /** A perfect link: no delay, no loss, unlimited bandwidth, connected. */
  public static final LinkProfile IDEAL = builder().build();

  /** Validates every field; see the record description for the ranges. */
  public LinkProfile {
    ms("latencyMs", latencyMs);
    ms("jitterMs", jitterMs);
    ms("lossPenaltyMs", lossPenaltyMs);
    if (!(lossRatio >= 0 && lossRatio <= 1)) {
      throw new IllegalArgumentException("lossRatio must be in [0, 1], was " + lossRatio);
    }
    if (bandwidthBytesPerSec < 0) {
      throw new IllegalArgumentException(
          "bandwidthBytesPerSec must be >= 0 (0 = unlimited), was " + bandwidthBytesPerSec);
    }
    Objects.requireNonNull(partitionMode, "partitionMode must not be null");
  }

  private static void ms(String name, long v) {
    if (v < 0 || v > MAX_MS) {
      throw new IllegalArgumentException(name + " must be in [0, " + MAX_MS + "], was " + v);
    }
  }

  /** A builder starting from {@link #IDEAL}'s values. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this profile. */
  public Builder toBuilder() {
    return new Builder()
        .latencyMs(latencyMs)
        .jitterMs(jitterMs)
        .lossRatio(lossRatio)
        .lossPenaltyMs(lossPenaltyMs)
        .bandwidthBytesPerSec(bandwidthBytesPerSec)
        .partitioned(partitioned)
        .partitionMode(partitionMode);
  }

  /** This profile with {@code partitioned} replaced. */
  public LinkProfile withPartitioned(boolean cut) {
    return toBuilder().partitioned(cut).build();
  }

  /** True when the profile changes nothing: writes may bypass the emulator's queue. */
  public boolean isIdeal() {
    return latencyMs == 0 && jitterMs == 0 && lossRatio == 0 && bandwidthBytesPerSec == 0
        && !partitioned;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private long latencyMs;
    private long jitterMs;
    private double lossRatio;
    private long lossPenaltyMs = 200;
    private long bandwidthBytesPerSec;
    private boolean partitioned;
    private PartitionMode partitionMode = PartitionMode.HOLD;

    private Builder() {}

    /** See {@link LinkProfile#latencyMs()}. */
    public Builder latencyMs(long v) {
      latencyMs = v;
      return this;
    }

    /** See {@link LinkProfile#jitterMs()}. */
    public Builder jitterMs(long v) {
      jitterMs = v;
      return this;
    }

    /** See {@link LinkProfile#lossRatio()}. */
    public Builder lossRatio(double v) {
      lossRatio = v;
      return this;
    }

    /** See {@link LinkProfile#lossPenaltyMs()}. */
    public Builder lossPenaltyMs(long v) {
      lossPenaltyMs = v;
      return this;
    }

    /** See {@link LinkProfile#bandwidthBytesPerSec()}. */
    public Builder bandwidthBytesPerSec(long v) {
      bandwidthBytesPerSec = v;
      return this;
    }

    /** See {@link LinkProfile#partitioned()}. */
    public Builder partitioned(boolean v) {
      partitioned = v;
      return this;
    }

    /** See {@link LinkProfile#partitionMode()}. */
    public Builder partitionMode(PartitionMode v) {
      partitionMode = v;
      return this;
    }

    /** Validates and builds. @throws IllegalArgumentException naming the bad field */
    public LinkProfile build() {
      return new LinkProfile(latencyMs, jitterMs, lossRatio, lossPenaltyMs, bandwidthBytesPerSec,
          partitioned, partitionMode);
    }
  }
}
