package dev.weft.routing.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MeasureParamsTest {

  @Test
  void shouldHaveDocumentedDefaults() {
    MeasureParams p = MeasureParams.defaults();
    assertEquals(0.125, p.rttAlpha());
    assertEquals(0.25, p.rttBeta());
    assertEquals(0.0625, p.jitterGain());
    assertEquals(8, p.lossMinSamples());
    assertEquals(4.0, p.timeoutMultiplier());
    assertEquals(p, p.toBuilder().build());
  }

  static Stream<Arguments> invalid() {
    return Stream.<Arguments>of(
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.rttAlpha(0), "rttAlpha"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.rttBeta(1.5), "rttBeta"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.jitterGain(Double.NaN),
            "jitterGain"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.minRttWindowNs(10),
            "minRttWindowNs"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.minRttMaxEntries(1),
            "minRttMaxEntries"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.rttMinSamples(0),
            "rttMinSamples"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.congestionRttRatio(0.9),
            "congestionRttRatio"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.congestionMinExcessNs(-1),
            "congestionMinExcessNs"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.lossAlpha(-0.1), "lossAlpha"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.lossMinSamples(0),
            "lossMinSamples"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.leadAlpha(2), "leadAlpha"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.backlogSlowAlpha(0.9),
            "backlogSlowAlpha"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.backlogRiseRatio(1.0),
            "backlogRiseRatio"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.backlogMinBytes(-1),
            "backlogMinBytes"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.backlogMinSamples(0),
            "backlogMinSamples"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.unknownRttNs(-1),
            "unknownRttNs"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.congestionPenaltyNs(-1),
            "congestionPenaltyNs"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.timeoutMultiplier(-1),
            "timeoutMultiplier"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.timeoutFloorNs(-1),
            "timeoutFloorNs"),
        Arguments.of((UnaryOperator<MeasureParams.Builder>) b -> b.timeoutCeilNs(1),
            "timeoutCeilNs"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void shouldRejectInvalidFieldNamingIt(UnaryOperator<MeasureParams.Builder> f, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.apply(MeasureParams.builder()).build());
    assertTrue(e.getMessage().startsWith(field + " must be"), e.getMessage());
  }
}
