package dev.weft.core.feed;

import java.time.Duration;

/**
 * How a subscriber follows the feeds of one topic. Defaults fit a LAN/metro mesh with the router's
 * default message cache (5 heartbeats of 1 s): recovery gives up well before peers forget.
 *
 * @param inOrder deliver each feed in sequence order, holding later messages while a gap is being
 *     recovered; default false (deliver on arrival, gaps recovered and delivered late)
 * @param hold in-order mode: longest a message is held waiting for earlier ones, then it is
 *     delivered past the gap (which keeps being recovered); default 200 ms
 * @param maxHeld in-order mode: most messages held per feed; beyond it the hold is cut short;
 *     default 10,000
 * @param gapGrace wait after a gap appears before the first request (messages on different mesh
 *     paths overtake each other); default 20 ms
 * @param retryInterval wait between requests for the same missing message; default 150 ms
 * @param maxAttempts requests per missing message before it is declared unrecoverable; default 6
 * @param peersPerRequest mesh peers asked per request (different random peers each attempt);
 *     default 2
 * @param window largest span of missing sequence numbers tracked per feed; older missing ones are
 *     declared unrecoverable; default 65,536
 * @param snapshots the late-joiner hook, or null
 */
public record FeedOptions(boolean inOrder, Duration hold, int maxHeld, Duration gapGrace,
    Duration retryInterval, int maxAttempts, int peersPerRequest, int window,
    SnapshotSource snapshots) {

  /** Checks ranges. */
  public FeedOptions {
    if (hold.isNegative() || gapGrace.isNegative() || retryInterval.isNegative()
        || retryInterval.isZero()) {
      throw new IllegalArgumentException("hold and gapGrace must be >= 0, retryInterval > 0");
    }
    if (maxHeld < 1 || maxAttempts < 1 || peersPerRequest < 1 || window < 1) {
      throw new IllegalArgumentException("maxHeld, maxAttempts, peersPerRequest, window must be >= 1");
    }
  }

  /** The defaults (unordered delivery). */
  public static FeedOptions defaults() {
    return new FeedOptions(false, Duration.ofMillis(200), 10_000, Duration.ofMillis(20),
        Duration.ofMillis(150), 6, 2, 65_536, null);
  }

  /** In-order delivery with hold {@code hold}. */
  public FeedOptions withInOrder(Duration hold) {
    return new FeedOptions(true, hold, maxHeld, gapGrace, retryInterval, maxAttempts,
        peersPerRequest, window, snapshots);
  }

  /** With a snapshot hook. */
  public FeedOptions withSnapshots(SnapshotSource s) {
    return new FeedOptions(inOrder, hold, maxHeld, gapGrace, retryInterval, maxAttempts,
        peersPerRequest, window, s);
  }

  /** With recovery timing. */
  public FeedOptions withRecovery(Duration grace, Duration retry, int attempts, int peers) {
    return new FeedOptions(inOrder, hold, maxHeld, grace, retry, attempts, peers, window,
        snapshots);
  }

  /** With the held-message bound. */
  public FeedOptions withMaxHeld(int v) {
    return new FeedOptions(inOrder, hold, v, gapGrace, retryInterval, maxAttempts,
        peersPerRequest, window, snapshots);
  }

  /** With the tracking window. */
  public FeedOptions withWindow(int v) {
    return new FeedOptions(inOrder, hold, maxHeld, gapGrace, retryInterval, maxAttempts,
        peersPerRequest, v, snapshots);
  }
}
