package dev.weft.core.feed;

/**
 * Events of a {@link FeedSubscriber}, for metrics and logs. Called synchronously on the owner
 * thread; every method has a no-op default. {@code feed} is the feed ID in hex.
 */
public interface FeedEvents {
  /** A listener that ignores everything. */
  FeedEvents NONE = new FeedEvents() {};

  /** Sequence numbers {@code fromSeq..toSeq} (inclusive) are missing; recovery starts. */
  default void onGapDetected(long nowNs, String topic, String feed, long fromSeq, long toSeq) {}

  /** {@code count} missing IDs were requested from peers ({@code attempt} starts at 1). */
  default void onRecoveryRequested(long nowNs, String topic, String feed, int count, int attempt) {}

  /** A missing sequence number arrived {@code waitedNs} after its gap was detected. */
  default void onRecovered(long nowNs, String topic, String feed, long seq, long waitedNs) {}

  /**
   * {@code fromSeq..toSeq} could not be recovered (attempts exhausted, or outside the window) and
   * will not be waited for. Late arrivals are still delivered, flagged out of order.
   */
  default void onGapUnrecoverable(long nowNs, String topic, String feed, long fromSeq, long toSeq) {}

  /** In-order mode: the hold expired and messages were delivered past {@code skipped} missing ones. */
  default void onHoldExpired(long nowNs, String topic, String feed, long deliveredUpTo, int skipped) {}

  /** A message was dropped. */
  default void onDrop(long nowNs, String topic, DropReason reason) {}
}
