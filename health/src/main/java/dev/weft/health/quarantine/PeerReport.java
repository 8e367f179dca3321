package dev.weft.health.quarantine;

import dev.weft.core.identity.PeerId;
import dev.weft.health.score.ScoreBreakdown;
import dev.weft.health.signals.MeshVerdict;
import dev.weft.health.signals.RateLimitKind;
import dev.weft.health.signals.ViolationKind;
import java.util.List;
import java.util.Map;

/**
 * Everything the health subsystem knows about one peer, for {@code explain}.
 *
 * @param peer the peer
 * @param state its state
 * @param sinceNs when it entered the state
 * @param untilNs when a QUARANTINED/BANNED state ends (Long.MAX_VALUE: never); 0 otherwise
 * @param graylisted whether the router ignores its RPCs
 * @param history its transitions, oldest first (bounded)
 * @param score the score breakdown
 * @param violations all-time violation totals
 * @param rateLimitViolations all-time hard rate-limit violations per budget
 * @param meshVerdict the black-hole detector's last verdict
 * @param quarantines quarantines in the current ban window
 * @param bans bans so far
 */
public record PeerReport(PeerId peer, HealthState state, long sinceNs, long untilNs,
    boolean graylisted, List<Transition> history, ScoreBreakdown score,
    Map<ViolationKind, Long> violations, Map<RateLimitKind, Long> rateLimitViolations,
    MeshVerdict meshVerdict, int quarantines, int bans) {
  /** Copies the collections. */
  public PeerReport {
    history = List.copyOf(history);
    violations = Map.copyOf(violations);
    rateLimitViolations = Map.copyOf(rateLimitViolations);
  }

  /**
   * A multi-line human-readable rendering for operators (CLI {@code explain}). Times are shown in
   * seconds of the node's monotonic clock, as the node reports them.
   */
  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append("peer ").append(peer).append('\n');
    b.append("  state ").append(state).append(" since ").append(secs(sinceNs));
    if (untilNs != 0) {
      b.append(" until ").append(untilNs == Long.MAX_VALUE ? "released" : secs(untilNs));
    }
    b.append(graylisted ? " (graylisted)" : "").append('\n');
    b.append(String.format(java.util.Locale.ROOT,
        "  score %.2f = topics %.2f (uncapped %.2f) + P5 %.2f + P6 %.2f + P7 %.2f;"
            + " misbehaviour %.2f%n", score.total(), score.topicContribution(), score.topicSum(),
        score.p5Weighted(), score.p6Weighted(), score.p7Weighted(), score.misbehaviour()));
    for (ScoreBreakdown.TopicBreakdown t : score.topics()) {
      b.append(String.format(java.util.Locale.ROOT,
          "    %s w=%.2f%s: P1 %.2f P2 %.2f P3 %.2f%s P3b %.2f P4 %.2f → %.2f%n", t.topic(),
          t.topicWeight(), t.inMesh() ? " mesh" : "", t.w1p1(), t.w2p2(), t.w3p3(),
          t.p3Active() ? "" : " (inactive)", t.w3bp3b(), t.w4p4(), t.contribution()));
    }
    if (!score.penaltiesByReason().isEmpty()) {
      b.append("  behaviour penalties ").append(new java.util.TreeMap<>(score.penaltiesByReason()))
          .append('\n');
    }
    if (!violations.isEmpty()) {
      b.append("  violations ").append(new java.util.TreeMap<>(violations)).append('\n');
    }
    if (!rateLimitViolations.isEmpty()) {
      b.append("  rate-limit violations ").append(new java.util.TreeMap<>(rateLimitViolations))
          .append('\n');
    }
    b.append("  mesh verdict ").append(meshVerdict).append(", quarantines in window ")
        .append(quarantines).append(", bans ").append(bans).append('\n');
    for (Transition t : history) {
      b.append("  ").append(secs(t.nowNs())).append(' ').append(t.from()).append(" -> ")
          .append(t.to()).append(' ').append(t.reason());
      if (!t.detail().isEmpty()) {
        b.append(": ").append(t.detail());
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String secs(long ns) {
    return String.format(java.util.Locale.ROOT, "%.3fs", ns / 1e9);
  }

  /**
   * One line of {@code list}.
   *
   * @param peer the peer
   * @param state its state
   * @param sinceNs when it entered it
   * @param untilNs end of quarantine/ban, or 0
   * @param score its current score
   * @param lastReason the reason of its last transition, or null
   */
  public record Summary(PeerId peer, HealthState state, long sinceNs, long untilNs, double score,
      QuarantineReason lastReason) {}
}
