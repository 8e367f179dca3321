package dev.weft.net.health;

import dev.weft.core.identity.PeerId;
import dev.weft.health.quarantine.HealthState;
import dev.weft.health.quarantine.PeerReport;
import dev.weft.health.quarantine.QuarantineReason;
import dev.weft.health.quarantine.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The operator's view of a node's peer health: a plain, thread-safe Java facade for the admin API
 * and the CLI. Peers are named by {@link PeerId} ({@link PeerId#parse} accepts base58 and CIDs);
 * times are wall-clock {@link Instant}s.
 *
 * <ul>
 *   <li>{@link #list()}: every peer the health subsystem has a record of;
 *   <li>{@link #explain(PeerId)}: one peer's state, score breakdown per component and topic,
 *       violation counts and transition history, with {@link Explanation#text()} for humans;
 *   <li>{@link #release(PeerId, String)}: make a peer HEALTHY now and forgive its penalties;
 *   <li>{@link #ban(PeerId, Duration, String)}: ban a peer (refuse its connections) and disconnect
 *       it.
 * </ul>
 */
public final class HealthAdmin {
  private final NodeHealth health;

  HealthAdmin(NodeHealth health) {
    this.health = health;
  }

  /**
   * One line of {@link #list()}.
   *
   * @param peer the peer
   * @param state its state
   * @param since when it entered the state; null if it never changed state
   * @param until when its quarantine or ban ends; null if not isolated or banned until released
   * @param score its score as the router sees it
   * @param lastReason the reason of its last transition, or null
   */
  public record PeerStatus(PeerId peer, HealthState state, Instant since, Instant until,
      double score, QuarantineReason lastReason) {}

  /**
   * One transition of {@link Explanation#history()}.
   *
   * @param at wall time
   * @param from previous state
   * @param to new state
   * @param reason why
   * @param detail the evidence
   */
  public record HistoryEntry(Instant at, HealthState from, HealthState to,
      QuarantineReason reason, String detail) {}

  /**
   * The answer to "why is this peer where it is?".
   *
   * @param status the summary
   * @param history transitions, oldest first (the last 64)
   * @param report the full report (score breakdown per P component and topic, violation totals,
   *     rate-limit violations, mesh verdict, quarantine and ban counts); its times are monotonic
   *     nanoseconds of this process
   */
  public record Explanation(PeerStatus status, List<HistoryEntry> history, PeerReport report) {
    /** A multi-line rendering for humans. */
    public String text() {
      StringBuilder b = new StringBuilder(report.toText());
      b.append("  (wall clock: since ").append(status.since());
      if (status.until() != null) {
        b.append(", until ").append(status.until());
      }
      b.append(")\n");
      for (HistoryEntry h : history) {
        b.append("  ").append(h.at()).append(' ').append(h.from()).append(" -> ").append(h.to())
            .append(' ').append(h.reason()).append('\n');
      }
      return b.toString();
    }
  }

  /** Every peer with a health record (healthy peers nothing happened to are not listed). */
  public List<PeerStatus> list() {
    return health.query(now -> {
      List<PeerStatus> out = new ArrayList<>();
      health.locked(m -> m.list(now)).forEach(s -> out.add(new PeerStatus(s.peer(), s.state(),
          since(s.sinceNs()), until(s.untilNs()), s.score(), s.lastReason())));
      return out;
    });
  }

  /** Everything known about {@code peer} (a peer without a record is HEALTHY with an empty history). */
  public Explanation explain(PeerId peer) {
    Objects.requireNonNull(peer, "peer");
    return health.query(now -> {
      PeerReport r = health.locked(m -> m.explain(peer, now));
      double score = health.locked(m -> m.score(peer, now));
      QuarantineReason last = r.history().isEmpty() ? null
          : r.history().get(r.history().size() - 1).reason();
      PeerStatus st = new PeerStatus(peer, r.state(), since(r.sinceNs()), until(r.untilNs()),
          score, last);
      List<HistoryEntry> h = new ArrayList<>();
      for (Transition t : r.history()) {
        h.add(new HistoryEntry(health.wallTime(t.nowNs()), t.from(), t.to(), t.reason(),
            t.detail()));
      }
      return new Explanation(st, h, r);
    });
  }

  /**
   * Makes {@code peer} HEALTHY now, forgiving its penalties and quarantine history; returns false
   * if it already was HEALTHY (nothing changed).
   */
  public boolean release(PeerId peer, String detail) {
    Objects.requireNonNull(peer, "peer");
    return health.query(now -> health.locked(m -> {
      if (m.state(peer) == HealthState.HEALTHY) {
        return false;
      }
      m.release(peer, detail == null || detail.isEmpty() ? "operator release" : detail, now);
      return true;
    }));
  }

  /**
   * Bans {@code peer} for {@code duration} (null: until released), closes its connection and
   * refuses new ones. A ban of a banned peer replaces its end time.
   */
  public void ban(PeerId peer, Duration duration, String detail) {
    Objects.requireNonNull(peer, "peer");
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new IllegalArgumentException("ban duration must be positive: " + duration);
    }
    health.query(now -> {
      health.locked(m -> {
        m.ban(peer, duration, detail == null || detail.isEmpty() ? "operator ban" : detail, now);
        return null;
      });
      return null;
    });
    health.disconnect(peer, "banned by operator");
  }

  /** 0 means the peer never changed state (it has a record only because of its counters). */
  private Instant since(long sinceNs) {
    return sinceNs == 0 ? null : health.wallTime(sinceNs);
  }

  private Instant until(long untilNs) {
    return untilNs == 0 || untilNs == Long.MAX_VALUE ? null : health.wallTime(untilNs);
  }
}
