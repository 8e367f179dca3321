package dev.weft.health.score;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScoreParamsValidationTest {

  static Stream<Arguments> badTopics() {
    return Stream.of(
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.topicWeight(-1),
            "topicWeight=-1.0 must be >= 0"),
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.timeInMeshWeight(-1),
            "timeInMeshWeight"),
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.timeInMeshQuantum(Duration.ZERO),
            "timeInMeshQuantum"),
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.timeInMeshCap(0),
            "timeInMeshCap"),
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.firstMessageDeliveriesWeight(-1),
            "firstMessageDeliveriesWeight"),
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.firstMessageDeliveriesDecay(1),
            "firstMessageDeliveriesDecay=1.0 must be in (0, 1)"),
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.firstMessageDeliveriesCap(0),
            "firstMessageDeliveriesCap"),
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.meshMessageDeliveriesWeight(1),
            "meshMessageDeliveriesWeight=1.0 must be <= 0"),
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.meshMessageDeliveriesDecay(0),
            "meshMessageDeliveriesDecay"),
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.meshMessageDeliveriesThreshold(0),
            "meshMessageDeliveriesThreshold=0.0 must be > 0"),
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.meshMessageDeliveriesThreshold(200),
            "must be <= meshMessageDeliveriesCap"),
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.meshMessageDeliveriesWindow(Duration.ofMillis(-1)),
            "meshMessageDeliveriesWindow"),
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.meshMessageDeliveriesActivation(Duration.ofMillis(999)),
            "meshMessageDeliveriesActivation=PT0.999S must be >= 1s"),
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.meshFailurePenaltyWeight(0.5),
            "meshFailurePenaltyWeight"),
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.meshFailurePenaltyDecay(1.5),
            "meshFailurePenaltyDecay"),
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.invalidMessageDeliveriesWeight(1),
            "invalidMessageDeliveriesWeight"),
        Arguments.of((UnaryOperator<TopicScoreParams.Builder>) b -> b.invalidMessageDeliveriesDecay(0),
            "invalidMessageDeliveriesDecay"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badTopics")
  void shouldRejectInvalidTopicParamsNamingFieldAndRule(
      UnaryOperator<TopicScoreParams.Builder> change, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> change.apply(TopicScoreParams.builder()).build());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  static Stream<Arguments> badGlobals() {
    return Stream.of(
        Arguments.of((UnaryOperator<PeerScoreParams.Builder>) b -> b.topicScoreCap(-1),
            "topicScoreCap=-1.0 must be >= 0"),
        Arguments.of((UnaryOperator<PeerScoreParams.Builder>) b -> b.ipColocationFactorWeight(1),
            "ipColocationFactorWeight=1.0 must be <= 0"),
        Arguments.of((UnaryOperator<PeerScoreParams.Builder>) b -> b.ipColocationFactorThreshold(0.5),
            "ipColocationFactorThreshold=0.5 must be >= 1"),
        Arguments.of((UnaryOperator<PeerScoreParams.Builder>) b -> b.behaviourPenaltyWeight(1),
            "behaviourPenaltyWeight"),
        Arguments.of((UnaryOperator<PeerScoreParams.Builder>) b -> b.behaviourPenaltyDecay(1),
            "behaviourPenaltyDecay=1.0 must be in (0, 1)"),
        Arguments.of((UnaryOperator<PeerScoreParams.Builder>) b -> b.behaviourPenaltyThreshold(-1),
            "behaviourPenaltyThreshold"),
        Arguments.of((UnaryOperator<PeerScoreParams.Builder>) b -> b.decayInterval(Duration.ofMillis(500)),
            "decayInterval=PT0.5S must be >= 1s"),
        Arguments.of((UnaryOperator<PeerScoreParams.Builder>) b -> b.decayToZero(0),
            "decayToZero"),
        Arguments.of((UnaryOperator<PeerScoreParams.Builder>) b -> b.retainScore(Duration.ofSeconds(-1)),
            "retainScore"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badGlobals")
  void shouldRejectInvalidPeerParamsNamingFieldAndRule(
      UnaryOperator<PeerScoreParams.Builder> change, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> change.apply(PeerScoreParams.builder()).build());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void shouldReportEveryBrokenRuleAtOnce() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PeerScoreParams.builder().topicScoreCap(-1).decayToZero(2).build());
    assertTrue(e.getMessage().contains("topicScoreCap") && e.getMessage().contains("decayToZero"));
  }

  @Test
  void shouldAllowDisabledComponentsWithoutTheirDecays() {
    assertDoesNotThrow(() -> TopicScoreParams.builder().meshMessageDeliveriesWeight(0)
        .meshMessageDeliveriesDecay(0).meshMessageDeliveriesActivation(Duration.ZERO).build());
    assertDoesNotThrow(() -> PeerScoreParams.builder().behaviourPenaltyWeight(0)
        .behaviourPenaltyDecay(0).build());
  }

  @Test
  void shouldBuildPresetsAndRoundTripThroughBuilders() {
    PeerScoreParams js = PeerScoreParams.jsDefaults();
    PeerScoreParams weft = PeerScoreParams.weftMarketData("ticks");
    assertTrue(weft.topics().containsKey("ticks"));
    assertTrue(js.equals(js.toBuilder().build()));
    assertTrue(weft.equals(weft.toBuilder().build()));
    TopicScoreParams t = TopicScoreParams.weftMarketData();
    assertTrue(t.equals(t.toBuilder().build()));
  }

  @Test
  void shouldKeepWorstDeliveryPenaltyOfWeftPresetAboveGossipThreshold() {
    TopicScoreParams t = TopicScoreParams.weftMarketData();
    double worstP3 = t.topicWeight() * t.meshMessageDeliveriesWeight()
        * t.meshMessageDeliveriesThreshold() * t.meshMessageDeliveriesThreshold();
    assertTrue(worstP3 > -10, "worst P3 " + worstP3 + " must stay above gossip threshold -10");
  }
}
