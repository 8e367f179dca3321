package dev.weft.health.score;

import dev.weft.core.identity.PeerId;
import java.util.List;
import java.util.Objects;

/**
 * The persistent part of a peer's score: what survives a disconnect (and, through {@code
 * HealthSnapshot}, a restart). Time-in-mesh and mesh membership are not kept; first-delivery
 * credit is dropped as on disconnect (spec: retained scores must not be an asset).
 *
 * @param peer the peer
 * @param retainRemainingNs how much longer the record is kept, ≥ 0
 * @param behaviourPenalty the P7 counter
 * @param ips the peer's IPs (for P6 while retained)
 * @param topics per-topic counters
 */
public record RetainedScore(
    PeerId peer, long retainRemainingNs, double behaviourPenalty, List<String> ips,
    List<Topic> topics) {

  /** Checks arguments and copies the lists. */
  public RetainedScore {
    Objects.requireNonNull(peer, "peer");
    if (retainRemainingNs < 0) {
      throw new IllegalArgumentException("retainRemainingNs=" + retainRemainingNs + " must be >= 0");
    }
    ips = List.copyOf(ips);
    topics = List.copyOf(topics);
  }

  /**
   * Retained counters of one topic.
   *
   * @param topic the topic
   * @param meshMessageDeliveries P3 counter
   * @param meshFailurePenalty P3b
   * @param invalidMessageDeliveries P4 counter
   */
  public record Topic(String topic, double meshMessageDeliveries, double meshFailurePenalty,
      double invalidMessageDeliveries) {
    /** Checks the topic. */
    public Topic {
      Objects.requireNonNull(topic, "topic");
    }
  }
}
