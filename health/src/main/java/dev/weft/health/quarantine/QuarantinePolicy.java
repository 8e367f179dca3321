package dev.weft.health.quarantine;

import dev.weft.health.signals.ViolationKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Thresholds and timeouts of the quarantine state machine; the timeouts themselves come from the
 * pure static functions below, so they can be tested with tables.
 *
 * @param suspectBelow misbehaviour score (P4 + P7 + negative P5, weighted) below which a peer is
 *     SUSPECT; ≤ 0 (default −10, the js gossip threshold)
 * @param quarantineBelow misbehaviour score below which a peer is QUARANTINED; ≤ suspectBelow
 *     (default −80, the js graylist threshold)
 * @param quarantineAt recent (decayed) violation count per kind that quarantines; kinds absent
 *     never quarantine on their own
 * @param violationHalfLife half-life of the recent violation counters
 * @param suspectClear how long without evidence before SUSPECT → HEALTHY
 * @param quarantineBase first quarantine's length; doubles with each prior quarantine in the window
 * @param quarantineMax cap on a quarantine's length
 * @param probation clean time in PROBATION before HEALTHY
 * @param banAfterQuarantines this many quarantines within {@code banWindow} → BANNED, ≥ 1
 * @param banWindow the window for counting quarantines
 * @param banBase first ban's length; doubles with each prior ban
 * @param banMax cap on a ban's length
 * @param disconnectGrace a quarantined peer is disconnected this long after entering quarantine
 */
public record QuarantinePolicy(
    double suspectBelow, double quarantineBelow, Map<ViolationKind, Double> quarantineAt,
    Duration violationHalfLife, Duration suspectClear, Duration quarantineBase,
    Duration quarantineMax, Duration probation, int banAfterQuarantines, Duration banWindow,
    Duration banBase, Duration banMax, Duration disconnectGrace) {

  /** Validates every field; the message names each broken one. */
  public QuarantinePolicy {
    quarantineAt = Collections.unmodifiableMap(new EnumMap<>(
        quarantineAt.isEmpty() ? new EnumMap<ViolationKind, Double>(ViolationKind.class) : quarantineAt));
    List<String> e = new ArrayList<>();
    if (!(suspectBelow <= 0)) {
      e.add("suspectBelow=" + suspectBelow + " must be <= 0");
    }
    if (!(quarantineBelow <= suspectBelow)) {
      e.add("quarantineBelow=" + quarantineBelow + " must be <= suspectBelow=" + suspectBelow);
    }
    quarantineAt.forEach((k, v) -> {
      if (!(v >= 1)) {
        e.add("quarantineAt[" + k + "]=" + v + " must be >= 1");
      }
    });
    for (Object[] d : new Object[][] {
        {"violationHalfLife", violationHalfLife}, {"suspectClear", suspectClear},
        {"quarantineBase", quarantineBase}, {"quarantineMax", quarantineMax},
        {"probation", probation}, {"banWindow", banWindow}, {"banBase", banBase},
        {"banMax", banMax}}) {
      Duration v = (Duration) Objects.requireNonNull(d[1], (String) d[0]);
      if (v.isNegative() || v.isZero()) {
        e.add(d[0] + "=" + v + " must be > 0");
      }
    }
    Objects.requireNonNull(disconnectGrace, "disconnectGrace");
    if (disconnectGrace.isNegative()) {
      e.add("disconnectGrace=" + disconnectGrace + " must be >= 0");
    }
    if (quarantineMax.compareTo(quarantineBase) < 0) {
      e.add("quarantineMax=" + quarantineMax + " must be >= quarantineBase=" + quarantineBase);
    }
    if (banMax.compareTo(banBase) < 0) {
      e.add("banMax=" + banMax + " must be >= banBase=" + banBase);
    }
    if (banAfterQuarantines < 1) {
      e.add("banAfterQuarantines=" + banAfterQuarantines + " must be >= 1");
    }
    if (!e.isEmpty()) {
      throw new IllegalArgumentException("invalid quarantine policy: " + String.join("; ", e));
    }
  }

  /**
   * Defaults (see docs/health.md): suspect below −10, quarantine below −80; quarantine on 10
   * recent invalid messages, 3 malformed frames, 5 rate-limit violations, 3 GRAFT floods, 10
   * IHAVE/IWANT/IDONTWANT floods (half-life 10 s); suspicion clears after 30 s; quarantine 60 s
   * doubling to at most 30 min; probation 5 min; ban after 3 quarantines in 1 h, 1 h doubling to
   * at most 7 days; disconnect 5 s into a quarantine.
   */
  public static QuarantinePolicy defaults() {
    EnumMap<ViolationKind, Double> at = new EnumMap<>(ViolationKind.class);
    at.put(ViolationKind.INVALID_MESSAGE, 10.0);
    at.put(ViolationKind.MALFORMED_FRAME, 3.0);
    at.put(ViolationKind.RATE_LIMIT, 5.0);
    at.put(ViolationKind.GRAFT_FLOOD, 3.0);
    at.put(ViolationKind.IHAVE_FLOOD, 10.0);
    at.put(ViolationKind.IWANT_FLOOD, 10.0);
    at.put(ViolationKind.IDONTWANT_FLOOD, 10.0);
    return new QuarantinePolicy(-10, -80, at, Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Duration.ofMinutes(30), Duration.ofMinutes(5), 3,
        Duration.ofHours(1), Duration.ofHours(1), Duration.ofDays(7), Duration.ofSeconds(5));
  }

  /** A copy with other score thresholds. */
  public QuarantinePolicy withScoreThresholds(double suspect, double quarantine) {
    return new QuarantinePolicy(suspect, quarantine, quarantineAt, violationHalfLife, suspectClear,
        quarantineBase, quarantineMax, probation, banAfterQuarantines, banWindow, banBase, banMax,
        disconnectGrace);
  }

  /** A copy with other quarantine/ban timing. */
  public QuarantinePolicy withTiming(Duration quarantineBase, Duration quarantineMax,
      Duration probation, int banAfterQuarantines, Duration banWindow, Duration banBase,
      Duration banMax) {
    return new QuarantinePolicy(suspectBelow, quarantineBelow, quarantineAt, violationHalfLife,
        suspectClear, quarantineBase, quarantineMax, probation, banAfterQuarantines, banWindow,
        banBase, banMax, disconnectGrace);
  }

  /**
   * {@code base × 2^repeats}, capped at {@code max}, without overflow. The shape of every
   * escalating timeout here.
   */
  public static long doublingNs(long baseNs, long maxNs, int repeats) {
    if (repeats < 0) {
      throw new IllegalArgumentException("repeats=" + repeats + " must be >= 0");
    }
    long v = baseNs;
    for (int i = 0; i < repeats; i++) {
      if (v >= maxNs / 2 + 1) {
        return maxNs;
      }
      v *= 2;
    }
    return Math.min(v, maxNs);
  }

  /** Length of a quarantine after {@code priorInWindow} earlier quarantines in the ban window. */
  public long quarantineNs(int priorInWindow) {
    return doublingNs(quarantineBase.toNanos(), quarantineMax.toNanos(), priorInWindow);
  }

  /** Length of a ban after {@code priorBans} earlier bans. */
  public long banNs(int priorBans) {
    return doublingNs(banBase.toNanos(), banMax.toNanos(), priorBans);
  }

  /** Whether a quarantine that would be the {@code quarantinesInWindow}-th in the window is a ban. */
  public boolean shouldBan(int quarantinesInWindow) {
    return quarantinesInWindow >= banAfterQuarantines;
  }
}
