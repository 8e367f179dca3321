package dev.weft.routing.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RttEstimatorTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000 * MS;

  private static RttEstimator rfc() {
    return new RttEstimator(1.0 / 8, 1.0 / 4, 1.0 / 16, 10 * S, 256);
  }

  /** samples (ms), then expected srtt, rttvar, jitter (ms), hand-computed from RFC 6298 rules. */
  static Stream<Arguments> formulas() {
    return Stream.of(
        Arguments.of(new long[] {100}, 100.0, 50.0, 0.0),
        // rttvar = .75*50 + .25*|100-120| = 42.5; srtt = .875*100 + .125*120 = 102.5; jit = 20/16
        Arguments.of(new long[] {100, 120}, 102.5, 42.5, 1.25),
        // rttvar = .75*42.5 + .25*|102.5-80| = 37.5; srtt = .875*102.5 + 10 = 99.6875;
        // jit = 1.25 + (40 - 1.25)/16 = 3.671875
        Arguments.of(new long[] {100, 120, 80}, 99.6875, 37.5, 3.671875),
        // constant samples: deviation decays by .75 per sample, jitter stays 0
        Arguments.of(new long[] {40, 40, 40}, 40.0, 20.0 * 0.75 * 0.75, 0.0));
  }

  @ParameterizedTest
  @MethodSource("formulas")
  void shouldFollowRfc6298Formulas(long[] samplesMs, double srtt, double rttvar, double jitter) {
    RttEstimator e = rfc();
    long t = 0;
    for (long r : samplesMs) {
      e.record(r * MS, t += S);
    }
    assertEquals(srtt * MS, e.srttNs(), 1e-6);
    assertEquals(rttvar * MS, e.rttvarNs(), 1e-6);
    assertEquals(jitter * MS, e.jitterNs(), 1e-6);
    assertEquals(samplesMs.length, e.samples());
    assertEquals(samplesMs[samplesMs.length - 1] * MS, e.lastRttNs());
  }

  @Test
  void shouldDeriveTimeoutFromSrttPlusKTimesRttvar() {
    RttEstimator e = rfc();
    e.record(100 * MS, 0);
    e.record(120 * MS, 1);
    e.record(80 * MS, 2);
    // 99.6875 + 4 * 37.5 = 249.6875 ms
    assertEquals(249_687_500L, e.timeoutNs(4, 0, 10 * S));
    assertEquals(300 * MS, e.timeoutNs(4, 300 * MS, 10 * S), "floor applies");
    assertEquals(200 * MS, e.timeoutNs(4, 0, 200 * MS), "ceiling applies");
    assertEquals(99_687_500L, e.timeoutNs(0, 0, 10 * S));
  }

  @Test
  void shouldUseCeilingAsTimeoutBeforeAnySample() {
    assertEquals(3 * S, rfc().timeoutNs(4, 50 * MS, 3 * S));
    assertThrows(IllegalArgumentException.class, () -> rfc().timeoutNs(4, 2, 1));
  }

  @Test
  void shouldTrackMinimumOverSlidingWindow() {
    RttEstimator e = rfc(); // 10 s window
    assertEquals(-1, e.minRttNs(0));
    e.record(50 * MS, 0);
    e.record(40 * MS, 1 * S);
    e.record(60 * MS, 2 * S);
    assertEquals(40 * MS, e.minRttNs(2 * S));
    assertEquals(40 * MS, e.minRttNs(11 * S), "sample at 1 s still inside [1 s, 11 s]");
    assertEquals(60 * MS, e.minRttNs(11_500 * MS), "40 ms sample left the window");
    e.record(70 * MS, 20 * S);
    assertEquals(70 * MS, e.minRttNs(20 * S));
    assertEquals(70 * MS, e.minRttNs(100 * S), "newest sample is kept as baseline");
  }

  @Test
  void shouldBoundMinWindowEntries() {
    RttEstimator e = new RttEstimator(1.0 / 8, 1.0 / 4, 1.0 / 16, 1000 * S, 4);
    for (int i = 1; i <= 10; i++) {
      e.record(i * MS, i); // increasing: every sample is a candidate
    }
    // only the last 4 candidates (7..10 ms) survive the bound
    assertEquals(7 * MS, e.minRttNs(10));
  }

  @Test
  void shouldRejectNegativeRtt() {
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> rfc().record(-1, 0));
    assertEquals("rttNs must be >= 0, was -1", ex.getMessage());
  }
}
