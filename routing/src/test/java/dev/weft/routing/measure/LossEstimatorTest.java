package dev.weft.routing.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LossEstimatorTest {

  /** outcomes ('L' lost, 'D' delivered), alpha 1/4, minSamples 4: expected ratio, confidence. */
  @ParameterizedTest
  @CsvSource({
    "L, 1.0, 0.25",
    "LD, 0.5, 0.5",
    "LDD, 0.3333333333333333, 0.75",
    "LDDD, 0.25, 1.0",
    // from the 5th sample the gain is alpha: .25 + .25 * (1 - .25)
    "LDDDL, 0.4375, 1.0",
    // .4375 * .75
    "LDDDLD, 0.328125, 1.0",
  })
  void shouldUseMeanThenEwma(String outcomes, double ratio, double confidence) {
    LossEstimator e = new LossEstimator(0.25, 4);
    long t = 0;
    for (char c : outcomes.toCharArray()) {
      e.record(c == 'L', t++);
    }
    assertEquals(ratio, e.ratio(), 1e-12);
    assertEquals(confidence, e.confidence(), 1e-12);
    assertEquals(ratio * confidence, e.weightedRatio(), 1e-12);
    assertEquals(outcomes.length(), e.samples());
    assertEquals(outcomes.chars().filter(c -> c == 'L').count(), e.losses());
  }

  @Test
  void shouldNotDeclareLossOnTooFewSamples() {
    LossEstimator e = new LossEstimator(MeasureParams.defaults());
    e.recordLost(1);
    e.recordDelivered(2);
    assertEquals(0.5, e.ratio(), 1e-12);
    assertFalse(e.isLossAbove(0.1), "1 loss in 2 samples is not confident");
    assertEquals(0.25, e.confidence(), 1e-12, "default minSamples is 8");
    for (int i = 0; i < 6; i++) {
      e.recordLost(3 + i);
    }
    assertTrue(e.isLossAbove(0.1));
  }

  @Test
  void shouldCountGapAsLossesThenDelivery() {
    LossEstimator e = new LossEstimator(0.25, 4);
    e.recordGap(2, 7);
    // L, L, D: mean 2/3
    assertEquals(2.0 / 3, e.ratio(), 1e-12);
    assertEquals(3, e.samples());
    assertEquals(2, e.losses());
    assertEquals(7, e.lastUpdateNs());
    assertThrows(IllegalArgumentException.class, () -> e.recordGap(-1, 8));
  }

  @Test
  void shouldDecayLossAfterRecovery() {
    LossEstimator e = new LossEstimator(1.0 / 16, 8);
    for (int i = 0; i < 16; i++) {
      e.recordLost(i);
    }
    assertTrue(e.isLossAbove(0.9));
    for (int i = 0; i < 64; i++) {
      e.recordDelivered(100 + i);
    }
    assertFalse(e.isLossAbove(0.05), "ratio " + e.ratio());
  }
}
