package dev.weft.net.mux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * One logical stream inside a multiplexed connection (yamux or mplex).
 *
 * <p>All methods must be called on {@link #eventLoop()}, the connection's event loop; all
 * {@link StreamHandler} callbacks arrive on it. Writes never block: bytes beyond the peer's flow
 * control window are queued inside the stream and sent as the window opens; {@link #isWritable()}
 * turns false when the queue passes the high-water mark and the handler is told when it drains.
 */
public interface MuxedStream {
  /** The muxer's stream id (odd/even for yamux client/server; mplex ids are per-initiator). */
  long id();

  /** True when this side opened the stream. */
  boolean isInitiator();

  EventLoop eventLoop();

  /** Installs the handler that receives this stream's data and events. Replaces any previous one. */
  void setHandler(StreamHandler handler);

  /** Queues {@code data} for sending; takes ownership of (and eventually releases) the buffer. */
  void write(ByteBuf data);

  /** Sends queued data now (muxers may batch frames of several writes until flush). */
  void flush();

  default void writeAndFlush(ByteBuf data) {
    write(data);
    flush();
  }

  /** Half-closes the write side (yamux FIN, mplex Close) after queued data has been sent. */
  void closeWrite();

  /** Aborts the stream in both directions (yamux RST, mplex Reset); queued data is dropped. */
  void reset();

  boolean isWritable();

  /** True once the remote side half-closed (FIN received). */
  boolean isRemoteClosed();

  /** The protocol negotiated on this stream by multistream-select, or null before negotiation. */
  String protocol();

  void setProtocol(String protocol);

  /** The muxer session this stream belongs to. */
  StreamMuxer muxer();
}
