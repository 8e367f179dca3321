package dev.weft.net.health;

import dev.weft.health.quarantine.Transition;
import java.time.Instant;

/**
 * One health state change of one peer as the running node reports it: the monitor's {@link
 * Transition} (from, to, reason, detail, monotonic time) plus the wall-clock time it happened.
 *
 * @param transition the transition
 * @param at wall-clock time of the transition
 */
public record HealthEvent(Transition transition, Instant at) {
  @Override
  public String toString() {
    Transition t = transition;
    return t.peer() + " " + t.from() + " -> " + t.to() + " " + t.reason()
        + (t.detail().isEmpty() ? "" : " (" + t.detail() + ")") + " at " + at;
  }
}
