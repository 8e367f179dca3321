package dev.weft.routing.tree;

import dev.weft.routing.measure.MeasureParams;
import java.util.Objects;

/**
 * Tuning of the adaptive spanning trees. Immutable; {@link #defaults()} are the documented values.
 *
 * @param measure link measurement parameters; the IHAVE-to-IWANT wait is the announcing link's
 *     {@code srtt + timeoutMultiplier * rttvar}, clamped to [timeoutFloorNs, timeoutCeilNs], or
 *     {@code unknownRttNs} before the first RTT sample
 * @param perSource keep one tree per (topic, author) for authors with enough traffic, instead of
 *     one per topic. Default true: a shared tree is a valid spanning tree for every source but
 *     only a shortest-path tree for the sources that shaped it.
 * @param perSourceMinMessages messages of an author seen (within the last {@code maxTrees}
 *     authors) before it gets its own tree; until then its messages follow the topic tree. A new
 *     author tree starts all-eager: its first message is flooded to every tree peer and the
 *     duplicates turn it into the author's shortest-path tree. Count, at least 1. Default 1:
 *     every signed message travels its author's shortest-path tree, at the price of one flood per
 *     author (3 was tried: the first two messages of each author then took the shared topic tree,
 *     shaped by other authors, and needed IHAVE/IWANT repairs: 60-node simulator p99 573 ms
 *     against 154 ms with 1).
 * @param maxTrees bound on (topic, source) trees kept; the least recently used is forgotten and
 *     starts eager again. Count, at least 1. Default 1024.
 * @param optimiseMarginNs a lazy peer "wins" a message when its IHAVE arrived more than this
 *     before the eager copy. Nanoseconds, at least 0. Default 5 ms (below that, swaps are noise).
 * @param optimiseWins consecutive wins that swap the lazy peer in and the eager sender out.
 *     Count, at least 1. Default 3.
 * @param recentMessages bound on per-message arrival records (first copy, announcers).
 *     Count, at least 16. Default 8192.
 * @param topicTree route messages that have no author tree (unsigned messages, authors below
 *     {@code perSourceMinMessages}) over one shared tree per topic. Default false: they are
 *     forwarded exactly as plain GossipSub does. A tree shared by several sources is a
 *     shortest-path tree for none of them; in the simulator it made p99 latency 2-5x worse than
 *     plain GossipSub (market data 774 vs 158 ms; 1 MiB blocks 2.9 vs 1.1 s). With {@code
 *     perSource} false every message uses the topic tree, whatever this says.
 */
public record TreeParams(MeasureParams measure, boolean perSource, int perSourceMinMessages,
    int maxTrees, long optimiseMarginNs, int optimiseWins, int recentMessages,
    boolean topicTree) {

  /** Checks every field. */
  public TreeParams {
    Objects.requireNonNull(measure, "measure");
    if (perSourceMinMessages < 1) {
      throw new IllegalArgumentException(
          "perSourceMinMessages must be >= 1, was " + perSourceMinMessages);
    }
    if (maxTrees < 1) {
      throw new IllegalArgumentException("maxTrees must be >= 1, was " + maxTrees);
    }
    if (optimiseMarginNs < 0) {
      throw new IllegalArgumentException("optimiseMarginNs must be >= 0, was " + optimiseMarginNs);
    }
    if (optimiseWins < 1) {
      throw new IllegalArgumentException("optimiseWins must be >= 1, was " + optimiseWins);
    }
    if (recentMessages < 16) {
      throw new IllegalArgumentException("recentMessages must be >= 16, was " + recentMessages);
    }
  }

  /** The documented defaults. */
  public static TreeParams defaults() {
    return new TreeParams(MeasureParams.defaults(), true, 1, 1024, 5_000_000L, 3, 8192, false);
  }

  /** A copy with other measurement parameters. */
  public TreeParams withMeasure(MeasureParams m) {
    return new TreeParams(m, perSource, perSourceMinMessages, maxTrees, optimiseMarginNs,
        optimiseWins, recentMessages, topicTree);
  }

  /** A copy with another per-source threshold. */
  public TreeParams withPerSourceMinMessages(int v) {
    return new TreeParams(measure, perSource, v, maxTrees, optimiseMarginNs, optimiseWins,
        recentMessages, topicTree);
  }

  /** A copy with per-source trees on or off. */
  public TreeParams withPerSource(boolean v) {
    return new TreeParams(measure, v, perSourceMinMessages, maxTrees, optimiseMarginNs,
        optimiseWins, recentMessages, topicTree);
  }

  /** A copy with the shared per-topic tree on or off. */
  public TreeParams withTopicTree(boolean v) {
    return new TreeParams(measure, perSource, perSourceMinMessages, maxTrees, optimiseMarginNs,
        optimiseWins, recentMessages, v);
  }
}
