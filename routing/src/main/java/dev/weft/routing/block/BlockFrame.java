package dev.weft.routing.block;

import dev.weft.core.util.Varint;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;

/**
 * One frame of the chunked block protocol between weft peers ({@value #PROTOCOL_ID}): a chunk
 * (shard) of an erasure-coded block, an announcement of the chunks a peer holds, or a request for
 * chunks.
 *
 * <p>Wire form (one length-prefixed frame each): {@code kind(1) varint(idLen) id varint(k) varint(m)
 * varint(length)}, then for CHUNK {@code varint(index) varint(hop) data} (data to the end of the
 * frame, exactly {@code ceil(length / k)} bytes), for HAVE and WANT a bitmap of
 * {@code ceil((k + m) / 8)} bytes, bit {@code i} (LSB first) = chunk {@code i}.
 *
 * @param kind what the frame is
 * @param blockId the block's ID (the caller's message ID of the whole block), 1..64 bytes
 * @param k data chunks of the block
 * @param m coding chunks of the block
 * @param length the block's length in bytes
 * @param index CHUNK: the chunk's index in [0, k + m); otherwise -1
 * @param hop CHUNK: 0 when pushed by the block's source, 1 when relayed from such a push, 2 when
 *     sent in answer to a WANT; otherwise 0
 * @param data CHUNK: the chunk's bytes; otherwise null
 * @param bitmap HAVE/WANT: the chunks meant; otherwise null
 */
public record BlockFrame(Kind kind, byte[] blockId, int k, int m, int length, int index, int hop,
    byte[] data, BitSet bitmap) {
  /** The stream protocol weft peers negotiate for chunked blocks. */
  public static final String PROTOCOL_ID = "/weft/block/1.0.0";
  /** Longest block ID. */
  public static final int MAX_ID_BYTES = 64;

  /** What a frame carries. */
  public enum Kind {
    /** One chunk's bytes. */
    CHUNK,
    /** The sender holds the chunks in the bitmap (all of them once it rebuilt the block). */
    HAVE,
    /** The sender asks for the chunks in the bitmap. */
    WANT
  }

  /** Checks fields. */
  public BlockFrame {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(blockId, "blockId");
    if (blockId.length < 1 || blockId.length > MAX_ID_BYTES) {
      throw new IllegalArgumentException("block ID must be 1.." + MAX_ID_BYTES + " bytes");
    }
    if (k < 1 || m < 0 || k + m > ReedSolomon.MAX_SHARDS || length < 0) {
      throw new IllegalArgumentException("bad shape k=" + k + " m=" + m + " length=" + length);
    }
    if (kind == Kind.CHUNK) {
      Objects.requireNonNull(data, "data");
      if (index < 0 || index >= k + m || hop < 0 || hop > 2) {
        throw new IllegalArgumentException("bad chunk index " + index + " or hop " + hop);
      }
      if (data.length != shardLength(length, k)) {
        throw new IllegalArgumentException("chunk of " + data.length + " bytes, expected "
            + shardLength(length, k));
      }
    } else {
      Objects.requireNonNull(bitmap, "bitmap");
      if (bitmap.length() > k + m) {
        throw new IllegalArgumentException("bitmap names chunks beyond k + m");
      }
    }
  }

  /** A chunk frame. */
  public static BlockFrame chunk(byte[] id, int k, int m, int length, int index, int hop,
      byte[] data) {
    return new BlockFrame(Kind.CHUNK, id, k, m, length, index, hop, data, null);
  }

  /** A HAVE or WANT frame. */
  public static BlockFrame bitmap(Kind kind, byte[] id, int k, int m, int length, BitSet bits) {
    return new BlockFrame(kind, id, k, m, length, -1, 0, null, (BitSet) bits.clone());
  }

  /** Length of each chunk of a block of {@code length} bytes cut into {@code k}. */
  public static int shardLength(int length, int k) {
    return Math.max(1, (length + k - 1) / k);
  }

  /** Size of {@link #encode()}'s output without building it. */
  public int encodedSize() {
    int n = 1 + Varint.size(blockId.length) + blockId.length + Varint.size(k) + Varint.size(m)
        + Varint.size(length);
    if (kind == Kind.CHUNK) {
      return n + Varint.size(index) + Varint.size(hop) + data.length;
    }
    return n + (k + m + 7) / 8;
  }

  /** The frame body (without the length prefix). */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(encodedSize());
    out.write(kind.ordinal());
    writeVarint(out, blockId.length);
    out.writeBytes(blockId);
    writeVarint(out, k);
    writeVarint(out, m);
    writeVarint(out, length);
    if (kind == Kind.CHUNK) {
      writeVarint(out, index);
      writeVarint(out, hop);
      out.writeBytes(data);
    } else {
      out.writeBytes(Arrays.copyOf(bitmap.toByteArray(), (k + m + 7) / 8));
    }
    return out.toByteArray();
  }

  /**
   * Parses a frame body; {@code maxLength} bounds the block length (and so the chunk size)
   * before anything is allocated. Throws IllegalArgumentException on any malformed input.
   */
  public static BlockFrame decode(byte[] frame, int maxLength) {
    ByteBuffer b = ByteBuffer.wrap(frame);
    try {
      int kindByte = b.get() & 0xFF;
      if (kindByte >= Kind.values().length) {
        throw new IllegalArgumentException("unknown block frame kind " + kindByte);
      }
      Kind kind = Kind.values()[kindByte];
      int idLen = readSmall(b, MAX_ID_BYTES, "block ID length");
      byte[] id = new byte[idLen];
      b.get(id);
      int k = readSmall(b, ReedSolomon.MAX_SHARDS, "k");
      int m = readSmall(b, ReedSolomon.MAX_SHARDS, "m");
      int length = readSmall(b, maxLength, "block length");
      if (kind == Kind.CHUNK) {
        int index = readSmall(b, ReedSolomon.MAX_SHARDS, "index");
        int hop = readSmall(b, 2, "hop");
        byte[] data = new byte[b.remaining()];
        b.get(data);
        return chunk(id, k, m, length, index, hop, data);
      }
      int bytes = (k + m + 7) / 8;
      if (b.remaining() != bytes) {
        throw new IllegalArgumentException("bitmap of " + b.remaining() + " bytes, expected " + bytes);
      }
      byte[] bits = new byte[bytes];
      b.get(bits);
      return new BlockFrame(kind, id, k, m, length, -1, 0, null, BitSet.valueOf(bits));
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated block frame", e);
    }
  }

  private static int readSmall(ByteBuffer b, int max, String what) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      if (shift > 35) {
        throw new IllegalArgumentException(what + ": varint too long");
      }
      int x = b.get() & 0xFF;
      v |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        break;
      }
    }
    if (v > max) {
      throw new IllegalArgumentException(what + " " + v + " above " + max);
    }
    return (int) v;
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockFrame f && kind == f.kind && Arrays.equals(blockId, f.blockId)
        && k == f.k && m == f.m && length == f.length && index == f.index && hop == f.hop
        && Arrays.equals(data, f.data) && Objects.equals(bitmap, f.bitmap);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, Arrays.hashCode(blockId), k, m, length, index, hop);
  }

  @Override
  public String toString() {
    return kind + "[k=" + k + " m=" + m + " len=" + length
        + (kind == Kind.CHUNK ? " idx=" + index + " hop=" + hop : " bits=" + bitmap) + "]";
  }
}
