package dev.weft.net.mux;

import io.netty.buffer.ByteBuf;

/** Receives one stream's events, on the connection's event loop. */
public interface StreamHandler {
  /** Inbound bytes; the handler owns {@code data} and must release it. */
  void onData(MuxedStream stream, ByteBuf data);

  /** The remote half-closed its write side (no more data will arrive). */
  default void onRemoteClose(MuxedStream stream) {}

  /** The stream was reset by the remote, by us, or because the connection closed. Final. */
  default void onReset(MuxedStream stream) {}

  /** {@link MuxedStream#isWritable()} changed. */
  default void onWritabilityChanged(MuxedStream stream) {}
}
