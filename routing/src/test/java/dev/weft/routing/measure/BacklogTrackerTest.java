package dev.weft.routing.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BacklogTrackerTest {

  /** fast 1/2, slow 1/8, ratio 1.5, minBytes 100, minSamples 3. */
  @ParameterizedTest
  @CsvSource({
    "100, 100.0, 100.0, false",
    "100 200, 150.0, 112.5, false", // too few samples
    // fast 275 > 1.5 * 148.4375
    "100 200 400, 275.0, 148.4375, true",
    // flat: fast == slow
    "100 100 100, 100.0, 100.0, false",
    // rising but below minBytes: fast 52.5 > 1.5 * 13.59375 yet < 100
    "0 10 100, 52.5, 13.59375, false",
  })
  void shouldDetectRisingBacklog(String samples, double fast, double slow, boolean rising) {
    BacklogTracker b = new BacklogTracker(0.5, 0.125, 1.5, 100, 3);
    long t = 0;
    for (String s : samples.split(" ")) {
      b.record(Long.parseLong(s), t++);
    }
    assertEquals(fast, b.fastBytes(), 1e-9);
    assertEquals(slow, b.slowBytes(), 1e-9);
    assertEquals(rising, b.isRising());
  }

  @Test
  void shouldStopFlaggingSteadyLargeQueue() {
    BacklogTracker b = new BacklogTracker(0.5, 0.125, 1.5, 100, 3);
    b.record(0, 0);
    for (int i = 1; i <= 3; i++) {
      b.record(1_000_000, i);
    }
    assertTrue(b.isRising());
    for (int i = 4; i < 100; i++) {
      b.record(1_000_000, i);
    }
    assertFalse(b.isRising(), "a steady queue is throughput, not congestion");
    assertEquals(1_000_000, b.lastBytes());
  }
}
