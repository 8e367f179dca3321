/**
 * yamux ({@code /yamux/1.0.0}), the stream multiplexer js-libp2p uses: {@link
 * dev.weft.net.yamux.YamuxHandler} is a whole session as one Netty handler; its streams implement
 * {@link dev.weft.net.mux.MuxedStream}.
 *
 * <p>Behaviour and where it differs from spec/go/js:
 * <ul>
 *   <li>Streams open with {@code WindowUpdate(SYN)} and are accepted with {@code
 *       WindowUpdate(ACK)} carrying the extra window when {@link
 *       dev.weft.net.yamux.YamuxConfig#receiveWindow()} is above 256 KiB (js instead auto-tunes the
 *       window by RTT; we use a fixed, configurable window of up to 16 MiB).</li>
 *   <li>Receive windows are replenished go-style, once half the window has been delivered to the
 *       stream handler (js updates after every frame). Data beyond the granted window is a
 *       protocol error: GoAway(1) and close, as in js.</li>
 *   <li>Keepalive pings every 30 s by default, first one after one interval (js pings at once);
 *       at most one outstanding. Unsolicited or mismatched ping ACKs are ignored, not fatal
 *       (js treats them as protocol errors).</li>
 *   <li>Frames are batched: nothing is flushed until a stream is flushed or a read batch ends,
 *       so a stream open (SYN) travels with the first data.</li>
 *   <li>GoAway(0) is sent on close; a received GoAway(0) stops new streams, a non-zero one
 *       resets every stream and closes the connection.</li>
 * </ul>
 */
package dev.weft.net.yamux;
