package dev.weft.core.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GossipParamsTest {

  @Test
  void shouldUseSpecDefaults() {
    GossipParams p = GossipParams.specDefaults();
    assertEquals(6, p.d());
    assertEquals(4, p.dLow());
    assertEquals(12, p.dHigh());
    assertEquals(2, p.dOut());
    assertEquals(Duration.ofSeconds(1), p.heartbeatInterval());
    assertEquals(Duration.ofSeconds(60), p.pruneBackoff());
    assertEquals(3, p.gossipRetransmission());
    assertEquals(SignaturePolicy.STRICT_SIGN, p.signaturePolicy());
  }

  @Test
  void shouldRejectDOutNotBelowDLowNamingParameterAndRule() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GossipParams.builder().d(8).dLow(4).dOut(4).build());
    assertTrue(e.getMessage().contains("dOut=4 must be >= 0, < dLow=4 and <= d/2=4"), e.getMessage());
  }

  @Test
  void shouldRejectDOutAboveHalfD() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GossipParams.builder().d(6).dLow(5).dOut(4).build());
    assertTrue(e.getMessage().contains("d/2=3"), e.getMessage());
  }

  @Test
  void shouldReportEveryViolatedRuleAtOnce() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GossipParams.builder().dLow(7).dHigh(5).mcacheGossip(9).gossipFactor(2)
            .heartbeatInterval(Duration.ZERO).build());
    String m = e.getMessage();
    assertTrue(m.contains("dLow=7 must be >= 1 and <= d=6"), m);
    assertTrue(m.contains("dHigh=5 must be >= d=6"), m);
    assertTrue(m.contains("mcacheGossip=9 must be >= 1 and <= mcacheLen=5"), m);
    assertTrue(m.contains("gossipFactor=2.0 must be in [0, 1]"), m);
    assertTrue(m.contains("heartbeatInterval=PT0S must be > 0"), m);
  }

  @Test
  void shouldRejectFractionalBackoffBecausePruneCarriesSeconds() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GossipParams.builder().pruneBackoff(Duration.ofMillis(1500)).build());
    assertTrue(e.getMessage().contains("pruneBackoff=PT1.5S must be whole seconds"), e.getMessage());
  }

  @Test
  void shouldRejectUnsubscribeBackoffLongerThanPruneBackoff() {
    assertThrows(IllegalArgumentException.class,
        () -> GossipParams.builder().unsubscribeBackoff(Duration.ofSeconds(90)).build());
  }

  @Test
  void shouldBuildEthereumConsensusPreset() {
    GossipParams p = GossipParams.ethereumConsensus();
    assertEquals(8, p.d());
    assertEquals(6, p.dLow());
    assertEquals(12, p.dHigh());
    assertEquals(6, p.dLazy());
    assertEquals(Duration.ofMillis(700), p.heartbeatInterval());
    assertEquals(6, p.mcacheLen());
    assertEquals(3, p.mcacheGossip());
  }

  @Test
  void shouldBuildLowLatencyPresetWithFastHeartbeat() {
    GossipParams p = GossipParams.lowLatencyMarketData();
    assertTrue(p.heartbeatInterval().toMillis() < 1000);
    assertTrue(p.floodPublish());
  }

  @Test
  void shouldRoundTripThroughToBuilder() {
    GossipParams p = GossipParams.lowLatencyMarketData();
    assertEquals(p, p.toBuilder().build());
  }

  @Test
  void shouldValidateScoreThresholdOrdering() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PeerScoreThresholds(-10, -5, -80, 10, 20));
    assertTrue(e.getMessage().contains("publish=-5.0 must be <= gossip=-10.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PeerScoreThresholds(1, -5, -80, 10, 20));
    assertThrows(IllegalArgumentException.class, () -> new PeerScoreThresholds(-10, -50, -40, 10, 20));
    assertThrows(IllegalArgumentException.class, () -> new PeerScoreThresholds(-10, -50, -80, -1, 20));
    assertThrows(IllegalArgumentException.class, () -> new PeerScoreThresholds(-10, -50, -80, 1, -1));
    assertEquals(-80, PeerScoreThresholds.jsDefaults().graylist());
  }
}
