package dev.weft.health.quarantine;

import dev.weft.core.identity.PeerId;
import java.util.Objects;

/**
 * One health state change of one peer, with its reason and time.
 *
 * @param peer the peer
 * @param from previous state
 * @param to new state
 * @param reason why
 * @param detail human-readable evidence ("P4 -180.0 < -80.0", "2 silent windows", …)
 * @param nowNs when
 */
public record Transition(PeerId peer, HealthState from, HealthState to, QuarantineReason reason,
    String detail, long nowNs) {
  /** Checks fields and that the transition is allowed. */
  public Transition {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
    detail = detail == null ? "" : detail;
    if (!from.canMoveTo(to)) {
      throw new IllegalStateException("transition " + from + " -> " + to + " is not allowed");
    }
  }
}
