package dev.weft.core.events;

/** Why input from a peer (or a local request) was cut short by a rate limit or policy threshold. */
public enum ThrottleReason {
  /** The whole RPC was ignored: sender score below the graylist threshold. */
  GRAYLISTED,
  /** IHAVE ignored: sender score below the gossip threshold. */
  GOSSIP_SCORE_TOO_LOW,
  /** IHAVE ignored: more than maxIHaveMessages IHAVE RPCs this heartbeat. */
  IHAVE_FLOOD,
  /** IHAVE ignored or truncated: maxIHaveLength IDs already requested from this peer. */
  IWANT_BUDGET_EXHAUSTED,
  /** IWANT entry not served: the ID was already sent gossipRetransmission times to this peer. */
  IWANT_RETRANSMISSION_LIMIT,
  /** IDONTWANT IDs beyond the per-heartbeat limit were dropped. */
  IDONTWANT_FLOOD,
  /** A received message was ignored because too many validations were pending. */
  VALIDATION_QUEUE_FULL,
  /** PX suggestions were not dialled: the pruner's score is below acceptPX. */
  PX_NOT_ACCEPTED,
  /** GRAFT for a topic we have not joined: ignored without PRUNE (v1.1 spam hardening). */
  UNKNOWN_TOPIC_GRAFT
}
