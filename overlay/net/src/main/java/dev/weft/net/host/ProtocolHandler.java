package dev.weft.net.host;

import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;

/** Serves one stream protocol: called on the connection's event loop for each inbound stream. */
@FunctionalInterface
public interface ProtocolHandler {
  /** Returns the handler for the newly negotiated inbound {@code stream}. */
  StreamHandler onInboundStream(Connection connection, MuxedStream stream);
}
