package dev.weft.net.yamux;

import java.time.Duration;

/**
 * Tunables of a yamux session.
 *
 * @param maxInboundStreams open streams the remote may have opened at once; excess SYNs get RST
 * @param maxOutboundStreams open streams we may have opened at once
 * @param ackBacklog outbound streams the remote has not acknowledged yet before opening fails
 * @param receiveWindow per-stream receive window we grant (at least 256 KiB, at most 16 MiB); the
 *     part above 256 KiB is granted with the SYN/ACK window update
 * @param maxReceiveWindow ceiling of window auto-tuning (equal to {@code receiveWindow} disables
 *     it): a stream's window doubles when it was used up within 4 RTTs, js-style
 * @param keepAliveInterval interval of keepalive pings; null or zero disables them
 * @param writeBufferHighWaterMark queued (window-blocked) bytes above which a stream turns unwritable
 * @param writeBufferLowWaterMark queued bytes below which it turns writable again
 */
public record YamuxConfig(
    int maxInboundStreams,
    int maxOutboundStreams,
    int ackBacklog,
    int receiveWindow,
    int maxReceiveWindow,
    Duration keepAliveInterval,
    int writeBufferHighWaterMark,
    int writeBufferLowWaterMark) {

  /** The window each side assumes for every new stream (spec constant). */
  public static final int INITIAL_WINDOW = 256 * 1024;
  /** Largest receive window we ever grant. */
  public static final int MAX_WINDOW = 16 * 1024 * 1024;

  public YamuxConfig {
    if (receiveWindow < INITIAL_WINDOW || receiveWindow > MAX_WINDOW) {
      throw new IllegalArgumentException("receiveWindow out of range: " + receiveWindow);
    }
    if (maxReceiveWindow < receiveWindow || maxReceiveWindow > MAX_WINDOW) {
      throw new IllegalArgumentException("maxReceiveWindow out of range: " + maxReceiveWindow);
    }
    if (maxInboundStreams < 0 || maxOutboundStreams < 0 || ackBacklog < 1) {
      throw new IllegalArgumentException("negative stream limits");
    }
    if (writeBufferLowWaterMark > writeBufferHighWaterMark) {
      throw new IllegalArgumentException("low water mark above high water mark");
    }
  }

  /**
   * js-compatible defaults: 1000/1000 streams, backlog 256, 256 KiB windows auto-tuned up to
   * 16 MiB, 30 s keepalive.
   */
  public static YamuxConfig defaults() {
    return new YamuxConfig(1000, 1000, 256, INITIAL_WINDOW, MAX_WINDOW, Duration.ofSeconds(30),
        1024 * 1024, 256 * 1024);
  }

  /** Initial window {@code window}, auto-tuning up to {@code max}. */
  public YamuxConfig withReceiveWindow(int window, int max) {
    return new YamuxConfig(maxInboundStreams, maxOutboundStreams, ackBacklog, window, max,
        keepAliveInterval, writeBufferHighWaterMark, writeBufferLowWaterMark);
  }

  public YamuxConfig withKeepAliveInterval(Duration interval) {
    return new YamuxConfig(maxInboundStreams, maxOutboundStreams, ackBacklog, receiveWindow,
        maxReceiveWindow, interval, writeBufferHighWaterMark, writeBufferLowWaterMark);
  }

  public YamuxConfig withStreamLimits(int inbound, int outbound) {
    return new YamuxConfig(inbound, outbound, ackBacklog, receiveWindow, maxReceiveWindow,
        keepAliveInterval,
        writeBufferHighWaterMark, writeBufferLowWaterMark);
  }

  public YamuxConfig withWaterMarks(int high, int low) {
    return new YamuxConfig(maxInboundStreams, maxOutboundStreams, ackBacklog, receiveWindow,
        maxReceiveWindow, keepAliveInterval, high, low);
  }
}
