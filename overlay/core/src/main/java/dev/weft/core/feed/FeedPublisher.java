package dev.weft.core.feed;

import java.util.Objects;

/**
 * Numbers and frames one feed's messages for publishing: the caller passes the result to
 * {@code publish(topic, data)}. Pure: the publish time is an argument. For A/B publishing both
 * publishers use the same feed ID and the same sequence numbers for the same content (e.g. the
 * exchange's own sequence), via {@link #frame(long, long, byte[], byte[])}.
 */
public final class FeedPublisher {
  private final String topic;
  private final byte[] feedId;
  private long nextSeq;

  /**
   * A publisher of {@code feedId} on {@code topic} whose next message gets {@code firstSeq}.
   * A restarted publisher must resume after its last sequence number (or subscribers will see
   * old numbers as duplicates).
   */
  public FeedPublisher(String topic, byte[] feedId, long firstSeq) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.feedId = new FeedHeader(feedId, Math.max(firstSeq, 1), 0, null).feedId();
    if (firstSeq < 1) {
      throw new IllegalArgumentException("sequence numbers start at 1, got " + firstSeq);
    }
    this.nextSeq = firstSeq;
  }

  /** The topic. */
  public String topic() {
    return topic;
  }

  /** The next sequence number {@link #next} will use. */
  public long nextSeq() {
    return nextSeq;
  }

  /** Frames {@code payload} with the next sequence number. */
  public byte[] next(long publishTimeNs, byte[] payload) {
    return next(publishTimeNs, null, payload);
  }

  /** Frames {@code payload} with the next sequence number and a conflation key. */
  public byte[] next(long publishTimeNs, byte[] key, byte[] payload) {
    byte[] data = frame(nextSeq, publishTimeNs, key, payload);
    nextSeq++;
    return data;
  }

  /** Frames {@code payload} with an explicit sequence number (A/B publishers). */
  public byte[] frame(long seq, long publishTimeNs, byte[] key, byte[] payload) {
    return new FeedHeader(feedId, seq, publishTimeNs, key).encode(payload);
  }
}
