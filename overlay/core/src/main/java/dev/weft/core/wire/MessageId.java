package dev.weft.core.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable GossipSub message ID: opaque bytes, equal network-wide only if every node uses the
 * same {@link MessageIdFn}. Equality and ordering are by bytes (unsigned lexicographic).
 */
public final class MessageId implements Comparable<MessageId> {
  private final byte[] bytes;
  private final int hash;

  private MessageId(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** Wraps a copy of {@code bytes}. */
  public static MessageId of(byte[] bytes) {
    if (bytes == null) {
      throw new IllegalArgumentException("message id bytes must not be null");
    }
    return new MessageId(bytes.clone());
  }

  /** Wraps {@code bytes} without copying; the caller must never modify the array afterwards. */
  static MessageId wrap(byte[] bytes) {
    return new MessageId(bytes);
  }

  /** A copy of the ID bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Number of bytes in the ID. */
  public int length() {
    return bytes.length;
  }

  /** Byte at {@code i}, for encoders that want to avoid a copy. */
  public byte byteAt(int i) {
    return bytes[i];
  }

  void copyTo(byte[] out, int offset) {
    System.arraycopy(bytes, 0, out, offset, bytes.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageId other && hash == other.hash && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(MessageId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
