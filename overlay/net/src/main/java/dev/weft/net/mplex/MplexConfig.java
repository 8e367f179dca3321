package dev.weft.net.mplex;

/**
 * Tunables of an mplex session.
 *
 * @param maxInboundStreams streams the remote may have open at once; excess NewStream gets a reset
 * @param maxOutboundStreams streams we may have open at once
 * @param maxMessageSize largest message accepted (js: 1 MiB); larger writes are split
 */
public record MplexConfig(int maxInboundStreams, int maxOutboundStreams, int maxMessageSize) {
  public MplexConfig {
    if (maxInboundStreams < 0 || maxOutboundStreams < 0 || maxMessageSize < 1) {
      throw new IllegalArgumentException("invalid mplex limits");
    }
  }

  /** js-like defaults: 1024 streams each way, 1 MiB messages. */
  public static MplexConfig defaults() {
    return new MplexConfig(1024, 1024, 1024 * 1024);
  }
}
