/**
 * multistream-select 1.0 ({@code /multistream/1.0.0}): protocol negotiation at the start of a
 * connection ({@link dev.weft.net.multistream.MultistreamHandler}) and of each muxed stream
 * ({@link dev.weft.net.multistream.StreamNegotiator}), both driven by the channel-free state
 * machine {@link dev.weft.net.multistream.Negotiator}.
 *
 * <p>Behaviour follows js-libp2p, which we must interoperate with: the dialer writes header and
 * first proposal in one write and never waits for the listener's header; the listener never
 * speaks first, echoes the header, echoes an accepted protocol and answers {@code na} otherwise.
 * Messages are capped at 1024 bytes with a length prefix of at most 2 bytes (js listener rule,
 * applied to both roles here). Unlike js, the trailing newline is stripped but other trailing
 * whitespace is kept. Bytes pipelined behind a proposal (go/rust lazy negotiation) are kept and
 * handed to the selected protocol. {@code ls} is answered but never sent; a listener's list is
 * truncated to fit one 1024-byte message.
 */
package dev.weft.net.multistream;
