package dev.weft.core.feed;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The header at the start of every feed message's data (version 1). Layout, all integers
 * big-endian:
 *
 * <pre>
 * offset   size  field
 * 0        1     magic 0xFE
 * 1        1     version (1)
 * 2        1     flags: bit 0 = key present; other bits must be 0
 * 3        1     feed ID length L, 1..64
 * 4        L     feed ID (A and B publishers of one feed use the same ID)
 * 4+L      8     sequence number, unsigned, 1.. (per (feed ID, topic))
 * 12+L     8     publish time, nanoseconds since the Unix epoch on the publisher's clock
 * 20+L     1+K   only if flag bit 0: key length K (1..255), then the key (conflation key)
 * ...            payload
 * </pre>
 *
 * @param feedId the feed ID (1..64 bytes)
 * @param seq the sequence number (≥ 1)
 * @param publishTimeNs publisher's wall-clock time, ns since the epoch (informational)
 * @param key the conflation key, or null
 */
public record FeedHeader(byte[] feedId, long seq, long publishTimeNs, byte[] key) {
  /** First byte of every feed message. */
  public static final byte MAGIC = (byte) 0xFE;
  /** The version this class writes and reads. */
  public static final byte VERSION = 1;
  /** Longest feed ID. */
  public static final int MAX_FEED_ID = 64;
  /** Longest key. */
  public static final int MAX_KEY = 255;
  private static final int FLAG_KEY = 1;

  /** Checks bounds and copies the arrays. */
  public FeedHeader {
    Objects.requireNonNull(feedId, "feedId");
    if (feedId.length < 1 || feedId.length > MAX_FEED_ID) {
      throw new IllegalArgumentException("feed ID must be 1.." + MAX_FEED_ID + " bytes, got "
          + feedId.length);
    }
    if (seq < 1) {
      throw new IllegalArgumentException("sequence numbers start at 1, got " + seq);
    }
    if (key != null && (key.length < 1 || key.length > MAX_KEY)) {
      throw new IllegalArgumentException("key must be 1.." + MAX_KEY + " bytes, got " + key.length);
    }
    feedId = feedId.clone();
    key = key == null ? null : key.clone();
  }

  /** A header with its payload, as parsed from message data. */
  public record Parsed(FeedHeader header, byte[] payload) {
    /** Copies the payload. */
    public Parsed {
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }
  }

  @Override
  public byte[] feedId() {
    return feedId.clone();
  }

  @Override
  public byte[] key() {
    return key == null ? null : key.clone();
  }

  /** Encoded header length in bytes. */
  public int encodedLength() {
    return 20 + feedId.length + (key == null ? 0 : 1 + key.length);
  }

  /** Header followed by {@code payload}: the data of a feed message. */
  public byte[] encode(byte[] payload) {
    byte[] out = new byte[encodedLength() + payload.length];
    int o = 0;
    out[o++] = MAGIC;
    out[o++] = VERSION;
    out[o++] = (byte) (key == null ? 0 : FLAG_KEY);
    out[o++] = (byte) feedId.length;
    System.arraycopy(feedId, 0, out, o, feedId.length);
    o += feedId.length;
    o = putLong(out, o, seq);
    o = putLong(out, o, publishTimeNs);
    if (key != null) {
      out[o++] = (byte) key.length;
      System.arraycopy(key, 0, out, o, key.length);
      o += key.length;
    }
    System.arraycopy(payload, 0, out, o, payload.length);
    return out;
  }

  /** True when {@code data} starts like a feed message (magic and a known version). */
  public static boolean looksLikeFeed(byte[] data) {
    return data.length >= 2 && data[0] == MAGIC && data[1] == VERSION;
  }

  /**
   * Parses message data.
   *
   * @throws IllegalArgumentException with the reason when the data is not a valid v1 feed message
   */
  public static Parsed decode(byte[] data) {
    if (data.length < 4) {
      throw new IllegalArgumentException("feed header truncated: " + data.length + " bytes");
    }
    if (data[0] != MAGIC) {
      throw new IllegalArgumentException("not a feed message (magic " + (data[0] & 0xFF) + ")");
    }
    if (data[1] != VERSION) {
      throw new IllegalArgumentException("unsupported feed header version " + (data[1] & 0xFF));
    }
    int flags = data[2] & 0xFF;
    if ((flags & ~FLAG_KEY) != 0) {
      throw new IllegalArgumentException("unknown feed header flags " + flags);
    }
    int idLen = data[3] & 0xFF;
    if (idLen < 1 || idLen > MAX_FEED_ID) {
      throw new IllegalArgumentException("feed ID length " + idLen + " out of range");
    }
    int o = 4;
    if (data.length < o + idLen + 16) {
      throw new IllegalArgumentException("feed header truncated: " + data.length + " bytes");
    }
    byte[] feedId = Arrays.copyOfRange(data, o, o + idLen);
    o += idLen;
    long seq = getLong(data, o);
    o += 8;
    long ts = getLong(data, o);
    o += 8;
    byte[] key = null;
    if ((flags & FLAG_KEY) != 0) {
      if (data.length < o + 1) {
        throw new IllegalArgumentException("feed header truncated before key length");
      }
      int keyLen = data[o++] & 0xFF;
      if (keyLen < 1 || data.length < o + keyLen) {
        throw new IllegalArgumentException("feed key length " + keyLen + " out of range");
      }
      key = Arrays.copyOfRange(data, o, o + keyLen);
      o += keyLen;
    }
    if (seq < 1) {
      throw new IllegalArgumentException("feed sequence number " + Long.toUnsignedString(seq)
          + " out of range");
    }
    return new Parsed(new FeedHeader(feedId, seq, ts, key), Arrays.copyOfRange(data, o, data.length));
  }

  /** Reads only the feed ID and sequence number, without copying the payload; null if malformed. */
  static FeedHeader peek(byte[] data) {
    if (!looksLikeFeed(data) || data.length < 4) {
      return null;
    }
    int idLen = data[3] & 0xFF;
    if (idLen < 1 || idLen > MAX_FEED_ID || data.length < 4 + idLen + 16
        || ((data[2] & 0xFF) & ~FLAG_KEY) != 0) {
      return null;
    }
    long seq = getLong(data, 4 + idLen);
    if (seq < 1) {
      return null;
    }
    return new FeedHeader(Arrays.copyOfRange(data, 4, 4 + idLen), seq, 0, null);
  }

  private static int putLong(byte[] b, int o, long v) {
    for (int i = 7; i >= 0; i--) {
      b[o + i] = (byte) v;
      v >>>= 8;
    }
    return o + 8;
  }

  private static long getLong(byte[] b, int o) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[o + i] & 0xFF);
    }
    return v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeedHeader h && seq == h.seq && publishTimeNs == h.publishTimeNs
        && Arrays.equals(feedId, h.feedId) && Arrays.equals(key, h.key);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(feedId) + Long.hashCode(seq)) + Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "FeedHeader[feed=" + HexFormat.of().formatHex(feedId) + ", seq=" + seq + "]";
  }
}
