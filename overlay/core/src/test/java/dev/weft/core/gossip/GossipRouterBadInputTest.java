package dev.weft.core.gossip;

import static dev.weft.core.gossip.GossipRouterTest.graft;
import static dev.weft.core.gossip.GossipRouterTest.ihave;
import static dev.weft.core.gossip.RouterHarness.T;
import static dev.weft.core.gossip.RouterHarness.peer;
import static dev.weft.core.gossip.RouterHarness.secs;
import static dev.weft.core.gossip.RouterHarness.signed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.events.MalformedReason;
import dev.weft.core.identity.PeerId;
import dev.weft.core.node.Effect;
import dev.weft.core.node.Outbox;
import dev.weft.core.wire.ControlMessage;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PeerInfo;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import dev.weft.core.wire.SubOpts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each kind of bad input is refused as the spec says, reported as an event (which scorers count),
 * and the router keeps serving its other peers.
 */
class GossipRouterBadInputTest {
  static final GossipParams SPEC = GossipParams.specDefaults();

  @Test
  void shouldReportMalformedFramesWithoutTouchingState() {
    RouterHarness h = new RouterHarness(SPEC);
    h.subscribe(T);
    h.connectSubscribed(1, 3);
    h.advance(secs(1));
    List<PeerId> meshBefore = h.router.meshPeers(T);
    h.clear();
    for (MalformedReason r : MalformedReason.values()) {
      Outbox o = new Outbox();
      h.router.rpcMalformed(h.nowNs, peer(1), r, o);
      assertTrue(o.drain().isEmpty());
    }
    assertEquals(List.of("malformed OVERSIZE " + peer(1), "malformed UNDECODABLE " + peer(1),
        "malformed LIMIT_EXCEEDED " + peer(1)), h.trace.matching("malformed"));
    assertEquals(meshBefore, h.router.meshPeers(T));
    // the sender is still served: its next valid message is delivered and forwarded
    h.rpc(1, Rpc.ofMessages(List.of(signed(9, T, "ok".getBytes(), 1))));
    assertEquals(1, h.effectsOf(Effect.Deliver.class).size());
  }

  @Test
  void shouldCountGraftForUnknownTopicWithoutPrune() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connectSubscribed(1, 1);
    h.clear();
    h.control(1, graft("nobody-joined-this"));
    assertTrue(h.sentTo(1).isEmpty(), "no PRUNE for an unknown topic");
    assertEquals(List.of("throttled UNKNOWN_TOPIC_GRAFT " + peer(1)),
        h.trace.matching("throttled"));
  }

  @Test
  void shouldIgnoreIHaveForUnknownTopicAndNotAskForIt() {
    RouterHarness h = new RouterHarness(SPEC);
    h.subscribe(T);
    h.connectSubscribed(1, 1);
    h.clear();
    MessageId id = RouterHarness.idOf(signed(9, "other", "x".getBytes(), 1));
    h.control(1, ihave("other", List.of(id)));
    assertTrue(h.iwantsTo(1).isEmpty());
  }

  @Test
  void shouldTruncateOverlongIHaveToMaxIHaveLength() {
    RouterHarness h = new RouterHarness(SPEC.toBuilder().maxIHaveLength(10).build());
    h.subscribe(T);
    h.connectSubscribed(1, 1);
    h.clear();
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ids.add(RouterHarness.idOf(signed(9, T, ("m" + i).getBytes(), i)));
    }
    h.control(1, ihave(T, ids));
    int asked = 0;
    for (ControlMessage.IWant w : h.iwantsTo(1)) {
      asked += w.messageIds().size();
      assertTrue(ids.containsAll(w.messageIds()));
    }
    assertEquals(10, asked);
    assertEquals(1, h.trace.matching("throttled IWANT_BUDGET_EXHAUSTED").size());
  }

  @Test
  void shouldCarrySignedPeerRecordsInPx() {
    RouterHarness h = new RouterHarness(SPEC.toBuilder().doPx(true).build());
    h.subscribe(T);
    for (int i = 1; i <= 13; i++) {
      h.connect(i, "/meshsub/1.2.0", false);
      h.rpc(i, Rpc.ofSubscriptions(List.of(new SubOpts(true, T))));
      h.router.signedPeerRecordUpdated(peer(i), new byte[] {(byte) i, 42});
    }
    for (int i = 1; i <= 13; i++) {
      h.control(i, graft(T));
    }
    h.advance(secs(1));
    int records = 0;
    for (int i = 1; i <= 13; i++) {
      for (ControlMessage.Prune p : h.prunesTo(i)) {
        assertFalse(p.peers().isEmpty());
        for (PeerInfo pi : p.peers()) {
          int j = 1;
          while (!peer(j).equals(pi.peerId())) {
            j++;
          }
          assertArrayEquals(new byte[] {(byte) j, 42}, pi.signedPeerRecord(),
              "PX entry for peer " + j + " carries its record");
          records++;
        }
      }
    }
    assertTrue(records > 0);
  }

  @Test
  void shouldRejectInvalidSignatureAndKeepForwardingValidMessages() {
    RouterHarness h = new RouterHarness(SPEC);
    h.subscribe(T);
    h.connectSubscribed(1, 4);
    h.advance(secs(1));
    h.clear();
    PubMessage good = signed(9, T, "x".getBytes(), 1);
    PubMessage forged = new PubMessage(good.from(), "y".getBytes(), good.seqno(), T,
        good.signature(), null);
    h.rpc(1, Rpc.ofMessages(List.of(forged)));
    assertEquals(1, h.trace.matching("reject").size());
    assertTrue(h.effectsOf(Effect.Deliver.class).isEmpty());
    h.rpc(1, Rpc.ofMessages(List.of(good)));
    assertEquals(1, h.effectsOf(Effect.Deliver.class).size(), "the forged copy did not poison the ID");
  }
}
