package dev.weft.core.events;

/** Why a peer left one of our topic meshes (or why we refused its GRAFT). */
public enum PruneReason {
  /** The peer sent us a PRUNE. */
  REMOTE_PRUNE,
  /** We unsubscribed from the topic (PRUNE sent with the unsubscribe backoff). */
  LEAVE,
  /** The peer unsubscribed from the topic. */
  PEER_UNSUBSCRIBED,
  /** The peer disconnected. */
  PEER_DISCONNECTED,
  /** Heartbeat: the peer's score went negative. */
  NEGATIVE_SCORE,
  /** Heartbeat: the mesh exceeded D_hi and this peer was not kept. */
  OVERSUBSCRIBED,
  /** GRAFT refused: mesh already at D_hi and the peer connected inbound. */
  MESH_FULL,
  /** GRAFT refused: the peer is still in backoff for this topic (a protocol violation). */
  BACKOFF_VIOLATION,
  /** GRAFT refused: the peer is a configured direct peer (they are never meshed). */
  DIRECT_PEER
}
