package dev.weft.health.signals;

import dev.weft.core.events.OverlayEvents;
import dev.weft.core.events.RejectReason;
import dev.weft.core.events.ThrottleReason;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Protocol-violation counters per peer and {@link ViolationKind}: an all-time total and a
 * "recent" value that halves every {@code halfLifeNs} (exponential decay, so "recent" needs no
 * window bookkeeping). Learns from the router's events; the driver adds what the router cannot see
 * ({@link #record} for malformed frames and rate-limit violations). Pure; not thread-safe.
 */
public final class ViolationCounters implements OverlayEvents {
  private static final class Counter {
    long total;
    double recent;
    long atNs;
  }

  private final long halfLifeNs;
  private final Map<PeerId, EnumMap<ViolationKind, Counter>> peers = new TreeMap<>();

  /** Counters whose recent values halve every {@code halfLifeNs} (&gt; 0). */
  public ViolationCounters(long halfLifeNs) {
    if (halfLifeNs <= 0) {
      throw new IllegalArgumentException("halfLifeNs=" + halfLifeNs + " must be > 0");
    }
    this.halfLifeNs = halfLifeNs;
  }

  /** The recent value {@code value} recorded {@code dtNs} ago is worth this much now. */
  public static double decayed(double value, long dtNs, long halfLifeNs) {
    if (value == 0 || dtNs <= 0) {
      return value;
    }
    return value * StrictMath.pow(0.5, (double) dtNs / halfLifeNs);
  }

  /** Records {@code count} violations of {@code kind} by {@code peer}. */
  public void record(PeerId peer, ViolationKind kind, long count, long nowNs) {
    Objects.requireNonNull(peer, "peer");
    if (count <= 0) {
      return;
    }
    Counter c = peers.computeIfAbsent(peer, k -> new EnumMap<>(ViolationKind.class))
        .computeIfAbsent(kind, k -> new Counter());
    c.recent = decayed(c.recent, nowNs - c.atNs, halfLifeNs) + count;
    c.atNs = nowNs;
    c.total += count;
  }

  /** All-time count. */
  public long total(PeerId peer, ViolationKind kind) {
    Counter c = counter(peer, kind);
    return c == null ? 0 : c.total;
  }

  /** Decayed recent count at {@code nowNs}. */
  public double recent(PeerId peer, ViolationKind kind, long nowNs) {
    Counter c = counter(peer, kind);
    return c == null ? 0 : decayed(c.recent, nowNs - c.atNs, halfLifeNs);
  }

  /** All-time totals of the peer, by kind (only non-zero kinds). */
  public Map<ViolationKind, Long> totals(PeerId peer) {
    EnumMap<ViolationKind, Long> out = new EnumMap<>(ViolationKind.class);
    EnumMap<ViolationKind, Counter> m = peers.get(peer);
    if (m != null) {
      m.forEach((k, c) -> out.put(k, c.total));
    }
    return out;
  }

  /** Forgets the peer's counters. */
  public void forget(PeerId peer) {
    peers.remove(peer);
  }

  private Counter counter(PeerId peer, ViolationKind kind) {
    EnumMap<ViolationKind, Counter> m = peers.get(peer);
    return m == null ? null : m.get(kind);
  }

  @Override
  public void onGraftBackoffViolation(long nowNs, PeerId peer, String topic, boolean flood) {
    record(peer, ViolationKind.GRAFT_DURING_BACKOFF, 1, nowNs);
    if (flood) {
      record(peer, ViolationKind.GRAFT_FLOOD, 1, nowNs);
    }
  }

  @Override
  public void onBrokenPromise(long nowNs, PeerId peer, int count) {
    record(peer, ViolationKind.BROKEN_PROMISE, count, nowNs);
  }

  @Override
  public void onReject(long nowNs, MessageId id, String topic, PeerId from, RejectReason reason) {
    if (from != null) {
      record(from, ViolationKind.INVALID_MESSAGE, 1, nowNs);
    }
  }

  @Override
  public void onThrottled(long nowNs, PeerId peer, ThrottleReason reason) {
    if (peer == null) {
      return;
    }
    switch (reason) {
      case IHAVE_FLOOD -> record(peer, ViolationKind.IHAVE_FLOOD, 1, nowNs);
      case IWANT_RETRANSMISSION_LIMIT -> record(peer, ViolationKind.IWANT_FLOOD, 1, nowNs);
      case IDONTWANT_FLOOD -> record(peer, ViolationKind.IDONTWANT_FLOOD, 1, nowNs);
      default -> { }
    }
  }
}
