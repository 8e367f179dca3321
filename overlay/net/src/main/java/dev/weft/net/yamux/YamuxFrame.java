package dev.weft.net.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Constants and header encoding of yamux frames (12-byte big-endian header). */
public final class YamuxFrame {
  public static final int HEADER_SIZE = 12;
  public static final int VERSION = 0;

  public static final int TYPE_DATA = 0;
  public static final int TYPE_WINDOW_UPDATE = 1;
  public static final int TYPE_PING = 2;
  public static final int TYPE_GO_AWAY = 3;

  public static final int FLAG_SYN = 0x1;
  public static final int FLAG_ACK = 0x2;
  public static final int FLAG_FIN = 0x4;
  public static final int FLAG_RST = 0x8;

  public static final int GO_AWAY_NORMAL = 0;
  public static final int GO_AWAY_PROTOCOL_ERROR = 1;
  public static final int GO_AWAY_INTERNAL_ERROR = 2;

  private YamuxFrame() {}

  /** Writes a header into {@code out}. {@code length} is treated as unsigned 32-bit. */
  public static void writeHeader(ByteBuf out, int type, int flags, int streamId, long length) {
    out.writeByte(VERSION);
    out.writeByte(type);
    out.writeShort(flags);
    out.writeInt(streamId);
    out.writeInt((int) length);
  }

  /** A freshly allocated header-only frame. */
  public static ByteBuf header(ByteBufAllocator alloc, int type, int flags, int streamId, long length) {
    ByteBuf buf = alloc.buffer(HEADER_SIZE, HEADER_SIZE);
    writeHeader(buf, type, flags, streamId, length);
    return buf;
  }
}
