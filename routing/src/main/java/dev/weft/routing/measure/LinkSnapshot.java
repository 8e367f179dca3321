package dev.weft.routing.measure;

/**
 * Immutable view of one link's measurements at one instant, for metrics, events and the CLI.
 * Durations are nanoseconds; -1 means "no sample".
 *
 * @param peer the peer key
 * @param rttSamples RTT samples recorded
 * @param srttNs smoothed RTT (-1 if none)
 * @param rttvarNs RTT mean deviation (-1 if none)
 * @param jitterNs jitter (-1 if none)
 * @param minRttNs windowed minimum RTT (-1 if none)
 * @param lossRatio loss ratio estimate in [0, 1]
 * @param lossConfidence confidence of that estimate in [0, 1]
 * @param lossSamples loss outcomes recorded
 * @param leadLagNs EWMA of the lag behind the first copy (-1 if none)
 * @param leadSamples copies recorded
 * @param leadFirsts copies that were first
 * @param backlogBytes last backlog sample
 * @param backlogFastBytes fast backlog EWMA
 * @param backlogRising whether the backlog is rising
 * @param congested whether the link is congested (RTT above baseline or rising backlog)
 * @param costNs the link's latency cost estimate, see {@link LinkStats#costNs(long)}
 * @param atNs the {@code nowNs} the snapshot was taken at
 * @param <K> peer key type
 */
public record LinkSnapshot<K>(
    K peer,
    long rttSamples,
    long srttNs,
    long rttvarNs,
    long jitterNs,
    long minRttNs,
    double lossRatio,
    double lossConfidence,
    long lossSamples,
    long leadLagNs,
    long leadSamples,
    long leadFirsts,
    long backlogBytes,
    long backlogFastBytes,
    boolean backlogRising,
    boolean congested,
    long costNs,
    long atNs) {}
