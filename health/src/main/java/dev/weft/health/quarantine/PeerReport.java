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
