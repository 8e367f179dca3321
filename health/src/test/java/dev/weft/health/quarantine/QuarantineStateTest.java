package dev.weft.health.quarantine;

import static dev.weft.health.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuarantineStateTest {

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @CsvSource({
      "HEALTHY, HEALTHY, false", "HEALTHY, SUSPECT, true", "HEALTHY, QUARANTINED, true",
      "HEALTHY, PROBATION, false", "HEALTHY, BANNED, true",
      "SUSPECT, HEALTHY, true", "SUSPECT, SUSPECT, false", "SUSPECT, QUARANTINED, true",
      "SUSPECT, PROBATION, false", "SUSPECT, BANNED, true",
      "QUARANTINED, HEALTHY, true", "QUARANTINED, SUSPECT, false",
      "QUARANTINED, QUARANTINED, false", "QUARANTINED, PROBATION, true",
      "QUARANTINED, BANNED, true",
      "PROBATION, HEALTHY, true", "PROBATION, SUSPECT, false", "PROBATION, QUARANTINED, true",
      "PROBATION, PROBATION, false", "PROBATION, BANNED, true",
      "BANNED, HEALTHY, true", "BANNED, SUSPECT, false", "BANNED, QUARANTINED, false",
      "BANNED, PROBATION, true", "BANNED, BANNED, false"})
  void shouldAllowOnlyListedTransitions(HealthState from, HealthState to, boolean allowed) {
    assertEquals(allowed, from.canMoveTo(to));
    if (allowed) {
      Transition t = new Transition(peer(1), from, to, QuarantineReason.CLEAN_PERIOD, null, 5);
      assertEquals("", t.detail());
    } else {
      assertThrows(IllegalStateException.class,
          () -> new Transition(peer(1), from, to, QuarantineReason.CLEAN_PERIOD, "x", 5));
    }
  }

  @ParameterizedTest(name = "doubling(60, 1800, {0}) = {1}")
  @CsvSource({"0, 60", "1, 120", "2, 240", "3, 480", "4, 960", "5, 1800", "6, 1800", "60, 1800"})
  void shouldDoubleTimeoutsUpToCap(int repeats, long expected) {
    assertEquals(expected, QuarantinePolicy.doublingNs(60, 1800, repeats));
  }

  @Test
  void shouldNotOverflowWhenDoublingHugeTimeouts() {
    assertEquals(Long.MAX_VALUE, QuarantinePolicy.doublingNs(Long.MAX_VALUE / 3, Long.MAX_VALUE, 5));
    assertEquals(Long.MAX_VALUE - 1, QuarantinePolicy.doublingNs(1, Long.MAX_VALUE - 1, 200));
    assertThrows(IllegalArgumentException.class, () -> QuarantinePolicy.doublingNs(1, 2, -1));
  }

  @ParameterizedTest(name = "default policy: quarantine #{0} lasts {1} s, ban #{0} lasts {2} h")
  @CsvSource({"0, 60, 1", "1, 120, 2", "2, 240, 4", "5, 1800, 32", "8, 1800, 168", "20, 1800, 168"})
  void shouldEscalateDefaultQuarantinesAndBans(int prior, long quarantineS, long banH) {
    QuarantinePolicy p = QuarantinePolicy.defaults();
    assertEquals(Duration.ofSeconds(quarantineS).toNanos(), p.quarantineNs(prior));
    assertEquals(Duration.ofHours(banH).toNanos(), p.banNs(prior));
  }

  @ParameterizedTest(name = "{0} quarantines in window, ban after 3 → {1}")
  @CsvSource({"1, false", "2, false", "3, true", "4, true"})
  void shouldBanAfterRepeatedQuarantines(int n, boolean ban) {
    assertEquals(ban, QuarantinePolicy.defaults().shouldBan(n));
  }

  @Test
  void shouldRejectInvalidPolicyNamingField() {
    QuarantinePolicy d = QuarantinePolicy.defaults();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> d.withScoreThresholds(-90, -10));
    assertTrue(e.getMessage().contains("quarantineBelow=-10.0 must be <= suspectBelow=-90.0"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> d.withTiming(Duration.ofSeconds(60),
        Duration.ofSeconds(30), Duration.ofSeconds(1), 0, Duration.ofHours(1), Duration.ofHours(1),
        Duration.ofHours(1)));
    assertTrue(e.getMessage().contains("quarantineMax=PT30S must be >= quarantineBase=PT1M"));
    assertTrue(e.getMessage().contains("banAfterQuarantines=0 must be >= 1"));
  }
}
