package dev.weft.health.score;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Global parameters of the GossipSub v1.1 peer score (spec "Peer Scoring"; go-libp2p-pubsub
 * {@code PeerScoreParams}). The application-specific score function (P5) is not a parameter here:
 * it is set on {@link PeerScore#setAppSpecificScore} because it is behaviour, not configuration.
 *
 * @param topics per-topic parameters; topics not listed contribute nothing (as in go and js)
 * @param topicScoreCap cap on the sum of positive topic contributions; 0 = no cap; ≥ 0
 * @param appSpecificWeight {@code w5} (any sign; the function's result is multiplied by it)
 * @param ipColocationFactorWeight {@code w6} ≤ 0
 * @param ipColocationFactorThreshold peers per IP tolerated before P6 applies; ≥ 1 when w6 ≠ 0
 * @param ipColocationFactorWhitelist IPs (textual) exempt from P6, e.g. a test swarm's 127.0.0.1
 * @param behaviourPenaltyWeight {@code w7} ≤ 0
 * @param behaviourPenaltyThreshold P7 counter value tolerated before the penalty applies; ≥ 0
 * @param behaviourPenaltyDecay P7 decay in (0, 1) when w7 ≠ 0
 * @param decayInterval how often counters decay; ≥ 1 s (go's rule)
 * @param decayToZero a decayed counter below this becomes 0; in (0, 1)
 * @param retainScore how long a disconnected peer's non-positive score is remembered; ≥ 0
 */
public record PeerScoreParams(
    Map<String, TopicScoreParams> topics, double topicScoreCap,
    double appSpecificWeight,
    double ipColocationFactorWeight, double ipColocationFactorThreshold,
    Set<String> ipColocationFactorWhitelist,
    double behaviourPenaltyWeight, double behaviourPenaltyThreshold, double behaviourPenaltyDecay,
    Duration decayInterval, double decayToZero, Duration retainScore) {

  /** Validates every rule (go's {@code PeerScoreParams.validate}); copies the collections. */
  public PeerScoreParams {
    Objects.requireNonNull(decayInterval, "decayInterval");
    Objects.requireNonNull(retainScore, "retainScore");
    topics = java.util.Collections.unmodifiableMap(new TreeMap<>(topics == null ? Map.of() : topics));
    ipColocationFactorWhitelist = java.util.Collections.unmodifiableSet(
        new TreeSet<>(ipColocationFactorWhitelist == null ? Set.of() : ipColocationFactorWhitelist));
    List<String> e = new ArrayList<>();
    for (Map.Entry<String, TopicScoreParams> t : topics.entrySet()) {
      if (t.getValue() == null) {
        e.add("topics[" + t.getKey() + "] must not be null");
      }
    }
    if (!(topicScoreCap >= 0)) {
      e.add("topicScoreCap=" + topicScoreCap + " must be >= 0 (0 = no cap)");
    }
    if (Double.isNaN(appSpecificWeight)) {
      e.add("appSpecificWeight must be a number");
    }
    if (!(ipColocationFactorWeight <= 0)) {
      e.add("ipColocationFactorWeight=" + ipColocationFactorWeight
          + " must be <= 0 (P6 is a penalty; 0 disables)");
    }
    if (ipColocationFactorWeight != 0 && !(ipColocationFactorThreshold >= 1)) {
      e.add("ipColocationFactorThreshold=" + ipColocationFactorThreshold
          + " must be >= 1 when ipColocationFactorWeight != 0");
    }
    if (!(behaviourPenaltyWeight <= 0)) {
      e.add("behaviourPenaltyWeight=" + behaviourPenaltyWeight
          + " must be <= 0 (P7 is a penalty; 0 disables)");
    }
    if (behaviourPenaltyWeight != 0 && !(behaviourPenaltyDecay > 0 && behaviourPenaltyDecay < 1)) {
      e.add("behaviourPenaltyDecay=" + behaviourPenaltyDecay + " must be in (0, 1)");
    }
    if (!(behaviourPenaltyThreshold >= 0)) {
      e.add("behaviourPenaltyThreshold=" + behaviourPenaltyThreshold + " must be >= 0");
    }
    if (decayInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      e.add("decayInterval=" + decayInterval + " must be >= 1s");
    }
    if (!(decayToZero > 0 && decayToZero < 1)) {
      e.add("decayToZero=" + decayToZero + " must be in (0, 1)");
    }
    if (retainScore.isNegative()) {
      e.add("retainScore=" + retainScore + " must be >= 0");
    }
    if (!e.isEmpty()) {
      throw new IllegalArgumentException("invalid peer score parameters: " + String.join("; ", e));
    }
  }

  /**
   * js-libp2p-gossipsub's defaults (digest §6.8): no topics, topic cap 10, w5 10 (function returns
   * 0 unless set), w6 −5 threshold 10, w7 −10 threshold 0 decay 0.2, decay interval 1 s,
   * decayToZero 0.1, retain 1 h.
   */
  public static PeerScoreParams jsDefaults() {
    return builder().build();
  }

  /**
   * weft's preset for market-data overlays: {@code marketTopics} use {@link
   * TopicScoreParams#weftMarketData()}; topic cap 100; w5 1; P6 −10 above 8 peers per IP (a NAT or
   * a small office stays free, a Sybil swarm does not); P7 −2 above a tolerance of 6 with decay 0.9
   * per second (a lossy link's occasional broken IWANT promise decays away; a black hole's stream
   * of broken promises reaches the graylist); decay every 1 s, decayToZero 0.01, retain 1 h.
   */
  public static PeerScoreParams weftMarketData(String... marketTopics) {
    Builder b = builder().topicScoreCap(100).appSpecificWeight(1)
        .ipColocationFactorWeight(-10).ipColocationFactorThreshold(8)
        .behaviourPenaltyWeight(-2).behaviourPenaltyThreshold(6).behaviourPenaltyDecay(0.9)
        .decayInterval(Duration.ofSeconds(1)).decayToZero(0.01).retainScore(Duration.ofHours(1));
    for (String t : marketTopics) {
      b.topic(t, TopicScoreParams.weftMarketData());
    }
    return b.build();
  }

  /** A builder starting from the js defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.topics.putAll(topics);
    b.topicScoreCap = topicScoreCap;
    b.appSpecificWeight = appSpecificWeight;
    b.ipColocationFactorWeight = ipColocationFactorWeight;
    b.ipColocationFactorThreshold = ipColocationFactorThreshold;
    b.ipColocationFactorWhitelist.addAll(ipColocationFactorWhitelist);
    b.behaviourPenaltyWeight = behaviourPenaltyWeight;
    b.behaviourPenaltyThreshold = behaviourPenaltyThreshold;
    b.behaviourPenaltyDecay = behaviourPenaltyDecay;
    b.decayInterval = decayInterval;
    b.decayToZero = decayToZero;
    b.retainScore = retainScore;
    return b;
  }

  /** Mutable builder; {@link #build()} validates. Defaults are js-libp2p's. */
  public static final class Builder {
    private final Map<String, TopicScoreParams> topics = new LinkedHashMap<>();
    private double topicScoreCap = 10;
    private double appSpecificWeight = 10;
    private double ipColocationFactorWeight = -5;
    private double ipColocationFactorThreshold = 10;
    private final Set<String> ipColocationFactorWhitelist = new TreeSet<>();
    private double behaviourPenaltyWeight = -10;
    private double behaviourPenaltyThreshold = 0;
    private double behaviourPenaltyDecay = 0.2;
    private Duration decayInterval = Duration.ofSeconds(1);
    private double decayToZero = 0.1;
    private Duration retainScore = Duration.ofHours(1);

    private Builder() {}

    /** Adds or replaces one topic's parameters. */
    public Builder topic(String topic, TopicScoreParams p) {
      topics.put(Objects.requireNonNull(topic, "topic"), p);
      return this;
    }

    /** Topic cap. */
    public Builder topicScoreCap(double v) { topicScoreCap = v; return this; }
    /** {@code w5}. */
    public Builder appSpecificWeight(double v) { appSpecificWeight = v; return this; }
    /** {@code w6}. */
    public Builder ipColocationFactorWeight(double v) { ipColocationFactorWeight = v; return this; }
    /** P6 threshold. */
    public Builder ipColocationFactorThreshold(double v) { ipColocationFactorThreshold = v; return this; }
    /** Adds an IP exempt from P6. */
    public Builder whitelistIp(String ip) { ipColocationFactorWhitelist.add(ip); return this; }
    /** {@code w7}. */
    public Builder behaviourPenaltyWeight(double v) { behaviourPenaltyWeight = v; return this; }
    /** P7 threshold. */
    public Builder behaviourPenaltyThreshold(double v) { behaviourPenaltyThreshold = v; return this; }
    /** P7 decay. */
    public Builder behaviourPenaltyDecay(double v) { behaviourPenaltyDecay = v; return this; }
    /** Decay interval. */
    public Builder decayInterval(Duration v) { decayInterval = v; return this; }
    /** Decay-to-zero floor. */
    public Builder decayToZero(double v) { decayToZero = v; return this; }
    /** Retention after disconnect. */
    public Builder retainScore(Duration v) { retainScore = v; return this; }

    /** Validates and builds; throws IllegalArgumentException naming every broken field and rule. */
    public PeerScoreParams build() {
      return new PeerScoreParams(topics, topicScoreCap, appSpecificWeight,
          ipColocationFactorWeight, ipColocationFactorThreshold, ipColocationFactorWhitelist,
          behaviourPenaltyWeight, behaviourPenaltyThreshold, behaviourPenaltyDecay,
          decayInterval, decayToZero, retainScore);
    }
  }
}
