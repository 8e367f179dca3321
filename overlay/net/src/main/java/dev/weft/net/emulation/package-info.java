/**
 * In-process link emulation for tests and the CLI demo: per-link latency, jitter, TCP-like loss,
 * bandwidth cap and partition, changeable while connections are open.
 *
 * <p>A {@link dev.weft.net.emulation.LinkEmulator} sits at the head of a connection's pipeline
 * and delays that side's outbound writes according to its {@link
 * dev.weft.net.emulation.LinkProfile}; a {@link dev.weft.net.emulation.LinkEmulatorRegistry}
 * hands out emulators per link direction ({@code local -> remote} labels) and changes the
 * profiles of live ones, so a test can congest or partition one specific link at run time.
 *
 * <p>The model, and where it differs from a real network or from {@code netem}:
 *
 * <ul>
 *   <li>Only outbound shaping: each end shapes what it sends, so a link's RTT is the sum of both
 *       ends' latencies ({@link dev.weft.net.emulation.LinkEmulatorRegistry#setLink} sets both).
 *   <li>It works on whole writes, not packets: a write is released to the socket at once after
 *       its delay, and the real (loopback) socket adds nearly nothing.
 *   <li>Writes are never reordered: a write's release time is at least the previous one's, as in
 *       a TCP stream, so jitter shows up as bursts, not reordering.
 *   <li>Bandwidth is a FIFO serialisation delay ({@code size / rate}) with no burst credit: an
 *       idle link does not save up capacity.
 *   <li>Loss cannot drop bytes (that would corrupt the TCP byte stream the protocols above expect);
 *       it is modelled as TCP experiences it, a lost write arriving one retransmission timeout
 *       (default 200 ms) late and holding back everything behind it. Fast retransmit, congestion
 *       window collapse and RTO backoff are not modelled.
 *   <li>A partition either holds writes until it heals (the connection stays up, like TCP over a
 *       blackholed route before its retransmissions give up) or closes the connection.
 *   <li>Inbound bytes, connection setup and the TCP handshake are not delayed.
 * </ul>
 *
 * <p>The emulator is deterministic given its random generator and clock: with a frozen
 * {@code EmbeddedChannel} and an injected clock, tests assert exact release times; on real event
 * loops only order and lower bounds are meaningful. Not a security boundary and not for production
 * pipelines.
 */
package dev.weft.net.emulation;
