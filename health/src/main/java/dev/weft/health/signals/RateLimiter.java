package dev.weft.health.signals;

import dev.weft.core.identity.PeerId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Per-peer token-bucket rate limits (RPCs/s, bytes/s, new streams/s), fed by the driver for every
 * RPC and every new stream. Each call returns what to do with that input; throttles and violations
 * are counted per peer and kind. Pure: time is {@code nowNs}. Not thread-safe.
 */
public final class RateLimiter {
  private static final class Buckets {
    final EnumMap<RateLimitKind, TokenBucket> soft = new EnumMap<>(RateLimitKind.class);
    final EnumMap<RateLimitKind, TokenBucket> hard = new EnumMap<>(RateLimitKind.class);
    final EnumMap<RateLimitKind, Long> throttled = new EnumMap<>(RateLimitKind.class);
    final EnumMap<RateLimitKind, Long> violations = new EnumMap<>(RateLimitKind.class);
  }

  /**
   * One decision and the budget it concerns (for ALLOW, {@code kind} is null).
   *
   * @param decision what to do
   * @param kind the exhausted budget, or null
   */
  public record Check(RateDecision decision, RateLimitKind kind) {
    /** The ALLOW result. */
    public static final Check ALLOW = new Check(RateDecision.ALLOW, null);
  }

  private final RateLimits limits;
  private final Map<PeerId, Buckets> peers = new TreeMap<>();

  /** A limiter with these budgets. */
  public RateLimiter(RateLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** One RPC of {@code bytes} bytes arrived from {@code peer}. */
  public Check onRpc(PeerId peer, long bytes, long nowNs) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes=" + bytes + " must be >= 0");
    }
    Buckets b = buckets(peer);
    Check rpc = take(b, RateLimitKind.RPCS, 1, nowNs);
    Check by = take(b, RateLimitKind.BYTES, bytes, nowNs);
    return by.decision().compareTo(rpc.decision()) > 0 ? by : rpc;
  }

  /** {@code peer} opened a new stream. */
  public Check onNewStream(PeerId peer, long nowNs) {
    return take(buckets(peer), RateLimitKind.STREAMS, 1, nowNs);
  }

  /** Throttles of this kind so far. */
  public long throttled(PeerId peer, RateLimitKind kind) {
    Buckets b = peers.get(peer);
    return b == null ? 0 : b.throttled.getOrDefault(kind, 0L);
  }

  /** Violations of this kind so far. */
  public long violations(PeerId peer, RateLimitKind kind) {
    Buckets b = peers.get(peer);
    return b == null ? 0 : b.violations.getOrDefault(kind, 0L);
  }

  /** Total violations of every kind so far. */
  public long violations(PeerId peer) {
    Buckets b = peers.get(peer);
    long n = 0;
    if (b != null) {
      for (long v : b.violations.values()) {
        n += v;
      }
    }
    return n;
  }

  /** Drops the peer's buckets (call on disconnect). */
  public void forget(PeerId peer) {
    peers.remove(peer);
  }

  private Buckets buckets(PeerId peer) {
    return peers.computeIfAbsent(Objects.requireNonNull(peer, "peer"), k -> {
      Buckets b = new Buckets();
      double h = limits.hardFactor();
      b.soft.put(RateLimitKind.RPCS, new TokenBucket(limits.rpcBurst(), limits.rpcsPerSecond()));
      b.hard.put(RateLimitKind.RPCS, new TokenBucket(limits.rpcBurst() * h, limits.rpcsPerSecond() * h));
      b.soft.put(RateLimitKind.BYTES, new TokenBucket(limits.byteBurst(), limits.bytesPerSecond()));
      b.hard.put(RateLimitKind.BYTES, new TokenBucket(limits.byteBurst() * h, limits.bytesPerSecond() * h));
      b.soft.put(RateLimitKind.STREAMS, new TokenBucket(limits.streamBurst(), limits.streamsPerSecond()));
      b.hard.put(RateLimitKind.STREAMS,
          new TokenBucket(limits.streamBurst() * h, limits.streamsPerSecond() * h));
      return b;
    });
  }

  private static Check take(Buckets b, RateLimitKind kind, double amount, long nowNs) {
    boolean hardOk = b.hard.get(kind).tryTake(amount, nowNs);
    boolean softOk = b.soft.get(kind).tryTake(amount, nowNs);
    if (!hardOk) {
      b.violations.merge(kind, 1L, Long::sum);
      return new Check(RateDecision.VIOLATION, kind);
    }
    if (!softOk) {
      b.throttled.merge(kind, 1L, Long::sum);
      return new Check(RateDecision.THROTTLE, kind);
    }
    return Check.ALLOW;
  }
}
