/**
 * The GossipSub v1.0/v1.1/v1.2 router as a pure state machine ({@link
 * dev.weft.core.gossip.GossipRouter}), its immutable parameters ({@link
 * dev.weft.core.gossip.GossipParams}, {@link dev.weft.core.gossip.PeerScoreThresholds}), the
 * scoring SPI ({@link dev.weft.core.gossip.PeerScorer}), signing policy and validation outcomes.
 *
 * <p>How this differs from the spec and from go/js:
 *
 * <ul>
 *   <li>No goroutines, timers or promises: heartbeats run when the driver calls {@code tick(nowNs)}
 *       at or after {@code nextDeadlineNs()}; IWANT promises, backoffs, fanout TTL and seen TTL are
 *       all deadlines compared against {@code nowNs}.
 *   <li>Deterministic: randomness only from the injected generator, collections are
 *       insertion-ordered or sorted, candidates are shuffled explicitly before sampling.
 *   <li>Backoff slack: remote backoffs are extended by {@code backoffSlackHeartbeats} (default 2,
 *       as go; js uses 1) so we never GRAFT early and earn js's P7 penalty.
 *   <li>Messages on topics we are not subscribed to are ignored (go and js do the same); own
 *       messages are not delivered back to the local application (js {@code emitSelf=false}).
 *   <li>Validation: signatures are checked synchronously through the {@code SignatureVerifier}
 *       SPI; application validation is asynchronous only for topics registered with
 *       {@code setValidationRequired}; the pending queue is bounded (overflow ⇒ IGNORE, as go's
 *       validation throttle). A message claiming to be from us that we did not publish recently is
 *       ignored ({@code SELF_ORIGIN}); go rejects it.
 *   <li>IDONTWANT is sent for messages whose payload exceeds the threshold, to ≥1.2 mesh peers,
 *       before validation; received IDONTWANTs are honoured for {@code idontwantTtlHeartbeats} and
 *       capped per heartbeat (js style: IDs, not control messages).
 *   <li>Scoring itself is not here: the router only asks {@link dev.weft.core.gossip.PeerScorer}
 *       and emits events; with the neutral scorer and thresholds it behaves like go without
 *       {@code WithPeerScore}. Note that with neutral thresholds any negative score graylists.
 *   <li>Not implemented yet: v1.3 extensions, PX connector limits/timeouts (the driver should
 *       bound concurrent PX dials), IWANT-per-heartbeat cap (js maxIWANTMessages), direct-peer
 *       connection of unknown addresses (Dial carries no address; the driver's address book must).
 * </ul>
 */
package dev.weft.core.gossip;
