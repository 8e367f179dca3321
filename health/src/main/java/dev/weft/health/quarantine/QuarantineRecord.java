package dev.weft.health.quarantine;

import dev.weft.core.identity.PeerId;
import java.util.Objects;

/**
 * The persistent part of a peer's health: what must survive a restart so that a restart is not an
 * amnesty. Times are relative ("remaining") because {@code nowNs} does not survive a restart.
 *
 * @param peer the peer
 * @param state QUARANTINED, BANNED or PROBATION (HEALTHY/SUSPECT records carry only history)
 * @param reason the reason of the last transition
 * @param detail its detail
 * @param remainingNs time left in QUARANTINED/BANNED/PROBATION; Long.MAX_VALUE = until released
 * @param quarantinesInWindow quarantines counted towards a ban
 * @param bans bans so far (escalates the next ban)
 */
public record QuarantineRecord(PeerId peer, HealthState state, QuarantineReason reason,
    String detail, long remainingNs, int quarantinesInWindow, int bans) {
  /** Checks fields. */
  public QuarantineRecord {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
    detail = detail == null ? "" : detail;
    if (remainingNs < 0 || quarantinesInWindow < 0 || bans < 0) {
      throw new IllegalArgumentException("remainingNs, quarantinesInWindow and bans must be >= 0");
    }
  }
}
