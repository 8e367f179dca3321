package dev.weft.health.quarantine;

/** Why a peer's health state changed. */
public enum QuarantineReason {
  /** Invalid messages (score P4, or the invalid-message counter). */
  INVALID_MESSAGES,
  /** Behaviour penalty (score P7: broken promises, GRAFT during backoff). */
  BEHAVIOUR_PENALTY,
  /** The application-specific score (P5) is strongly negative. */
  APP_SPECIFIC,
  /** Input beyond the hard rate limits. */
  RATE_LIMIT,
  /** Protocol violations: malformed frames, IHAVE/IWANT/IDONTWANT floods, GRAFT floods. */
  PROTOCOL_VIOLATION,
  /** A mesh peer that delivers nothing (black hole / leech). */
  BLACK_HOLE,
  /** Many peers on one IP (score P6); suspicion only. */
  IP_COLOCATION,
  /** Score below the gossip threshold from misbehaviour components; suspicion only. */
  LOW_SCORE,
  /** Too many quarantines within the ban window. */
  REPEATED_QUARANTINE,
  /** The quarantine period ended. */
  QUARANTINE_EXPIRED,
  /** The ban ended. */
  BAN_EXPIRED,
  /** No evidence for the clean period (SUSPECT or PROBATION → HEALTHY). */
  CLEAN_PERIOD,
  /** An operator released the peer. */
  OPERATOR_RELEASE,
  /** An operator banned the peer. */
  OPERATOR_BAN
}
