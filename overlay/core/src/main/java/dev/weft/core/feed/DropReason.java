package dev.weft.core.feed;

/** Why a feed message or an outbound send was dropped. Every drop is counted with one of these. */
public enum DropReason {
  /** Feed data without a valid header on a followed feed topic. */
  MALFORMED_HEADER,
  /** A sequence number already delivered (a copy that slipped past the router's seen cache). */
  DUPLICATE_SEQ,
  /** A sequence number at or below the snapshot the subscriber started from. */
  COVERED_BY_SNAPSHOT,
  /** A sequence number below the first one this subscriber saw (no snapshot, joined late). */
  BEFORE_START,
  /** Conflation: replaced by a newer value for the same key before the consumer took it. */
  CONFLATED,
  /** Conflation: the queue was full of distinct keys; the oldest entry was discarded. */
  CONFLATION_OVERFLOW,
  /** Send queue: a queued gossip RPC (IHAVE) discarded to make room for higher priority. */
  GOSSIP_SHED,
  /** Send queue: a queued forwarded message discarded to make room for higher priority. */
  FORWARD_SHED,
  /** Send queue: a queued own published message discarded to make room for control. */
  PUBLISH_SHED,
  /** Send queue: full and nothing of lower priority to discard; the new RPC was refused. */
  SEND_QUEUE_FULL,
  /** Send queue: discarded because the peer disconnected. */
  PEER_GONE
}
