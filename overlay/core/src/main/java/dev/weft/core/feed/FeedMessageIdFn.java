package dev.weft.core.feed;

import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.MessageIdFn;
import dev.weft.core.wire.PubMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Message IDs for feeds, derivable from (topic, feed ID, sequence number) alone, so a subscriber
 * can name a message it never saw and ask peers for it, and so the A and B copies of one sequence
 * number are the same message to the router (whichever arrives first wins, the other is a
 * duplicate). Layout (21 bytes):
 *
 * <pre>
 * 0xF1 || first 12 bytes of SHA-256(topic UTF-8 || 0x00 || feed ID) || seq (8 bytes big-endian)
 * </pre>
 *
 * <p>Messages whose data carry no valid feed header get the fallback function's ID. Every node on a
 * feed topic must use this function (as for any message ID function).
 *
 * <p>Because the ID does not depend on the content, anyone who can publish on the topic can claim
 * a sequence number first; feed topics should run under StrictSign with a validator that accepts
 * only the feed's authorised publishers.
 */
public final class FeedMessageIdFn implements MessageIdFn {
  /** First byte of every feed message ID. */
  public static final byte TAG = (byte) 0xF1;
  /** Length of a feed message ID. */
  public static final int LENGTH = 21;
  private static final int STREAM_BYTES = 12;

  private final MessageIdFn fallback;

  /** Feed IDs for feed messages, {@code fallback} for everything else. */
  public FeedMessageIdFn(MessageIdFn fallback) {
    this.fallback = Objects.requireNonNull(fallback, "fallback");
  }

  @Override
  public MessageId apply(PubMessage m) {
    byte[] data = m.data();
    FeedHeader h = FeedHeader.peek(data);
    if (h == null) {
      return fallback.apply(m);
    }
    return idOf(m.topic(), h.feedId(), h.seq());
  }

  /** The ID of sequence number {@code seq} of feed {@code feedId} on {@code topic}. */
  public static MessageId idOf(String topic, byte[] feedId, long seq) {
    return idOf(streamKey(topic, feedId), seq);
  }

  /** The ID of {@code seq} given the stream's 12-byte key from {@link #streamKey}. */
  static MessageId idOf(byte[] streamKey, long seq) {
    byte[] out = new byte[LENGTH];
    out[0] = TAG;
    System.arraycopy(streamKey, 0, out, 1, STREAM_BYTES);
    for (int i = LENGTH - 1; i >= LENGTH - 8; i--) {
      out[i] = (byte) seq;
      seq >>>= 8;
    }
    return MessageId.of(out);
  }

  /** First 12 bytes of SHA-256(topic || 0x00 || feed ID). */
  static byte[] streamKey(String topic, byte[] feedId) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(topic.getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
      d.update(feedId);
      byte[] full = d.digest();
      byte[] out = new byte[STREAM_BYTES];
      System.arraycopy(full, 0, out, 0, STREAM_BYTES);
      return out;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
