package dev.weft.core.util;

/**
 * Unsigned LEB128 varints as used by multiformats and protobuf length prefixes.
 *
 * <p>Decoding is bounded: at most {@link #MAX_BYTES} bytes are read and values that do not fit in a
 * signed 63-bit long are refused, so a hostile prefix can never cause a huge allocation by itself.
 */
public final class Varint {
  /** A uint63 needs at most 9 bytes; a 10th byte would only be used for values we never accept. */
  public static final int MAX_BYTES = 9;

  private Varint() {}

  /** Number of bytes {@code value} (non-negative) takes when encoded. */
  public static int size(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varint value must be non-negative: " + value);
    }
    int n = 1;
    while ((value >>>= 7) != 0) {
      n++;
    }
    return n;
  }

  /** Encodes {@code value} into {@code out} at {@code offset}; returns the offset after it. */
  public static int write(long value, byte[] out, int offset) {
    if (value < 0) {
      throw new IllegalArgumentException("varint value must be non-negative: " + value);
    }
    while ((value & ~0x7FL) != 0) {
      out[offset++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[offset++] = (byte) value;
    return offset;
  }

  public static byte[] encode(long value) {
    byte[] out = new byte[size(value)];
    write(value, out, 0);
    return out;
  }

  /**
   * Decodes a minimal varint from {@code in} starting at {@code offset}.
   *
   * @return the value in the low bits and the number of bytes consumed; see {@link Decoded}
   * @throws IllegalArgumentException if truncated, longer than {@link #MAX_BYTES}, or not minimal
   */
  public static Decoded decode(byte[] in, int offset, int limit) {
    long value = 0;
    int shift = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (offset + i >= limit) {
        throw new IllegalArgumentException("truncated varint");
      }
      int b = in[offset + i] & 0xFF;
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new IllegalArgumentException("varint is not minimally encoded");
        }
        return new Decoded(value, i + 1);
      }
      shift += 7;
    }
    throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes");
  }

  /** A decoded value and how many bytes it occupied. */
  public record Decoded(long value, int length) {}
}
