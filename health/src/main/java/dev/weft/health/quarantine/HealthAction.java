package dev.weft.health.quarantine;

import dev.weft.core.identity.PeerId;

/** Something the driver must do on behalf of the health monitor, returned by {@code onTick}. */
public sealed interface HealthAction {
  /**
   * Close every connection to the peer (its quarantine grace period is over, or it is banned).
   *
   * @param peer the peer
   * @param state its state
   * @param reason why it is isolated
   */
  record Disconnect(PeerId peer, HealthState state, QuarantineReason reason) implements HealthAction {}
}
