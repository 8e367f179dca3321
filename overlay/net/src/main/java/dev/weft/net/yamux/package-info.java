/**
 * yamux ({@code /yamux/1.0.0}), the stream multiplexer js-libp2p uses: {@link
 * dev.weft.net.yamux.YamuxHandler} is a whole session as one Netty handler; its streams implement
 * {@link dev.weft.net.mux.MuxedStream}.
 *
 * <p>Behaviour and where it differs from spec/go/js:
 * <ul>
 *   <li>Streams open with {@code WindowUpdate(SYN)} and are accepted with {@code
 *       WindowUpdate(ACK)}, carrying the extra window when {@link
 *       dev.weft.net.yamux.YamuxConfig#receiveWindow()} is above 256 KiB.</li>
 *   <li>Receive windows are replenished go-style, once half the window has been delivered to the
 *       stream handler (js updates after every frame). Auto-tuning as in js: when half a window
 *       was used within 4 RTTs of the previous update the window doubles, up to {@link
 *       dev.weft.net.yamux.YamuxConfig#maxReceiveWindow()} (16 MiB by default). "Consumed" means
 *       delivered to the handler; handlers that buffer must apply their own backpressure. Data
 *       beyond the granted window is a protocol error: GoAway(1) and close, as in js.</li>
 *   <li>Keepalive as in js: one ping at once, then every 30 s by default, at most one
 *       outstanding; the answer gives {@link dev.weft.net.yamux.YamuxHandler#lastRttNanos()}.
 *       Unsolicited or mismatched ping ACKs are ignored, not fatal (js treats them as protocol
 *       errors). A missing answer does not close the session (js's connection monitor does).</li>
 *   <li>Frames are batched: nothing is flushed until a stream is flushed or a read batch ends,
 *       so a stream open (SYN) travels with the first data.</li>
 *   <li>GoAway(0) is sent on close; a received GoAway(0) stops new streams, a non-zero one
 *       resets every stream and closes the connection.</li>
 * </ul>
 */
package dev.weft.net.yamux;
