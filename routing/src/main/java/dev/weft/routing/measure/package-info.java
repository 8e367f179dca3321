/**
 * Link measurement: what weft knows about each of its links, from which the adaptive spanning paths
 * (issue 5) choose eager and lazy links and derive their timeouts.
 *
 * <p>Per peer ({@link dev.weft.routing.measure.LinkStats}, gathered in a
 * {@link dev.weft.routing.measure.LinkTable}):
 *
 * <ul>
 *   <li>{@link dev.weft.routing.measure.RttEstimator}: smoothed RTT and mean deviation as in RFC
 *       6298 (gains 1/8 and 1/4), jitter as in RFC 3550 (gain 1/16 over successive differences),
 *       the minimum RTT over a sliding window as the uncongested baseline, and an RTO-like timeout
 *       {@code srtt + K * rttvar}, clamped, used for IHAVE to IWANT timeouts instead of a constant.
 *   <li>{@link dev.weft.routing.measure.LossEstimator}: loss ratio over outcomes of any kind (pings,
 *       IWANT promises, sequence gaps), a plain mean while samples are few then an EWMA, with a
 *       confidence that reaches 1 only at a minimum sample count.
 *   <li>{@link dev.weft.routing.measure.DeliveryLead}: how far behind the first copy of each message
 *       this peer's copy arrives.
 *   <li>{@link dev.weft.routing.measure.BacklogTracker}: outbound bytes queued, with a fast/slow
 *       EWMA rise detector.
 * </ul>
 *
 * <p>A link is <em>congested</em> when its smoothed RTT is well above its windowed minimum (by a
 * factor and by an absolute margin) or its backlog is rising. Its <em>cost</em> is a ranking value:
 * smoothed RTT plus a loss-weighted repair timeout plus a congestion penalty.
 *
 * <p>Limits of the model: RTT samples are taken as given (the caller must not feed RTTs inflated by
 * its own processing delays, and libp2p ping RTTs include the peer's scheduling); one-way delays are
 * not separated from RTT; loss samples of different kinds are weighted equally; the lead statistic
 * only sees copies that arrived, so a peer that sends nothing is "unknown", not "slow". Everything
 * here is pure Java: no clock reads (time is passed as {@code nowNs}), no threads, no randomness,
 * so the same inputs always give the same outputs, in the simulator as in a live node. go-libp2p and
 * js-libp2p keep only a ping RTT EWMA in their peer stores; the rest is weft's.
 */
package dev.weft.routing.measure;
