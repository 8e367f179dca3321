package dev.weft.net.mux;

/**
 * A multiplexer session over one secured connection. Implementations are Netty handlers placed
 * last in the connection pipeline (after the Noise codec); they are created with a
 * {@link InboundStreamListener} that is told of every stream the remote opens.
 */
public interface StreamMuxer {
  /** The muxer's multistream protocol id, e.g. {@code /yamux/1.0.0}. */
  String protocolId();

  /**
   * Opens a new outbound stream. Must be called on the connection's event loop.
   *
   * @throws MuxerException if the session is closing or the outbound stream limit is reached
   */
  MuxedStream openStream(StreamHandler handler);

  /** Graceful close: yamux GoAway(0) then channel close; open streams are reset. */
  void close();

  int openStreamCount();

  /** Told about each stream the remote opens; must install a handler synchronously. */
  @FunctionalInterface
  interface InboundStreamListener {
    void onInboundStream(MuxedStream stream);
  }
}
