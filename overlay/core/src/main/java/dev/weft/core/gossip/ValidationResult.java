package dev.weft.core.gossip;

/** Outcome of application validation of a received message. */
public enum ValidationResult {
  /** Valid: deliver to the application and forward. */
  ACCEPT,
  /** Invalid: drop, do not forward, penalise the sender (P4). */
  REJECT,
  /** Not interesting: drop, do not forward, no penalty. */
  IGNORE
}
