package dev.weft.core.feed;

/**
 * Implemented by the application for late joiners: when the first message of a feed arrives, the
 * subscriber asks for the snapshot the application holds (fetched out of band, e.g. from the
 * publisher or a store). The subscriber then starts right after the snapshot's sequence number:
 * older messages are dropped as {@link DropReason#COVERED_BY_SNAPSHOT} and only the messages
 * between the snapshot and the first received one are recovered, instead of reporting everything
 * before the join as a gap. Called synchronously on the owner thread; must not block.
 */
@FunctionalInterface
public interface SnapshotSource {
  /**
   * The sequence number the application's snapshot of this feed includes, or -1 when it has none
   * (the subscriber then starts at {@code firstSeenSeq}).
   *
   * @param topic the topic
   * @param feedId the feed ID
   * @param firstSeenSeq the sequence number of the first message received
   */
  long snapshotSeq(String topic, byte[] feedId, long firstSeenSeq);
}
