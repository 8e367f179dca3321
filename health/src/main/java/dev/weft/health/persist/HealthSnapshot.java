package dev.weft.health.persist;

import dev.weft.health.quarantine.HealthMonitor;
import dev.weft.health.quarantine.QuarantineRecord;
import dev.weft.health.score.RetainedScore;
import java.util.ArrayList;
import java.util.List;

/**
 * What the health subsystem keeps across restarts: retained scores of disconnected (or
 * non-positive) peers and quarantine/ban records. Times inside are "remaining" durations as of
 * {@code savedAtEpochMs}; {@link #restoreInto} subtracts the wall time that passed while the node
 * was down, so a restart is not an amnesty and a long outage still lets bans expire.
 *
 * @param savedAtEpochMs wall-clock time of the save (supplied by the caller; this module never
 *     reads a clock)
 * @param scores retained scores
 * @param records quarantine and ban records
 */
public record HealthSnapshot(long savedAtEpochMs, List<RetainedScore> scores,
    List<QuarantineRecord> records) {

  /** Copies the lists. */
  public HealthSnapshot {
    scores = List.copyOf(scores);
    records = List.copyOf(records);
  }

  /** Takes a snapshot of {@code monitor} at {@code nowNs}, stamped {@code epochMs}. */
  public static HealthSnapshot of(HealthMonitor monitor, long nowNs, long epochMs) {
    return new HealthSnapshot(epochMs, monitor.peerScore().exportRetained(nowNs),
        monitor.exportRecords(nowNs));
  }

  /**
   * Loads this snapshot into a freshly started monitor at {@code nowNs}, {@code nowEpochMs} being
   * the current wall time (a clock that went backwards counts as no time passed).
   */
  public void restoreInto(HealthMonitor monitor, long nowNs, long nowEpochMs) {
    long elapsedNs = Math.max(0, nowEpochMs - savedAtEpochMs);
    elapsedNs = elapsedNs > Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : elapsedNs * 1_000_000;
    List<RetainedScore> s = new ArrayList<>();
    for (RetainedScore r : scores) {
      long left = r.retainRemainingNs() - elapsedNs;
      if (left > 0) {
        s.add(new RetainedScore(r.peer(), left, r.behaviourPenalty(), r.ips(), r.topics()));
      }
    }
    List<QuarantineRecord> q = new ArrayList<>();
    for (QuarantineRecord r : records) {
      long left = r.remainingNs() == Long.MAX_VALUE ? Long.MAX_VALUE
          : Math.max(0, r.remainingNs() - elapsedNs);
      q.add(new QuarantineRecord(r.peer(), r.state(), r.reason(), r.detail(), left,
          r.quarantinesInWindow(), r.bans()));
    }
    monitor.peerScore().importRetained(s, nowNs);
    monitor.importRecords(q, nowNs);
  }
}
