package dev.weft.core.events;

/** Why a received message was dropped without penalising the sender (not forwarded either). */
public enum IgnoreReason {
  /** We are not subscribed to the message's topic (go and js drop these too). */
  NOT_SUBSCRIBED,
  /** The application validator answered IGNORE. */
  VALIDATOR_IGNORED,
  /** Too many messages were already waiting for validation. */
  VALIDATION_QUEUE_FULL,
  /** No validation result arrived within the seen-cache TTL. */
  VALIDATION_TIMEOUT,
  /** The message claims to be authored by this node but we did not publish it recently. */
  SELF_ORIGIN,
  /** The payload is larger than {@code GossipParams.maxMessageSize}. */
  TOO_LARGE
}
