package dev.weft.health.score;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Per-topic parameters of the GossipSub v1.1 peer score (spec "Topic Parameter Calculation";
 * go-libp2p-pubsub {@code TopicScoreParams}). Weights of penalties are ≤ 0, of rewards ≥ 0; every
 * decay is the factor a counter is multiplied by once per {@link PeerScoreParams#decayInterval()}.
 *
 * @param topicWeight {@code w_t}, ≥ 0: multiplies the whole topic score
 * @param timeInMeshWeight {@code w1} ≥ 0 (P1, time in mesh)
 * @param timeInMeshQuantum P1 unit: P1 = meshTime / quantum; &gt; 0 when w1 ≠ 0
 * @param timeInMeshCap P1 ceiling; &gt; 0 when w1 ≠ 0
 * @param firstMessageDeliveriesWeight {@code w2} ≥ 0 (P2, first deliveries)
 * @param firstMessageDeliveriesDecay P2 decay in (0, 1)
 * @param firstMessageDeliveriesCap P2 counter ceiling, &gt; 0
 * @param meshMessageDeliveriesWeight {@code w3} ≤ 0 (P3, mesh delivery deficit)
 * @param meshMessageDeliveriesDecay P3 counter decay in (0, 1)
 * @param meshMessageDeliveriesCap P3 counter ceiling, &gt; 0
 * @param meshMessageDeliveriesThreshold P3 expected deliveries, in (0, cap]
 * @param meshMessageDeliveriesWindow a duplicate this soon after validation counts for P3, ≥ 0
 * @param meshMessageDeliveriesActivation P3 applies only after this long in the mesh, ≥ 1 s
 * @param meshFailurePenaltyWeight {@code w3b} ≤ 0 (P3b, sticky deficit on prune)
 * @param meshFailurePenaltyDecay P3b decay in (0, 1)
 * @param invalidMessageDeliveriesWeight {@code w4} ≤ 0 (P4, invalid messages; squared counter)
 * @param invalidMessageDeliveriesDecay P4 decay in (0, 1)
 */
public record TopicScoreParams(
    double topicWeight,
    double timeInMeshWeight, Duration timeInMeshQuantum, double timeInMeshCap,
    double firstMessageDeliveriesWeight, double firstMessageDeliveriesDecay,
    double firstMessageDeliveriesCap,
    double meshMessageDeliveriesWeight, double meshMessageDeliveriesDecay,
    double meshMessageDeliveriesCap, double meshMessageDeliveriesThreshold,
    Duration meshMessageDeliveriesWindow, Duration meshMessageDeliveriesActivation,
    double meshFailurePenaltyWeight, double meshFailurePenaltyDecay,
    double invalidMessageDeliveriesWeight, double invalidMessageDeliveriesDecay) {

  /** Validates every rule (go's {@code TopicScoreParams.validate} plus weft's threshold ≤ cap). */
  public TopicScoreParams {
    Objects.requireNonNull(timeInMeshQuantum, "timeInMeshQuantum");
    Objects.requireNonNull(meshMessageDeliveriesWindow, "meshMessageDeliveriesWindow");
    Objects.requireNonNull(meshMessageDeliveriesActivation, "meshMessageDeliveriesActivation");
    List<String> e = new ArrayList<>();
    if (!(topicWeight >= 0)) {
      e.add("topicWeight=" + topicWeight + " must be >= 0");
    }
    if (!(timeInMeshWeight >= 0)) {
      e.add("timeInMeshWeight=" + timeInMeshWeight + " must be >= 0 (P1 is a reward)");
    }
    if (timeInMeshWeight != 0 && !(timeInMeshQuantum.toNanos() > 0)) {
      e.add("timeInMeshQuantum=" + timeInMeshQuantum + " must be > 0 when timeInMeshWeight != 0");
    }
    if (timeInMeshWeight != 0 && !(timeInMeshCap > 0)) {
      e.add("timeInMeshCap=" + timeInMeshCap + " must be > 0 when timeInMeshWeight != 0");
    }
    if (!(firstMessageDeliveriesWeight >= 0)) {
      e.add("firstMessageDeliveriesWeight=" + firstMessageDeliveriesWeight
          + " must be >= 0 (P2 is a reward)");
    }
    if (firstMessageDeliveriesWeight != 0) {
      decay(e, "firstMessageDeliveriesDecay", firstMessageDeliveriesDecay);
      if (!(firstMessageDeliveriesCap > 0)) {
        e.add("firstMessageDeliveriesCap=" + firstMessageDeliveriesCap + " must be > 0");
      }
    }
    if (!(meshMessageDeliveriesWeight <= 0)) {
      e.add("meshMessageDeliveriesWeight=" + meshMessageDeliveriesWeight
          + " must be <= 0 (P3 is a penalty)");
    }
    if (meshMessageDeliveriesWeight != 0) {
      decay(e, "meshMessageDeliveriesDecay", meshMessageDeliveriesDecay);
      if (!(meshMessageDeliveriesCap > 0)) {
        e.add("meshMessageDeliveriesCap=" + meshMessageDeliveriesCap + " must be > 0");
      }
      if (!(meshMessageDeliveriesThreshold > 0)) {
        e.add("meshMessageDeliveriesThreshold=" + meshMessageDeliveriesThreshold
            + " must be > 0");
      } else if (meshMessageDeliveriesThreshold > meshMessageDeliveriesCap) {
        e.add("meshMessageDeliveriesThreshold=" + meshMessageDeliveriesThreshold
            + " must be <= meshMessageDeliveriesCap=" + meshMessageDeliveriesCap
            + " (a capped counter could never reach it)");
      }
      if (meshMessageDeliveriesWindow.isNegative()) {
        e.add("meshMessageDeliveriesWindow=" + meshMessageDeliveriesWindow + " must be >= 0");
      }
      if (meshMessageDeliveriesActivation.compareTo(Duration.ofSeconds(1)) < 0) {
        e.add("meshMessageDeliveriesActivation=" + meshMessageDeliveriesActivation
            + " must be >= 1s");
      }
    }
    if (!(meshFailurePenaltyWeight <= 0)) {
      e.add("meshFailurePenaltyWeight=" + meshFailurePenaltyWeight
          + " must be <= 0 (P3b is a penalty)");
    }
    if (meshFailurePenaltyWeight != 0) {
      decay(e, "meshFailurePenaltyDecay", meshFailurePenaltyDecay);
    }
    if (!(invalidMessageDeliveriesWeight <= 0)) {
      e.add("invalidMessageDeliveriesWeight=" + invalidMessageDeliveriesWeight
          + " must be <= 0 (P4 is a penalty)");
    }
    decay(e, "invalidMessageDeliveriesDecay", invalidMessageDeliveriesDecay);
    if (!e.isEmpty()) {
      throw new IllegalArgumentException("invalid topic score parameters: " + String.join("; ", e));
    }
  }

  static void decay(List<String> e, String name, double v) {
    if (!(v > 0 && v < 1)) {
      e.add(name + "=" + v + " must be in (0, 1)");
    }
  }

  /**
   * js-libp2p-gossipsub's topic defaults (digest §6.8): topic weight 0.5; P1 1/1 s/cap 3600; P2 1,
   * decay 0.5, cap 2000; P3 −1, decay 0.5, cap 100, threshold 20, window 10 ms, activation 5 s;
   * P3b −1, decay 0.5; P4 −1, decay 0.3. Note that with these a mesh peer whose copies arrive more
   * than 10 ms late costs 20² × w3 (−1) × w_t (0.5) = −200, far below the js graylist (−80): fine
   * on a LAN, harsh on a lossy WAN link.
   */
  public static TopicScoreParams jsDefaults() {
    return builder().build();
  }

  /**
   * weft's market-data topic preset (see docs/health.md). The design rule: delivery performance
   * (P3, P3b) alone can push a peer below 0 (so the router routes around it) but never below the
   * js gossip threshold −10, let alone graylist; only misbehaviour (P4, P7) can. Values: topic
   * weight 1; P1 0.01 per second capped at 3600 s (max +36 → a long-lived peer earns slack);
   * P2 1 per first delivery, decay 0.9, cap 50 (max +50); P3 expected 10 deliveries per decay
   * half-life (threshold 10, cap 100, decay 0.9), weight −0.08 so the worst deficit costs
   * −8, window 500 ms (a copy 300 ms late still counts), activation 10 s; P3b −0.02, decay 0.95
   * (max about −2 per failed mesh stint, sticky for ~ a minute); P4 −20 with decay 0.99 (two
   * invalid messages → −80 = graylist; slowly forgotten, half-life ≈ 70 s).
   */
  public static TopicScoreParams weftMarketData() {
    return builder().topicWeight(1)
        .timeInMeshWeight(0.01).timeInMeshQuantum(Duration.ofSeconds(1)).timeInMeshCap(3600)
        .firstMessageDeliveriesWeight(1).firstMessageDeliveriesDecay(0.9)
        .firstMessageDeliveriesCap(50)
        .meshMessageDeliveriesWeight(-0.08).meshMessageDeliveriesDecay(0.9)
        .meshMessageDeliveriesCap(100).meshMessageDeliveriesThreshold(10)
        .meshMessageDeliveriesWindow(Duration.ofMillis(500))
        .meshMessageDeliveriesActivation(Duration.ofSeconds(10))
        .meshFailurePenaltyWeight(-0.02).meshFailurePenaltyDecay(0.95)
        .invalidMessageDeliveriesWeight(-20).invalidMessageDeliveriesDecay(0.99)
        .build();
  }

  /** A builder starting from the js defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.topicWeight = topicWeight;
    b.timeInMeshWeight = timeInMeshWeight;
    b.timeInMeshQuantum = timeInMeshQuantum;
    b.timeInMeshCap = timeInMeshCap;
    b.firstMessageDeliveriesWeight = firstMessageDeliveriesWeight;
    b.firstMessageDeliveriesDecay = firstMessageDeliveriesDecay;
    b.firstMessageDeliveriesCap = firstMessageDeliveriesCap;
    b.meshMessageDeliveriesWeight = meshMessageDeliveriesWeight;
    b.meshMessageDeliveriesDecay = meshMessageDeliveriesDecay;
    b.meshMessageDeliveriesCap = meshMessageDeliveriesCap;
    b.meshMessageDeliveriesThreshold = meshMessageDeliveriesThreshold;
    b.meshMessageDeliveriesWindow = meshMessageDeliveriesWindow;
    b.meshMessageDeliveriesActivation = meshMessageDeliveriesActivation;
    b.meshFailurePenaltyWeight = meshFailurePenaltyWeight;
    b.meshFailurePenaltyDecay = meshFailurePenaltyDecay;
    b.invalidMessageDeliveriesWeight = invalidMessageDeliveriesWeight;
    b.invalidMessageDeliveriesDecay = invalidMessageDeliveriesDecay;
    return b;
  }

  /** Mutable builder; {@link #build()} validates. Defaults are js-libp2p's. */
  public static final class Builder {
    private double topicWeight = 0.5;
    private double timeInMeshWeight = 1;
    private Duration timeInMeshQuantum = Duration.ofSeconds(1);
    private double timeInMeshCap = 3600;
    private double firstMessageDeliveriesWeight = 1;
    private double firstMessageDeliveriesDecay = 0.5;
    private double firstMessageDeliveriesCap = 2000;
    private double meshMessageDeliveriesWeight = -1;
    private double meshMessageDeliveriesDecay = 0.5;
    private double meshMessageDeliveriesCap = 100;
    private double meshMessageDeliveriesThreshold = 20;
    private Duration meshMessageDeliveriesWindow = Duration.ofMillis(10);
    private Duration meshMessageDeliveriesActivation = Duration.ofSeconds(5);
    private double meshFailurePenaltyWeight = -1;
    private double meshFailurePenaltyDecay = 0.5;
    private double invalidMessageDeliveriesWeight = -1;
    private double invalidMessageDeliveriesDecay = 0.3;

    private Builder() {}

    /** {@code w_t}. */
    public Builder topicWeight(double v) { topicWeight = v; return this; }
    /** {@code w1}. */
    public Builder timeInMeshWeight(double v) { timeInMeshWeight = v; return this; }
    /** P1 quantum. */
    public Builder timeInMeshQuantum(Duration v) { timeInMeshQuantum = v; return this; }
    /** P1 cap. */
    public Builder timeInMeshCap(double v) { timeInMeshCap = v; return this; }
    /** {@code w2}. */
    public Builder firstMessageDeliveriesWeight(double v) { firstMessageDeliveriesWeight = v; return this; }
    /** P2 decay. */
    public Builder firstMessageDeliveriesDecay(double v) { firstMessageDeliveriesDecay = v; return this; }
    /** P2 cap. */
    public Builder firstMessageDeliveriesCap(double v) { firstMessageDeliveriesCap = v; return this; }
    /** {@code w3}. */
    public Builder meshMessageDeliveriesWeight(double v) { meshMessageDeliveriesWeight = v; return this; }
    /** P3 decay. */
    public Builder meshMessageDeliveriesDecay(double v) { meshMessageDeliveriesDecay = v; return this; }
    /** P3 cap. */
    public Builder meshMessageDeliveriesCap(double v) { meshMessageDeliveriesCap = v; return this; }
    /** P3 threshold. */
    public Builder meshMessageDeliveriesThreshold(double v) { meshMessageDeliveriesThreshold = v; return this; }
    /** P3 near-first window. */
    public Builder meshMessageDeliveriesWindow(Duration v) { meshMessageDeliveriesWindow = v; return this; }
    /** P3 activation. */
    public Builder meshMessageDeliveriesActivation(Duration v) { meshMessageDeliveriesActivation = v; return this; }
    /** {@code w3b}. */
    public Builder meshFailurePenaltyWeight(double v) { meshFailurePenaltyWeight = v; return this; }
    /** P3b decay. */
    public Builder meshFailurePenaltyDecay(double v) { meshFailurePenaltyDecay = v; return this; }
    /** {@code w4}. */
    public Builder invalidMessageDeliveriesWeight(double v) { invalidMessageDeliveriesWeight = v; return this; }
    /** P4 decay. */
    public Builder invalidMessageDeliveriesDecay(double v) { invalidMessageDeliveriesDecay = v; return this; }

    /** Validates and builds; throws IllegalArgumentException naming every broken field and rule. */
    public TopicScoreParams build() {
      return new TopicScoreParams(topicWeight, timeInMeshWeight, timeInMeshQuantum, timeInMeshCap,
          firstMessageDeliveriesWeight, firstMessageDeliveriesDecay, firstMessageDeliveriesCap,
          meshMessageDeliveriesWeight, meshMessageDeliveriesDecay, meshMessageDeliveriesCap,
          meshMessageDeliveriesThreshold, meshMessageDeliveriesWindow,
          meshMessageDeliveriesActivation, meshFailurePenaltyWeight, meshFailurePenaltyDecay,
          invalidMessageDeliveriesWeight, invalidMessageDeliveriesDecay);
    }
  }
}
