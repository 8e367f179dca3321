package dev.weft.core.gossip;

/**
 * Score thresholds the router applies (GossipSub v1.1 "Score Thresholds"). Below 0 a peer is never
 * grafted and is pruned at the next heartbeat.
 *
 * @param gossip below it, no IHAVE/IWANT to or from the peer; must be ≤ 0 (spec
 *     {@code gossipThreshold}; js default −10)
 * @param publish below it, own messages are not flood-published to the peer; must be ≤ gossip
 *     ({@code publishThreshold}; js −50)
 * @param graylist below it, every RPC from the peer is ignored; must be ≤ publish
 *     ({@code graylistThreshold}; js −80)
 * @param acceptPx PX from a pruning peer is dialled only if its score is at least this; ≥ 0
 *     ({@code acceptPXThreshold}; js 10: only well-behaved peers may steer our connections)
 * @param opportunisticGraft when the median mesh score is below it, better peers are grafted
 *     opportunistically; ≥ 0 ({@code opportunisticGraftThreshold}; js 20)
 */
public record PeerScoreThresholds(
    double gossip, double publish, double graylist, double acceptPx, double opportunisticGraft) {

  /** Checks the ordering rules; throws IllegalArgumentException naming the rule. */
  public PeerScoreThresholds {
    if (!(gossip <= 0)) {
      throw new IllegalArgumentException("gossip=" + gossip + " must be <= 0");
    }
    if (!(publish <= gossip)) {
      throw new IllegalArgumentException("publish=" + publish + " must be <= gossip=" + gossip);
    }
    if (!(graylist <= publish)) {
      throw new IllegalArgumentException("graylist=" + graylist + " must be <= publish=" + publish);
    }
    if (!(acceptPx >= 0)) {
      throw new IllegalArgumentException("acceptPx=" + acceptPx + " must be >= 0");
    }
    if (!(opportunisticGraft >= 0)) {
      throw new IllegalArgumentException(
          "opportunisticGraft=" + opportunisticGraft + " must be >= 0");
    }
  }

  /**
   * All thresholds 0: with {@link PeerScorer#NEUTRAL} nothing is ever throttled, PX is accepted
   * and opportunistic grafting never triggers (go without {@code WithPeerScore}).
   */
  public static PeerScoreThresholds neutral() {
    return new PeerScoreThresholds(0, 0, 0, 0, 0);
  }

  /** js-libp2p gossipsub's active defaults: −10, −50, −80, 10, 20 (digest §6.8). */
  public static PeerScoreThresholds jsDefaults() {
    return new PeerScoreThresholds(-10, -50, -80, 10, 20);
  }
}
