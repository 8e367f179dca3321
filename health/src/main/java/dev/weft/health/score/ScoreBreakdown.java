package dev.weft.health.score;

import dev.weft.core.identity.PeerId;
import java.util.List;
import java.util.Map;

/**
 * One peer's score taken apart, for operators asking "why is this peer's score what it is". Raw
 * values are the spec's P1–P7; {@code w…} values are the weighted contributions. The total is
 * {@code min(topicSum, cap) + p5Weighted + p6Weighted + p7Weighted} (the cap applies only when
 * positive and configured).
 *
 * @param peer the peer
 * @param nowNs when it was computed
 * @param known false when the peer has no record at all (everything 0)
 * @param connected whether the peer is connected (false: retained score)
 * @param retainedUntilNs when a disconnected peer's record is forgotten; 0 while connected
 * @param total the score the router sees
 * @param topicSum Σ_t w_t · (topic score), before the cap
 * @param topicContribution the topic part after the cap
 * @param topics per-topic detail, sorted by topic
 * @param p5 application-specific score (raw)
 * @param p5Weighted {@code w5 · P5}
 * @param ips the peer's known IPs
 * @param p6 IP colocation factor: Σ over non-whitelisted IPs of (peers on IP − threshold)²
 * @param p6Weighted {@code w6 · P6}
 * @param behaviourPenalty the decayed P7 counter
 * @param p7 (counter − threshold)² when above the threshold, else 0
 * @param p7Weighted {@code w7 · P7}
 * @param penaltiesByReason undecayed total of P7 counts added per reason (for the story)
 */
public record ScoreBreakdown(
    PeerId peer, long nowNs, boolean known, boolean connected, long retainedUntilNs,
    double total, double topicSum, double topicContribution, List<TopicBreakdown> topics,
    double p5, double p5Weighted, List<String> ips, double p6, double p6Weighted,
    double behaviourPenalty, double p7, double p7Weighted,
    Map<PenaltyReason, Double> penaltiesByReason) {

  /** Copies the collections. */
  public ScoreBreakdown {
    topics = List.copyOf(topics);
    ips = List.copyOf(ips);
    penaltiesByReason = Map.copyOf(penaltiesByReason);
  }

  /**
   * The part of the score that is evidence of misbehaviour rather than of poor performance:
   * Σ_t w_t·w4·P4 + w7·P7 + min(0, w5·P5). Delivery performance (P1–P3b) and colocation (P6) are
   * left out on purpose: a slow peer is routed around, not accused.
   */
  public double misbehaviour() {
    double s = 0;
    for (TopicBreakdown t : topics) {
      s += t.topicWeight() * t.w4p4();
    }
    return s + p7Weighted + Math.min(0, p5Weighted);
  }

  /**
   * One topic's part of the score.
   *
   * @param topic the topic
   * @param topicWeight {@code w_t}
   * @param inMesh whether the peer is in our mesh for it
   * @param meshTimeNs time in mesh so far (0 when not in mesh)
   * @param p3Active whether the mesh delivery deficit applies (mesh time past the activation)
   * @param p1 time in mesh / quantum, capped
   * @param p2 first message deliveries (decayed, capped counter)
   * @param meshMessageDeliveries the decayed P3 counter
   * @param p3 (threshold − deliveries)² when active and short, else 0
   * @param p3b sticky mesh failure penalty
   * @param invalidMessageDeliveries the decayed P4 counter
   * @param p4 counter²
   * @param w1p1 weighted P1
   * @param w2p2 weighted P2
   * @param w3p3 weighted P3
   * @param w3bp3b weighted P3b
   * @param w4p4 weighted P4
   * @param contribution {@code w_t · (w1p1 + w2p2 + w3p3 + w3bp3b + w4p4)}
   */
  public record TopicBreakdown(
      String topic, double topicWeight, boolean inMesh, long meshTimeNs, boolean p3Active,
      double p1, double p2, double meshMessageDeliveries, double p3, double p3b,
      double invalidMessageDeliveries, double p4,
      double w1p1, double w2p2, double w3p3, double w3bp3b, double w4p4, double contribution) {}
}
