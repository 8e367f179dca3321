package dev.weft.core.events;

/**
 * Why the driver refused a frame from a peer before it became an RPC. The peer's stream is reset;
 * the frame's content is never seen by the router.
 */
public enum MalformedReason {
  /** The length prefix announced more than maxRpcSize bytes (or was itself malformed). */
  OVERSIZE,
  /** The bytes are not a valid pubsub RPC protobuf, or a required field is missing. */
  UNDECODABLE,
  /** More repeated entries than allowed (subscriptions, messages, IHAVE/IWANT/IDONTWANT IDs, PX). */
  LIMIT_EXCEEDED
}
