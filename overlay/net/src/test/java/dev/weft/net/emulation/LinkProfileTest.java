package dev.weft.net.emulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LinkProfileTest {

  @Test
  void shouldDefaultToIdealLinkWithLinuxMinimumRto() {
    LinkProfile p = LinkProfile.builder().build();
    assertTrue(p.isIdeal());
    assertEquals(200, p.lossPenaltyMs());
    assertEquals(PartitionMode.HOLD, p.partitionMode());
    assertEquals(LinkProfile.IDEAL, p);
    assertFalse(p.withPartitioned(true).isIdeal());
    assertEquals(p, p.withPartitioned(true).withPartitioned(false));
    LinkProfile q = LinkProfile.builder().latencyMs(3).jitterMs(2).lossRatio(0.1)
        .bandwidthBytesPerSec(5).partitionMode(PartitionMode.CLOSE).build();
    assertEquals(q, q.toBuilder().build());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of((UnaryOperator<LinkProfile.Builder>) b -> b.latencyMs(-1), "latencyMs"),
        Arguments.of((UnaryOperator<LinkProfile.Builder>) b -> b.latencyMs(600_001), "latencyMs"),
        Arguments.of((UnaryOperator<LinkProfile.Builder>) b -> b.jitterMs(-5), "jitterMs"),
        Arguments.of((UnaryOperator<LinkProfile.Builder>) b -> b.lossPenaltyMs(-1),
            "lossPenaltyMs"),
        Arguments.of((UnaryOperator<LinkProfile.Builder>) b -> b.lossRatio(1.01), "lossRatio"),
        Arguments.of((UnaryOperator<LinkProfile.Builder>) b -> b.lossRatio(Double.NaN),
            "lossRatio"),
        Arguments.of((UnaryOperator<LinkProfile.Builder>) b -> b.bandwidthBytesPerSec(-1),
            "bandwidthBytesPerSec"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void shouldRejectInvalidFieldNamingIt(UnaryOperator<LinkProfile.Builder> f, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.apply(LinkProfile.builder()).build());
    assertTrue(e.getMessage().startsWith(field + " must be"), e.getMessage());
  }

  @Test
  void shouldRejectNullPartitionMode() {
    assertThrows(NullPointerException.class,
        () -> LinkProfile.builder().partitionMode(null).build());
  }
}
