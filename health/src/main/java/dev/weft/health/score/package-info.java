/**
 * The GossipSub v1.1 peer score: {@link dev.weft.health.score.PeerScore} (P1–P7, decay, retention)
 * with validated parameter records {@link dev.weft.health.score.PeerScoreParams} and {@link
 * dev.weft.health.score.TopicScoreParams}, and {@link dev.weft.health.score.ScoreBreakdown}, which
 * takes any peer's score apart for an operator.
 *
 * <p>Follows the spec's "Peer Scoring" section; behaviour matches go-libp2p-pubsub's {@code
 * score.go} except where {@link dev.weft.health.score.PeerScore} says otherwise (time in mesh
 * computed at the moment of asking; duplicates of any rejected message count as invalid; exact-IP
 * whitelist). Pure: no clock, threads or I/O.
 */
package dev.weft.health.score;
