package dev.weft.core.feed;

/** Outbound classes, highest first: a sender drains them in this order. */
public enum SendPriority {
  /** Subscriptions, GRAFT, PRUNE, IDONTWANT, IWANT: small and they steer the mesh and repairs. */
  CONTROL,
  /** Messages this node published. */
  PUBLISH,
  /** Messages forwarded for others (and IWANT answers). */
  FORWARD,
  /** IHAVE gossip: cheapest to lose, repeated next heartbeat. */
  GOSSIP
}
