package dev.weft.routing.measure;

import java.util.Objects;

/**
 * All measurements of one link (one peer): RTT, loss, first-delivery lead and outbound backlog,
 * with the derived congestion flag and latency cost. Not thread-safe; time only via {@code nowNs}.
 *
 * @param <K> peer key type
 */
public final class LinkStats<K> {
  private final K peer;
  private final MeasureParams params;
  private final RttEstimator rtt;
  private final LossEstimator loss;
  private final DeliveryLead lead;
  private final BacklogTracker backlog;

  /** Empty statistics for {@code peer}. */
  public LinkStats(K peer, MeasureParams params) {
    this.peer = Objects.requireNonNull(peer, "peer");
    this.params = Objects.requireNonNull(params, "params");
    this.rtt = new RttEstimator(params);
    this.loss = new LossEstimator(params);
    this.lead = new DeliveryLead(params);
    this.backlog = new BacklogTracker(params);
  }

  /** The peer these statistics describe. */
  public K peer() {
    return peer;
  }

  /** RTT estimator (mutable, owned by this object). */
  public RttEstimator rtt() {
    return rtt;
  }

  /** Loss estimator (mutable, owned by this object). */
  public LossEstimator loss() {
    return loss;
  }

  /** First-delivery statistics (mutable, owned by this object). */
  public DeliveryLead lead() {
    return lead;
  }

  /** Backlog tracker (mutable, owned by this object). */
  public BacklogTracker backlog() {
    return backlog;
  }

  /**
   * True when, with at least {@code rttMinSamples} samples, the smoothed RTT exceeds the windowed
   * minimum by the factor {@code congestionRttRatio} and by at least {@code congestionMinExcessNs}.
   */
  public boolean rttCongested(long nowNs) {
    if (rtt.samples() < params.rttMinSamples()) {
      return false;
    }
    long base = rtt.minRttNs(nowNs);
    double s = rtt.srttNs();
    return s > base * params.congestionRttRatio() && s - base >= params.congestionMinExcessNs();
  }

  /** RTT congestion or a rising backlog. */
  public boolean congested(long nowNs) {
    return rttCongested(nowNs) || backlog.isRising();
  }

  /**
   * Retransmission-style timeout from the measured RTT, with the multiplier, floor and ceiling of
   * the parameters; see {@link RttEstimator#timeoutNs}.
   */
  public long timeoutNs() {
    return rtt.timeoutNs(params.timeoutMultiplier(), params.timeoutFloorNs(),
        params.timeoutCeilNs());
  }

  /**
   * Expected cost of sending a message over this link, in ns, for comparing links (lower is
   * better): {@code srtt} (or {@code unknownRttNs} before any sample) plus
   * {@code weightedLoss * timeoutNs()} (a lost copy costs a repair round) plus
   * {@code congestionPenaltyNs} when congested. A ranking value, not a prediction.
   */
  public long costNs(long nowNs) {
    double base = rtt.samples() == 0 ? params.unknownRttNs() : rtt.srttNs();
    double cost = base + loss.weightedRatio() * timeoutNs();
    if (congested(nowNs)) {
      cost += params.congestionPenaltyNs();
    }
    return (long) Math.ceil(cost);
  }

  /** An immutable snapshot at {@code nowNs}. */
  public LinkSnapshot<K> snapshot(long nowNs) {
    boolean hasRtt = rtt.samples() > 0;
    return new LinkSnapshot<>(
        peer,
        rtt.samples(),
        hasRtt ? Math.round(rtt.srttNs()) : -1,
        hasRtt ? Math.round(rtt.rttvarNs()) : -1,
        hasRtt ? Math.round(rtt.jitterNs()) : -1,
        rtt.minRttNs(nowNs),
        loss.ratio(),
        loss.confidence(),
        loss.samples(),
        lead.samples() > 0 ? Math.round(lead.lagNs()) : -1,
        lead.samples(),
        lead.firsts(),
        backlog.lastBytes(),
        Math.round(backlog.fastBytes()),
        backlog.isRising(),
        congested(nowNs),
        costNs(nowNs),
        nowNs);
  }
}
