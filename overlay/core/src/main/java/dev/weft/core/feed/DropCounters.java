package dev.weft.core.feed;

import java.util.EnumMap;
import java.util.Map;

/** Counts drops by {@link DropReason}. Not thread-safe: one owner, or read via {@link #snapshot}. */
public final class DropCounters {
  private final long[] counts = new long[DropReason.values().length];

  /** Adds {@code n} drops for {@code reason}. */
  public void add(DropReason reason, long n) {
    counts[reason.ordinal()] += n;
  }

  /** Drops counted for {@code reason}. */
  public long get(DropReason reason) {
    return counts[reason.ordinal()];
  }

  /** All drops. */
  public long total() {
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    return t;
  }

  /** Non-zero counts, in enum order. */
  public Map<DropReason, Long> snapshot() {
    Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
    for (DropReason r : DropReason.values()) {
      if (counts[r.ordinal()] != 0) {
        m.put(r, counts[r.ordinal()]);
      }
    }
    return m;
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }
}
