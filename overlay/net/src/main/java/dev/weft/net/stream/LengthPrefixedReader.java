package dev.weft.net.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Reassembles {@code uvarint(len) || payload} messages from the chunks a stream delivers.
 *
 * <p>The length prefix is checked against {@code maxMessageBytes} before anything is allocated
 * for the payload; an oversize or malformed prefix is reported as {@link FrameException} and the
 * caller resets the stream. Not thread-safe: used on the stream's event loop only.
 */
public final class LengthPrefixedReader {
  /** Receives each complete message; the callee owns (must release) the buffer. */
  @FunctionalInterface
  public interface MessageSink {
    void onMessage(ByteBuf message);
  }

  /** A framing violation; the message says what was wrong. */
  public static final class FrameException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FrameException(String message) {
      super(message);
    }
  }

  private final int maxMessageBytes;
  private final CompositeByteBuf cumulation;
  private boolean released;

  public LengthPrefixedReader(ByteBufAllocator alloc, int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
    this.cumulation = alloc.compositeBuffer(64);
  }

  /**
   * Adds {@code chunk} (ownership taken) and emits every complete message.
   *
   * @throws FrameException on an oversize length or a varint longer than 5 bytes
   */
  public void feed(ByteBuf chunk, MessageSink sink) {
    if (released) {
      chunk.release();
      return;
    }
    cumulation.addComponent(true, chunk);
    while (true) {
      int start = cumulation.readerIndex();
      long len = 0;
      int shift = 0;
      int i = 0;
      boolean complete = false;
      while (cumulation.isReadable()) {
        int b = cumulation.readByte() & 0xFF;
        len |= (long) (b & 0x7F) << shift;
        i++;
        if ((b & 0x80) == 0) {
          complete = true;
          break;
        }
        shift += 7;
        if (i >= 5) {
          throw new FrameException("length prefix longer than 5 bytes");
        }
      }
      if (!complete) {
        cumulation.readerIndex(start);
        break;
      }
      if (len > maxMessageBytes) {
        throw new FrameException(
            "message length " + len + " exceeds the limit of " + maxMessageBytes + " bytes");
      }
      if (cumulation.readableBytes() < len) {
        cumulation.readerIndex(start);
        break;
      }
      ByteBuf message = cumulation.readRetainedSlice((int) len);
      sink.onMessage(message);
    }
    cumulation.discardReadComponents();
  }

  /** Bytes buffered towards an incomplete message. */
  public int buffered() {
    return cumulation.readableBytes();
  }

  public void release() {
    if (!released) {
      released = true;
      cumulation.release();
    }
  }

  /** Encodes {@code payload} with its uvarint length prefix into a new buffer. */
  public static ByteBuf frame(ByteBufAllocator alloc, byte[] payload) {
    ByteBuf out = alloc.buffer(payload.length + 5);
    writeUvarint(out, payload.length);
    out.writeBytes(payload);
    return out;
  }

  public static void writeUvarint(ByteBuf out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.writeByte((int) value);
  }
}
