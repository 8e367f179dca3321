package dev.weft.routing.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeliveryLeadTest {
  private static final long MS = 1_000_000L;

  /** lags (ms, space separated), alpha 1/2: expected lag EWMA (ms), firsts. */
  @ParameterizedTest
  @CsvSource({
    "0, 0.0, 1",
    "10, 10.0, 0",
    "0 10, 5.0, 1",
    "0 10 20, 12.5, 1",
    "0 10 20 0, 6.25, 2",
  })
  void shouldAverageLagBehindFirstCopy(String lags, double expectedMs, long firsts) {
    DeliveryLead d = new DeliveryLead(0.5);
    long t = 1_000 * MS;
    for (String l : lags.split(" ")) {
      long lag = Long.parseLong(l) * MS;
      t += 100 * MS;
      d.record(t - lag, t);
    }
    assertEquals(expectedMs * MS, d.lagNs(), 1e-6);
    assertEquals(firsts, d.firsts());
    assertEquals(lags.split(" ").length, d.samples());
  }

  @Test
  void shouldRecognizeConsistentlyFasterPeer() {
    DeliveryLead fast = new DeliveryLead(1.0 / 8);
    DeliveryLead slow = new DeliveryLead(1.0 / 8);
    for (int i = 0; i < 10; i++) {
      fast.recordLag(0, i);
      slow.recordLag(30 * MS, i);
    }
    assertTrue(fast.isConsistentlyFasterThan(slow, 10 * MS, 10));
    assertFalse(slow.isConsistentlyFasterThan(fast, 10 * MS, 10));
    assertFalse(fast.isConsistentlyFasterThan(slow, 10 * MS, 11), "too few samples");
    assertFalse(fast.isConsistentlyFasterThan(slow, 30 * MS, 10), "within margin");
    assertEquals(1.0, fast.firstRatio(), 1e-12);
    assertEquals(0.0, slow.firstRatio(), 1e-12);
  }

  @Test
  void shouldRejectCopyBeforeFirstArrival() {
    assertThrows(IllegalArgumentException.class, () -> new DeliveryLead(0.5).record(10, 9));
  }
}
