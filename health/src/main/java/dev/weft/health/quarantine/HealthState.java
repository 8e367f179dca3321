package dev.weft.health.quarantine;

import java.util.EnumSet;
import java.util.Set;

/**
 * A peer's health state. Allowed transitions ({@link #canMoveTo}):
 * <pre>
 * HEALTHY     → SUSPECT, QUARANTINED (severe evidence at once), BANNED
 * SUSPECT     → HEALTHY (clean period), QUARANTINED, BANNED
 * QUARANTINED → PROBATION (quarantine over), BANNED, HEALTHY (operator release)
 * PROBATION   → HEALTHY (clean probation), QUARANTINED (relapse), BANNED
 * BANNED      → PROBATION (ban over), HEALTHY (operator release)
 * </pre>
 * Anything else is a bug and throws.
 */
public enum HealthState {
  /** No evidence against the peer. */
  HEALTHY,
  /** Some evidence; watched more closely, treated normally. */
  SUSPECT,
  /** Graylisted (RPCs ignored), pruned everywhere, not offered in PX, disconnected after a grace. */
  QUARANTINED,
  /** Back from quarantine or ban, on trial: new misbehaviour sends it straight back. */
  PROBATION,
  /** Quarantined too often (or by an operator): connections refused until the ban ends. */
  BANNED;

  /** Whether {@code this → to} is an allowed transition. */
  public boolean canMoveTo(HealthState to) {
    return allowed(this).contains(to);
  }

  private static Set<HealthState> allowed(HealthState from) {
    return switch (from) {
      case HEALTHY -> EnumSet.of(SUSPECT, QUARANTINED, BANNED);
      case SUSPECT -> EnumSet.of(HEALTHY, QUARANTINED, BANNED);
      case QUARANTINED -> EnumSet.of(PROBATION, BANNED, HEALTHY);
      case PROBATION -> EnumSet.of(HEALTHY, QUARANTINED, BANNED);
      case BANNED -> EnumSet.of(PROBATION, HEALTHY);
    };
  }

  /** True for the states in which the peer's input is ignored (QUARANTINED, BANNED). */
  public boolean isIsolated() {
    return this == QUARANTINED || this == BANNED;
  }
}
