package dev.weft.routing.tree;

import dev.weft.routing.measure.MeasureParams;
import java.util.Objects;

/**
 * Tuning of the adaptive spanning trees. Immutable; {@link #defaults()} are the documented values.
 *
 * @param measure link measurement parameters; the IHAVE-to-IWANT wait is the announcing link's
 *     {@code srtt + timeoutMultiplier * rttvar}, clamped to [timeoutFloorNs, timeoutCeilNs], or
 *     {@code unknownRttNs} before the first RTT sample
 * @param perSource keep one tree per (topic, author) instead of one per topic. Default true: a
 *     shared tree is a valid spanning tree for every source but only the first source's is a
 *     shortest-path tree.
 * @param maxTrees bound on (topic, source) trees kept; the least recently used is forgotten and
 *     starts eager again. Count, at least 1. Default 1024.
 * @param optimiseMarginNs a lazy peer "wins" a message when its IHAVE arrived more than this
 *     before the eager copy. Nanoseconds, at least 0. Default 5 ms (below that, swaps are noise).
 * @param optimiseWins consecutive wins that swap the lazy peer in and the eager sender out.
 *     Count, at least 1. Default 3.
 * @param recentMessages bound on per-message arrival records (first copy, announcers).
 *     Count, at least 16. Default 8192.
 */
public record TreeParams(MeasureParams measure, boolean perSource, int maxTrees,
    long optimiseMarginNs, int optimiseWins, int recentMessages) {

  /** Checks every field. */
  public TreeParams {
    Objects.requireNonNull(measure, "measure");
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
    return new TreeParams(MeasureParams.defaults(), true, 1024, 5_000_000L, 3, 8192);
  }

  /** A copy with other measurement parameters. */
  public TreeParams withMeasure(MeasureParams m) {
    return new TreeParams(m, perSource, maxTrees, optimiseMarginNs, optimiseWins, recentMessages);
  }

  /** A copy with per-source trees on or off. */
  public TreeParams withPerSource(boolean v) {
    return new TreeParams(measure, v, maxTrees, optimiseMarginNs, optimiseWins, recentMessages);
  }
}
