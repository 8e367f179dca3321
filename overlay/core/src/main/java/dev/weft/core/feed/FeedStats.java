package dev.weft.core.feed;

/** Counters of a {@link FeedSubscriber}, summed over its feeds. Owner thread only. */
public final class FeedStats {
  long delivered;
  long outOfOrder;
  long gapsDetected;
  long recovered;
  long unrecoverable;
  long lateAfterGiveUp;
  long requests;
  long requestedIds;
  long holdExpiries;

  /** Messages handed to the application. */
  public long delivered() {
    return delivered;
  }

  /** Of those, delivered after a higher sequence number of the same feed. */
  public long outOfOrder() {
    return outOfOrder;
  }

  /** Sequence numbers found missing. */
  public long gapsDetected() {
    return gapsDetected;
  }

  /** Missing sequence numbers that arrived while being recovered. */
  public long recovered() {
    return recovered;
  }

  /** Missing sequence numbers given up on (attempts exhausted or outside the window). */
  public long unrecoverable() {
    return unrecoverable;
  }

  /** Of the unrecoverable ones, those that arrived later anyway (delivered, out of order). */
  public long lateAfterGiveUp() {
    return lateAfterGiveUp;
  }

  /** Recovery requests handed to the router (one per feed per due batch). */
  public long requests() {
    return requests;
  }

  /** Message IDs requested in total. */
  public long requestedIds() {
    return requestedIds;
  }

  /** In-order mode: times a hold expired and delivery moved past a gap. */
  public long holdExpiries() {
    return holdExpiries;
  }

  @Override
  public String toString() {
    return "FeedStats[delivered=" + delivered + ", outOfOrder=" + outOfOrder + ", gaps="
        + gapsDetected + ", recovered=" + recovered + ", unrecoverable=" + unrecoverable
        + ", late=" + lateAfterGiveUp + ", requests=" + requests + ", requestedIds="
        + requestedIds + ", holdExpiries=" + holdExpiries + "]";
  }
}
