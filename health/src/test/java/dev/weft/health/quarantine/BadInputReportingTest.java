package dev.weft.health.quarantine;

import static dev.weft.health.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.events.MalformedReason;
import dev.weft.core.gossip.PeerScoreThresholds;
import dev.weft.core.node.Outbox;
import dev.weft.core.wire.ControlMessage;
import dev.weft.health.RouterRig;
import dev.weft.health.signals.ViolationKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input refused by the router or the driver reaches the health monitor as violations. */
class BadInputReportingTest {
  static final long S = 1_000_000_000L;

  @Test
  void shouldCountEachKindOfBadInputAgainstItsSender() {
    HealthMonitor m = new HealthMonitor(HealthMonitor.Config.defaults(RouterRig.T), 0);
    RouterRig rig = new RouterRig(RouterRig.params(), PeerScoreThresholds.neutral(), m);
    rig.start(1, 5);
    rig.advance(Duration.ofMillis(200));

    Outbox o = new Outbox();
    rig.router.rpcMalformed(rig.nowNs, peer(1), MalformedReason.OVERSIZE, o);
    rig.router.rpcMalformed(rig.nowNs, peer(1), MalformedReason.LIMIT_EXCEEDED, o);
    assertTrue(o.drain().isEmpty(), "a refused frame changes nothing in the router");
    rig.send(2, RouterRig.invalid(1));
    // peer 3 is pruned by us, then GRAFTs again at once: backoff violation within the flood window
    rig.control(3, new ControlMessage(null, null, null,
        List.of(new ControlMessage.Prune(RouterRig.T, List.of(), 60L)), null));
    rig.control(3, new ControlMessage(null, null,
        List.of(new ControlMessage.Graft(RouterRig.T)), null, null));

    Map<ViolationKind, Long> v1 = m.explain(peer(1), rig.nowNs).violations();
    assertEquals(2L, v1.get(ViolationKind.MALFORMED_FRAME));
    assertEquals(1L, m.explain(peer(2), rig.nowNs).violations().get(ViolationKind.INVALID_MESSAGE));
    assertEquals(1L,
        m.explain(peer(3), rig.nowNs).violations().get(ViolationKind.GRAFT_DURING_BACKOFF));
    assertTrue(m.explain(peer(4), rig.nowNs).violations().isEmpty(), "innocent peer untouched");

    // the node keeps serving the others: a valid message from peer 4 is forwarded to peer 5
    rig.clear();
    rig.send(4, RouterRig.msg(7));
    assertFalse(rig.messagesTo(5).isEmpty());
  }
}
