package dev.weft.core.gossip;

import static dev.weft.core.gossip.RouterHarness.T;
import static dev.weft.core.gossip.RouterHarness.idOf;
import static dev.weft.core.gossip.RouterHarness.peer;
import static dev.weft.core.gossip.RouterHarness.secs;
import static dev.weft.core.gossip.RouterHarness.signed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.identity.PeerId;
import dev.weft.core.node.Effect;
import dev.weft.core.wire.ControlMessage;
import dev.weft.core.wire.GossipProto;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PeerInfo;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import dev.weft.core.wire.SubOpts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GossipRouterTest {
  static final GossipParams SPEC = GossipParams.specDefaults();

  static ControlMessage graft(String t) {
    return new ControlMessage(null, null, List.of(new ControlMessage.Graft(t)), null, null);
  }

  static ControlMessage prune(String t, List<PeerInfo> px, Long backoff) {
    return new ControlMessage(null, null, null, List.of(new ControlMessage.Prune(t, px, backoff)), null);
  }

  static ControlMessage ihave(String t, List<MessageId> ids) {
    return new ControlMessage(List.of(new ControlMessage.IHave(t, ids)), null, null, null, null);
  }

  static ControlMessage iwant(List<MessageId> ids) {
    return new ControlMessage(null, List.of(new ControlMessage.IWant(ids)), null, null, null);
  }

  static ControlMessage idontwant(List<MessageId> ids) {
    return new ControlMessage(null, null, null, null, List.of(new ControlMessage.IDontWant(ids)));
  }

  // ------------------------------------------------------------ subscriptions and mesh

  @Test
  void shouldAnnounceSubscriptionsToNewPeer() {
    RouterHarness h = new RouterHarness(SPEC);
    h.subscribe(T);
    h.connect(1, "/meshsub/1.2.0", true);
    assertEquals(List.of(new SubOpts(true, T)), h.sentTo(1).get(0).subscriptions());
  }

  @Test
  void shouldAnnounceSubscribeAndUnsubscribeToAllPeersIncludingFloodsub() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connect(1, "/floodsub/1.0.0", true);
    h.connect(2, "/meshsub/1.0.0", false);
    h.subscribe(T);
    h.unsubscribe(T);
    for (int i = 1; i <= 2; i++) {
      List<SubOpts> subs = new ArrayList<>();
      h.sentTo(i).forEach(r -> subs.addAll(r.subscriptions()));
      assertEquals(List.of(new SubOpts(true, T), new SubOpts(false, T)), subs);
    }
  }

  @Test
  void shouldGraftUpToDPeersOnJoin() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connectSubscribed(1, 10);
    h.subscribe(T);
    assertEquals(6, h.meshSize());
    int grafted = 0;
    for (int i = 1; i <= 10; i++) {
      grafted += h.graftsTo(i).size();
      assertEquals(h.router.meshPeers(T).contains(peer(i)) ? 1 : 0, h.graftsTo(i).size());
    }
    assertEquals(6, grafted);
  }

  @Test
  void shouldFillMeshAtHeartbeatWhenBelowDLow() {
    RouterHarness h = new RouterHarness(SPEC);
    h.subscribe(T);
    h.connectSubscribed(1, 10);
    assertEquals(0, h.meshSize());
    h.advance(secs(1));
    assertEquals(6, h.meshSize());
  }

  @Test
  void shouldPruneOversubscribedMeshToDKeepingOutboundPeers() {
    RouterHarness h = new RouterHarness(SPEC.toBuilder().doPx(true).build());
    h.subscribe(T);
    h.connect(1, "/meshsub/1.2.0", true);
    h.connect(2, "/meshsub/1.2.0", true);
    for (int i = 3; i <= 20; i++) {
      h.connect(i, "/meshsub/1.2.0", false);
    }
    for (int i = 1; i <= 20; i++) {
      h.rpc(i, Rpc.ofSubscriptions(List.of(new SubOpts(true, T))));
    }
    for (int i = 3; i <= 20; i++) {
      h.control(i, graft(T));
    }
    assertEquals(12, h.meshSize(), "inbound GRAFTs beyond D_hi are refused");
    assertEquals(List.of("prune " + peer(15) + " t MESH_FULL"),
        h.trace.matching("prune " + peer(15)));
    h.control(1, graft(T));
    h.control(2, graft(T));
    assertEquals(14, h.meshSize(), "outbound GRAFTs are accepted above D_hi");
    h.clear();
    h.advance(secs(1));
    assertEquals(6, h.meshSize());
    assertTrue(h.router.meshPeers(T).containsAll(List.of(peer(1), peer(2))), "D_out kept");
    int pruned = 0;
    for (int i = 1; i <= 20; i++) {
      for (ControlMessage.Prune p : h.prunesTo(i)) {
        pruned++;
        assertEquals(60L, p.backoffSeconds());
        assertFalse(p.peers().isEmpty(), "doPx on: oversubscription PRUNE carries PX");
        assertTrue(h.router.inBackoff(peer(i), T, h.nowNs));
      }
    }
    assertEquals(8, pruned);
  }

  @Test
  void shouldNotGraftWithinBackoffPeriod() {
    RouterHarness h = new RouterHarness(SPEC);
    h.subscribe(T);
    h.connectSubscribed(1, 3);
    h.advance(secs(1));
    assertEquals(3, h.meshSize());
    h.control(1, prune(T, List.of(), 60L));
    assertEquals(2, h.meshSize());
    h.clear();
    h.advance(secs(61)); // 60 s backoff + less than the 2-heartbeat slack
    assertTrue(h.graftsTo(1).isEmpty(), "no GRAFT inside backoff + slack");
    assertFalse(h.router.meshPeers(T).contains(peer(1)));
    h.advance(secs(2));
    assertEquals(1, h.graftsTo(1).size());
    assertTrue(h.router.meshPeers(T).contains(peer(1)));
  }

  @Test
  void shouldApplyDefaultPruneBackoffToV10PeersIgnoringField() {
    RouterHarness h = new RouterHarness(SPEC);
    h.subscribe(T);
    h.connect(1, "/meshsub/1.0.0", true);
    h.rpc(1, Rpc.ofSubscriptions(List.of(new SubOpts(true, T))));
    h.advance(secs(1));
    h.control(1, prune(T, List.of(), 1L));
    h.clear();
    h.advance(secs(30));
    assertTrue(h.graftsTo(1).isEmpty());
  }

  @Test
  void shouldPruneGraftDuringBackoffAndReportViolation() {
    RouterHarness h = new RouterHarness(SPEC);
    h.subscribe(T);
    h.connectSubscribed(1, 1);
    h.advance(secs(1));
    h.control(1, prune(T, List.of(), 60L));
    h.clear();
    h.advance(Duration.ofMillis(500));
    h.control(1, graft(T));
    assertEquals(1, h.prunesTo(1).size());
    assertTrue(h.prunesTo(1).get(0).peers().isEmpty(), "no PX for a backoff violation");
    assertEquals(List.of("backoffViolation " + peer(1) + " t true"),
        h.trace.matching("backoffViolation"));
    assertFalse(h.router.meshPeers(T).contains(peer(1)));
  }

  @Test
  void shouldIgnoreGraftForTopicWeAreNotIn() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connectSubscribed(1, 1);
    h.clear();
    h.control(1, graft(T));
    assertTrue(h.sentTo(1).isEmpty(), "no PRUNE for unknown topic (v1.1 anti-spam)");
  }

  @Test
  void shouldPruneGraftFromDirectPeerAndNeverMeshIt() {
    RouterHarness h = new RouterHarness(SPEC, PeerScoreThresholds.neutral(), Set.of(peer(1)));
    h.subscribe(T);
    h.connectSubscribed(1, 3);
    h.advance(secs(1));
    assertFalse(h.router.meshPeers(T).contains(peer(1)));
    h.clear();
    h.control(1, graft(T));
    assertEquals(1, h.prunesTo(1).size());
    assertFalse(h.router.meshPeers(T).contains(peer(1)));
  }

  @Test
  void shouldForwardToDirectPeersAndDialThemWhenDisconnected() {
    RouterHarness h = new RouterHarness(SPEC.toBuilder().floodPublish(false).build(),
        PeerScoreThresholds.neutral(), Set.of(peer(1), peer(9)));
    h.subscribe(T);
    h.connectSubscribed(1, 3);
    h.advance(secs(1));
    assertEquals(List.of(new Effect.Dial(peer(9), null)).get(0).peer(),
        h.effectsOf(Effect.Dial.class).get(0).peer());
    h.clear();
    h.rpc(2, Rpc.ofMessages(List.of(signed(5, T, "x".getBytes(), 1))));
    assertEquals(1, h.messagesTo(1).size(), "direct peer always gets forwarded messages");
  }

  @Test
  void shouldPruneGraftFromNegativeScorePeer() {
    RouterHarness h = new RouterHarness(SPEC, PeerScoreThresholds.jsDefaults(), Set.of());
    h.subscribe(T);
    h.connectSubscribed(1, 1);
    h.scores.put(peer(1), -1.0);
    h.clear();
    h.control(1, graft(T));
    assertEquals(1, h.prunesTo(1).size());
    assertEquals(0, h.meshSize());
  }

  @Test
  void shouldDropNegativeScorePeersFromMeshAtHeartbeat() {
    RouterHarness h = new RouterHarness(SPEC, PeerScoreThresholds.jsDefaults(), Set.of());
    h.subscribe(T);
    h.connectSubscribed(1, 5);
    h.advance(secs(1));
    assertTrue(h.router.meshPeers(T).contains(peer(2)));
    h.scores.put(peer(2), -5.0);
    h.clear();
    h.advance(secs(1));
    assertFalse(h.router.meshPeers(T).contains(peer(2)));
    assertEquals(1, h.prunesTo(2).size());
    assertEquals(List.of("prune " + peer(2) + " t NEGATIVE_SCORE"), h.trace.matching("prune " + peer(2)));
  }

  @Test
  void shouldRemovePeerFromMeshOnDisconnect() {
    RouterHarness h = new RouterHarness(SPEC);
    h.subscribe(T);
    h.connectSubscribed(1, 3);
    h.advance(secs(1));
    h.router.peerDisconnected(h.nowNs, peer(2), new dev.weft.core.node.Outbox());
    assertFalse(h.router.meshPeers(T).contains(peer(2)));
    assertFalse(h.router.topicPeers(T).contains(peer(2)));
  }

  // ------------------------------------------------------------ PX

  @Test
  void shouldDialPxPeersFromPruneWhenPrunerScoreAboveAcceptPx() {
    RouterHarness h = new RouterHarness(SPEC, PeerScoreThresholds.jsDefaults(), Set.of());
    h.subscribe(T);
    h.connectSubscribed(1, 2);
    h.scores.put(peer(1), 20.0);
    h.clear();
    h.control(1, prune(T, List.of(new PeerInfo(peer(50), new byte[] {1, 2}),
        new PeerInfo(peer(0), null), new PeerInfo(peer(2), null), new PeerInfo(peer(51), null)), 60L));
    List<Effect.Dial> dials = h.effectsOf(Effect.Dial.class);
    assertEquals(2, dials.size(), "self and connected peers are not dialled");
    Set<PeerId> dialled = Set.of(dials.get(0).peer(), dials.get(1).peer());
    assertEquals(Set.of(peer(50), peer(51)), dialled);
    for (Effect.Dial d : dials) {
      if (d.peer().equals(peer(50))) {
        assertEquals(2, d.signedPeerRecord().length);
      }
    }
  }

  @Test
  void shouldNotDialPxFromPeerBelowAcceptPxThreshold() {
    RouterHarness h = new RouterHarness(SPEC, PeerScoreThresholds.jsDefaults(), Set.of());
    h.subscribe(T);
    h.connectSubscribed(1, 1);
    h.scores.put(peer(1), 5.0);
    h.control(1, prune(T, List.of(new PeerInfo(peer(50), null)), 60L));
    assertTrue(h.effectsOf(Effect.Dial.class).isEmpty());
    assertEquals(1, h.trace.matching("throttled PX_NOT_ACCEPTED").size());
  }

  // ------------------------------------------------------------ publishing and fanout

  @Test
  void shouldFloodPublishToAllTopicPeersAbovePublishThreshold() {
    RouterHarness h = new RouterHarness(SPEC, PeerScoreThresholds.jsDefaults(), Set.of());
    h.subscribe(T);
    h.connectSubscribed(1, 10);
    h.scores.put(peer(3), -60.0);
    h.clear();
    GossipRouter.PublishResult r = h.publish(T, "hi".getBytes());
    assertEquals(9, r.recipients());
    for (int i = 1; i <= 10; i++) {
      assertEquals(i == 3 ? 0 : 1, h.messagesTo(i).size(), "peer " + i);
    }
  }

  @Test
  void shouldPublishOnlyToMeshWithoutFloodPublish() {
    RouterHarness h = new RouterHarness(SPEC.toBuilder().floodPublish(false).build());
    h.connectSubscribed(1, 10);
    h.subscribe(T);
    h.clear();
    assertEquals(6, h.publish(T, "hi".getBytes()).recipients());
    for (int i = 1; i <= 10; i++) {
      assertEquals(h.router.meshPeers(T).contains(peer(i)) ? 1 : 0, h.messagesTo(i).size());
    }
  }

  @Test
  void shouldPublishToFanoutWhenNotSubscribedAndExpireItAfterTtl() {
    RouterHarness h = new RouterHarness(SPEC.toBuilder().floodPublish(false).build());
    h.connectSubscribed(1, 10);
    h.publish(T, "a".getBytes());
    List<PeerId> fan = h.router.fanoutPeers(T);
    assertEquals(6, fan.size());
    h.clear();
    h.advance(secs(30));
    h.publish(T, "b".getBytes());
    assertEquals(fan, h.router.fanoutPeers(T), "fanout reused while fresh");
    h.advance(secs(59));
    assertEquals(6, h.router.fanoutPeers(T).size());
    h.advance(secs(2));
    assertTrue(h.router.fanoutPeers(T).isEmpty(), "fanout forgotten fanoutTtl after last publish");
  }

  @Test
  void shouldMoveFanoutPeersIntoMeshOnJoin() {
    RouterHarness h = new RouterHarness(SPEC.toBuilder().floodPublish(false).build());
    h.connectSubscribed(1, 10);
    h.publish(T, "a".getBytes());
    List<PeerId> fan = h.router.fanoutPeers(T);
    h.subscribe(T);
    assertEquals(Set.copyOf(fan), Set.copyOf(h.router.meshPeers(T)));
    assertTrue(h.router.fanoutPeers(T).isEmpty());
  }

  @Test
  void shouldSignOwnMessagesWithMonotonicSeqnoFromInjectedStart() {
    RouterHarness h = new RouterHarness(SPEC);
    h.subscribe(T);
    h.connectSubscribed(1, 1);
    h.clear();
    h.publish(T, "a".getBytes());
    h.publish(T, "a".getBytes());
    List<PubMessage> sent = h.messagesTo(1);
    assertEquals(100, sent.get(0).seqnoAsLong());
    assertEquals(101, sent.get(1).seqnoAsLong());
    assertNull(SignaturePolicy.STRICT_SIGN.check(sent.get(0), dev.weft.core.testkit.TestKeys.verifier()));
    assertFalse(sent.get(0).hasKey(), "key is recoverable from an identity peer ID");
  }

  @Test
  void shouldRefusePublishLargerThanMaxMessageSize() {
    RouterHarness h = new RouterHarness(SPEC.toBuilder().maxMessageSize(2048).build());
    h.subscribe(T);
    h.connectSubscribed(1, 1);
    assertEquals(GossipRouter.PublishStatus.TOO_LARGE, h.publish(T, new byte[4096]).status());
    assertEquals(100, h.router.nextSeqno(), "refused publish does not consume a seqno");
  }

  // ------------------------------------------------------------ gossip: IHAVE / IWANT

  @Test
  void shouldEmitIHaveToNonMeshPeersOnly() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connectSubscribed(1, 10);
    h.subscribe(T);
    PubMessage m = signed(20, T, "x".getBytes(), 1);
    PeerId meshPeer = h.router.meshPeers(T).get(0);
    h.rpc(meshPeer.equals(peer(1)) ? 1 : indexOf(meshPeer), Rpc.ofMessages(List.of(m)));
    h.clear();
    h.advance(secs(1));
    int nonMesh = 0;
    for (int i = 1; i <= 10; i++) {
      List<ControlMessage.IHave> ih = h.ihavesTo(i);
      if (h.router.meshPeers(T).contains(peer(i))) {
        assertTrue(ih.isEmpty(), "no IHAVE to mesh peer " + i);
      } else {
        nonMesh++;
        assertEquals(List.of(idOf(m)), ih.get(0).messageIds());
      }
    }
    assertEquals(4, nonMesh);
  }

  static int indexOf(PeerId p) {
    for (int i = 1; i < 100; i++) {
      if (peer(i).equals(p)) {
        return i;
      }
    }
    throw new IllegalArgumentException();
  }

  @Test
  void shouldServeIWantFromMcacheAtMostGossipRetransmissionTimes() {
    RouterHarness h = new RouterHarness(SPEC);
    h.subscribe(T);
    h.connectSubscribed(1, 2);
    h.publish(T, "x".getBytes());
    MessageId id = idOf(h.messagesTo(1).get(0));
    h.clear();
    for (int k = 0; k < 5; k++) {
      h.control(1, iwant(List.of(id)));
    }
    assertEquals(3, h.messagesTo(1).size());
    assertEquals(2, h.trace.matching("throttled IWANT_RETRANSMISSION_LIMIT").size());
    h.clear();
    h.control(2, iwant(List.of(id)));
    assertEquals(1, h.messagesTo(2).size(), "limit is per peer");
  }

  @Test
  void shouldNotServeIWantOnceMessageLeftTheCache() {
    RouterHarness h = new RouterHarness(SPEC);
    h.subscribe(T);
    h.connectSubscribed(1, 1);
    h.publish(T, "x".getBytes());
    MessageId id = idOf(h.messagesTo(1).get(0));
    h.advance(secs(6)); // mcacheLen = 5 heartbeats
    h.clear();
    h.control(1, iwant(List.of(id)));
    assertTrue(h.messagesTo(1).isEmpty());
  }

  @Test
  void shouldRequestUnseenIdsAndReportBrokenPromise() {
    RouterHarness h = new RouterHarness(SPEC);
    h.subscribe(T);
    h.connectSubscribed(1, 2);
    MessageId id = idOf(signed(30, T, "y".getBytes(), 7));
    h.clear();
    h.control(1, ihave(T, List.of(id)));
    assertEquals(List.of(id), h.iwantsTo(1).get(0).messageIds());
    h.advance(secs(2));
    assertTrue(h.trace.matching("brokenPromise").isEmpty());
    h.advance(secs(2));
    assertEquals(List.of("brokenPromise " + peer(1) + " 1"), h.trace.matching("brokenPromise"));
  }

  @Test
  void shouldNotReportBrokenPromiseWhenMessageArrivesInTime() {
    RouterHarness h = new RouterHarness(SPEC);
    h.subscribe(T);
    h.connectSubscribed(1, 2);
    PubMessage m = signed(30, T, "y".getBytes(), 7);
    h.control(1, ihave(T, List.of(idOf(m))));
    h.advance(secs(1));
    h.rpc(1, Rpc.ofMessages(List.of(m)));
    h.advance(secs(5));
    assertTrue(h.trace.matching("brokenPromise").isEmpty());
  }

  @Test
  void shouldIgnoreIHaveBeyondMaxIHaveMessagesPerHeartbeat() {
    RouterHarness h = new RouterHarness(SPEC);
    h.subscribe(T);
    h.connectSubscribed(1, 1);
    h.clear();
    for (int k = 0; k < 12; k++) {
      h.control(1, ihave(T, List.of(idOf(signed(30, T, "y".getBytes(), k)))));
    }
    assertEquals(10, h.iwantsTo(1).size());
    assertEquals(2, h.trace.matching("throttled IHAVE_FLOOD").size());
    h.advance(secs(1));
    h.clear();
    h.control(1, ihave(T, List.of(idOf(signed(30, T, "y".getBytes(), 99)))));
    assertEquals(1, h.iwantsTo(1).size(), "counter resets each heartbeat");
  }

  @Test
  void shouldCapIWantIdsPerPeerPerHeartbeat() {
    RouterHarness h = new RouterHarness(SPEC.toBuilder().maxIHaveLength(5).build());
    h.subscribe(T);
    h.connectSubscribed(1, 1);
    List<MessageId> ids = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      ids.add(idOf(signed(30, T, "y".getBytes(), k)));
    }
    h.clear();
    h.control(1, ihave(T, ids));
    h.control(1, ihave(T, ids));
    assertEquals(1, h.iwantsTo(1).size());
    assertEquals(5, h.iwantsTo(1).get(0).messageIds().size());
  }

  @Test
  void shouldIgnoreIHaveFromPeerBelowGossipThreshold() {
    RouterHarness h = new RouterHarness(SPEC, PeerScoreThresholds.jsDefaults(), Set.of());
    h.subscribe(T);
    h.connectSubscribed(1, 1);
    h.scores.put(peer(1), -20.0);
    h.clear();
    h.control(1, ihave(T, List.of(idOf(signed(30, T, "y".getBytes(), 1)))));
    assertTrue(h.iwantsTo(1).isEmpty());
  }

  // ------------------------------------------------------------ IDONTWANT (v1.2)

  @Test
  void shouldSendIDontWantForLargeMessagesOnlyToV12MeshPeersExceptSender() {
    RouterHarness h = new RouterHarness(SPEC);
    for (int i = 1; i <= 6; i++) {
      h.connect(i, i <= 3 ? "/meshsub/1.2.0" : "/meshsub/1.1.0", true);
      h.rpc(i, Rpc.ofSubscriptions(List.of(new SubOpts(true, T))));
    }
    h.subscribe(T);
    assertEquals(6, h.meshSize());
    h.clear();
    PubMessage big = signed(30, T, new byte[2000], 1);
    h.rpc(1, Rpc.ofMessages(List.of(big)));
    assertTrue(h.idontwantsTo(1).isEmpty(), "not to the sender");
    for (int i = 2; i <= 3; i++) {
      assertEquals(List.of(idOf(big)), h.idontwantsTo(i).get(0).messageIds());
    }
    for (int i = 4; i <= 6; i++) {
      assertTrue(h.idontwantsTo(i).isEmpty(), "1.1 peer " + i + " gets no IDONTWANT");
      assertEquals(1, h.messagesTo(i).size());
    }
  }

  @Test
  void shouldNotSendIDontWantForSmallMessages() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connectSubscribed(1, 4);
    h.subscribe(T);
    h.clear();
    h.rpc(1, Rpc.ofMessages(List.of(signed(30, T, new byte[1024], 1))));
    for (int i = 1; i <= 4; i++) {
      assertTrue(h.idontwantsTo(i).isEmpty());
    }
  }

  @Test
  void shouldNotForwardToPeerThatSentIDontWant() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connectSubscribed(1, 4);
    h.subscribe(T);
    PubMessage m = signed(30, T, new byte[10], 1);
    h.control(2, idontwant(List.of(idOf(m))));
    h.clear();
    h.rpc(1, Rpc.ofMessages(List.of(m)));
    assertTrue(h.messagesTo(2).isEmpty());
    assertEquals(1, h.messagesTo(3).size());
    h.control(2, iwant(List.of(idOf(m))));
    assertTrue(h.messagesTo(2).isEmpty(), "IWANT not served after IDONTWANT");
  }

  // ------------------------------------------------------------ signatures and validation

  @Test
  void shouldForwardValidSignedMessageButNeverBackToSenderOrAuthor() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connectSubscribed(1, 4);
    h.subscribe(T);
    h.clear();
    PubMessage m = signed(2, T, "x".getBytes(), 1);
    h.rpc(1, Rpc.ofMessages(List.of(m)));
    assertEquals(1, h.effectsOf(Effect.Deliver.class).size());
    assertTrue(h.messagesTo(1).isEmpty(), "not back to the sender");
    assertTrue(h.messagesTo(2).isEmpty(), "not to the author");
    assertEquals(1, h.messagesTo(3).size());
    h.rpc(3, Rpc.ofMessages(List.of(m)));
    assertEquals(1, h.trace.matching("duplicate").size());
    assertEquals(1, h.effectsOf(Effect.Deliver.class).size());
  }

  @Test
  void shouldRejectTamperedStrictSignMessageAndNotForward() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connectSubscribed(1, 4);
    h.subscribe(T);
    h.clear();
    PubMessage good = signed(9, T, "x".getBytes(), 1);
    PubMessage bad = new PubMessage(good.from(), "y".getBytes(), good.seqno(), T, good.signature(), null);
    h.rpc(1, Rpc.ofMessages(List.of(bad, PubMessage.unsigned(T, "z".getBytes()))));
    assertTrue(h.effectsOf(Effect.Deliver.class).isEmpty());
    assertTrue(h.messagesTo(3).isEmpty());
    assertEquals(1, h.trace.matching("reject INVALID_SIGNATURE").size());
    assertEquals(1, h.trace.matching("reject MISSING_SIGNATURE").size());
  }

  @Test
  void shouldForwardOnlyAfterValidationAccepts() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connectSubscribed(1, 4);
    h.subscribe(T);
    h.router.setValidationRequired(T, true);
    h.clear();
    PubMessage a = signed(9, T, "a".getBytes(), 1);
    PubMessage r = signed(9, T, "r".getBytes(), 2);
    PubMessage i = signed(9, T, "i".getBytes(), 3);
    h.rpc(1, Rpc.ofMessages(List.of(a, r, i)));
    assertEquals(3, h.effectsOf(Effect.ValidateRequest.class).size());
    assertTrue(h.messagesTo(2).isEmpty(), "nothing forwarded before validation");
    h.validated(idOf(r), ValidationResult.REJECT);
    h.validated(idOf(i), ValidationResult.IGNORE);
    assertTrue(h.messagesTo(2).isEmpty(), "REJECT and IGNORE are not forwarded");
    h.validated(idOf(a), ValidationResult.ACCEPT);
    assertEquals(List.of(a), h.messagesTo(2));
    assertEquals(1, h.effectsOf(Effect.Deliver.class).size());
    assertEquals(1, h.trace.matching("reject VALIDATOR_REJECTED").size());
    assertEquals(1, h.trace.matching("ignore VALIDATOR_IGNORED").size());
    assertEquals(0, h.router.pendingValidations());
  }

  @Test
  void shouldIgnoreMessagesWhenValidationQueueIsFull() {
    RouterHarness h = new RouterHarness(SPEC.toBuilder().maxPendingValidations(2).build());
    h.connectSubscribed(1, 2);
    h.subscribe(T);
    h.router.setValidationRequired(T, true);
    h.clear();
    for (int k = 1; k <= 3; k++) {
      h.rpc(1, Rpc.ofMessages(List.of(signed(9, T, "a".getBytes(), k))));
    }
    assertEquals(2, h.effectsOf(Effect.ValidateRequest.class).size());
    assertEquals(1, h.trace.matching("ignore VALIDATION_QUEUE_FULL").size());
    assertEquals(1, h.trace.matching("throttled VALIDATION_QUEUE_FULL").size());
  }

  @Test
  void shouldIgnoreEveryRpcFromGraylistedPeer() {
    RouterHarness h = new RouterHarness(SPEC, PeerScoreThresholds.jsDefaults(), Set.of());
    h.connectSubscribed(1, 2);
    h.subscribe(T);
    h.scores.put(peer(1), -100.0);
    h.clear();
    h.rpc(1, new Rpc(List.of(new SubOpts(true, "other")), List.of(signed(9, T, "a".getBytes(), 1)),
        graft(T)));
    assertTrue(h.effects.isEmpty());
    assertFalse(h.router.topicPeers("other").contains(peer(1)));
    assertEquals(1, h.trace.matching("throttled GRAYLISTED").size());
  }

  @Test
  void shouldIgnoreMessagesOnTopicsWeAreNotSubscribedTo() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connectSubscribed(1, 2);
    h.clear();
    h.rpc(1, Rpc.ofMessages(List.of(signed(9, T, "a".getBytes(), 1))));
    assertTrue(h.effects.isEmpty());
    assertEquals(1, h.trace.matching("ignore NOT_SUBSCRIBED").size());
  }

  // ------------------------------------------------------------ opportunistic graft, floodsub, sizes

  @Test
  void shouldOpportunisticallyGraftPeersScoringAboveMedian() {
    GossipParams params = SPEC.toBuilder().opportunisticGraftTicks(3).build();
    RouterHarness h = new RouterHarness(params, PeerScoreThresholds.jsDefaults(), Set.of());
    h.connectSubscribed(1, 6);
    h.subscribe(T);
    h.connectSubscribed(7, 10);
    for (int i = 7; i <= 10; i++) {
      h.scores.put(peer(i), 50.0);
    }
    h.advance(secs(2));
    assertEquals(6, h.meshSize());
    h.advance(secs(1)); // 3rd heartbeat (initial delay 100 ms)
    assertEquals(8, h.meshSize());
    long better = h.router.meshPeers(T).stream().filter(p -> h.scores.getOrDefault(p, 0.0) > 0).count();
    assertEquals(2, better);
  }

  @Test
  void shouldForwardToFloodsubPeersWithoutControl() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connect(1, "/floodsub/1.0.0", false);
    h.rpc(1, Rpc.ofSubscriptions(List.of(new SubOpts(true, T))));
    h.connectSubscribed(2, 3);
    h.subscribe(T);
    assertFalse(h.router.meshPeers(T).contains(peer(1)), "floodsub peers are never meshed");
    h.clear();
    h.rpc(2, Rpc.ofMessages(List.of(signed(9, T, new byte[3000], 1))));
    assertEquals(1, h.messagesTo(1).size());
    for (Rpc r : h.sentTo(1)) {
      assertNull(r.control(), "no control to floodsub");
    }
  }

  @Test
  void shouldSplitRpcsLargerThanMaxRpcSize() {
    RouterHarness h = new RouterHarness(SPEC.toBuilder().maxRpcSize(2048).build());
    h.subscribe(T);
    h.connectSubscribed(1, 1);
    List<MessageId> ids = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      h.publish(T, new byte[700 + k]);
    }
    h.sentTo(1).forEach(r -> r.messages().forEach(m -> ids.add(idOf(m))));
    h.clear();
    h.control(1, iwant(ids));
    List<Rpc> rpcs = h.sentTo(1);
    assertTrue(rpcs.size() >= 3);
    int msgs = 0;
    for (Rpc r : rpcs) {
      assertTrue(GossipProto.encodedSize(r) <= 2048);
      msgs += r.messages().size();
    }
    assertEquals(6, msgs);
  }

  @Test
  void shouldLeaveMeshWithUnsubscribeBackoffPrunes() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connectSubscribed(1, 3);
    h.connect(4, "/meshsub/1.0.0", true);
    h.rpc(4, Rpc.ofSubscriptions(List.of(new SubOpts(true, T))));
    h.subscribe(T);
    h.clear();
    h.unsubscribe(T);
    for (int i = 1; i <= 3; i++) {
      assertEquals(10L, h.prunesTo(i).get(0).backoffSeconds());
    }
    assertNull(h.prunesTo(4).get(0).backoffSeconds(), "no backoff field to 1.0 peers");
    assertTrue(h.router.inBackoff(peer(1), T, h.nowNs + secs(9).toNanos()));
    assertFalse(h.router.inBackoff(peer(1), T, h.nowNs + secs(10).toNanos()));
  }

  @Test
  void shouldRefillEmptyFanoutAtPublishTime() {
    RouterHarness h = new RouterHarness(SPEC.toBuilder().floodPublish(false).build());
    h.connectSubscribed(1, 1);
    h.publish(T, "a".getBytes());
    assertEquals(List.of(peer(1)), h.router.fanoutPeers(T));
    h.router.peerDisconnected(h.nowNs, peer(1), new dev.weft.core.node.Outbox());
    h.connectSubscribed(2, 3);
    h.clear();
    assertEquals(2, h.publish(T, "b".getBytes()).recipients());
  }

  /** A scorer that is also an event listener learns from the router without extra wiring. */
  static final class CountingScorer implements PeerScorer, dev.weft.core.events.OverlayEvents {
    int grafts;
    int heartbeats;

    @Override
    public double score(PeerId peer, long nowNs) {
      return 0;
    }

    @Override
    public void onGraft(long nowNs, PeerId peer, String topic) {
      grafts++;
    }

    @Override
    public void onHeartbeat(long nowNs, long ticks) {
      heartbeats++;
    }
  }

  @Test
  void shouldRegisterScorerThatListensToEventsAutomatically() {
    CountingScorer scorer = new CountingScorer();
    dev.weft.core.node.NodeCore n = dev.weft.core.node.NodeCore.builder().self(peer(0))
        .random(new java.util.SplittableRandom(1)).scorer(scorer)
        .signer(dev.weft.core.testkit.TestKeys.signer(RouterHarness.SEED, 0))
        .verifier(dev.weft.core.testkit.TestKeys.verifier()).build();
    dev.weft.core.node.Outbox out = new dev.weft.core.node.Outbox();
    n.peerConnected(0, peer(1), "/meshsub/1.2.0", true, out);
    n.rpcReceived(0, peer(1), Rpc.ofSubscriptions(List.of(new SubOpts(true, T))), out);
    n.subscribe(0, T, out);
    n.tick(n.nextDeadlineNs(), out);
    assertEquals(1, scorer.grafts);
    assertEquals(1, scorer.heartbeats);
  }

  @Test
  void shouldNotRegraftPeersWithinUnsubscribeBackoffOnRejoin() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connectSubscribed(1, 3);
    h.subscribe(T);
    h.unsubscribe(T);
    h.advance(secs(5));
    h.clear();
    h.subscribe(T);
    assertEquals(0, h.meshSize(), "all former mesh peers are in the 10 s unsubscribe backoff");
    h.advance(secs(6));
    assertEquals(3, h.meshSize());
  }

  @Test
  void shouldHonourIDontWantOnlyForTtlHeartbeats() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connectSubscribed(1, 2);
    h.subscribe(T);
    PubMessage m = signed(30, T, new byte[10], 1);
    h.control(2, idontwant(List.of(idOf(m))));
    h.advance(secs(4)); // idontwantTtlHeartbeats = 3
    h.clear();
    h.rpc(1, Rpc.ofMessages(List.of(m)));
    assertEquals(1, h.messagesTo(2).size(), "expired IDONTWANT no longer suppresses");
  }

  @Test
  void shouldCapIDontWantIdsPerPeerPerHeartbeat() {
    RouterHarness h = new RouterHarness(SPEC.toBuilder().maxIDontWantIdsPerHeartbeat(2).build());
    h.connectSubscribed(1, 2);
    h.subscribe(T);
    List<PubMessage> msgs = new ArrayList<>();
    List<MessageId> ids = new ArrayList<>();
    for (int k = 1; k <= 3; k++) {
      msgs.add(signed(30, T, new byte[10], k));
      ids.add(idOf(msgs.get(k - 1)));
    }
    h.control(2, idontwant(ids));
    assertEquals(1, h.trace.matching("throttled IDONTWANT_FLOOD").size());
    h.clear();
    h.rpc(1, Rpc.ofMessages(msgs));
    assertEquals(List.of(msgs.get(2)), h.messagesTo(2), "only the first two IDs were honoured");
  }

  @Test
  void shouldIgnoreIDontWantFromPeersBelowV12() {
    RouterHarness h = new RouterHarness(SPEC);
    h.connectSubscribed(1, 1);
    h.connect(2, "/meshsub/1.1.0", true);
    h.rpc(2, Rpc.ofSubscriptions(List.of(new SubOpts(true, T))));
    h.subscribe(T);
    PubMessage m = signed(30, T, new byte[10], 1);
    h.control(2, idontwant(List.of(idOf(m))));
    h.clear();
    h.rpc(1, Rpc.ofMessages(List.of(m)));
    assertEquals(1, h.messagesTo(2).size());
  }

  @Test
  void shouldFlagGraftFloodOnlyWithinGraftFloodThresholdOfOurPrune() {
    RouterHarness h = new RouterHarness(SPEC, PeerScoreThresholds.jsDefaults(), Set.of());
    h.subscribe(T);
    h.connectSubscribed(1, 1);
    h.scores.put(peer(1), -1.0);
    h.control(1, graft(T)); // refused: negative score, we impose a 60 s backoff
    h.scores.put(peer(1), 0.0);
    h.advance(secs(5));
    h.control(1, graft(T));
    h.advance(secs(20));
    h.control(1, graft(T));
    assertEquals(List.of("backoffViolation " + peer(1) + " t true",
        "backoffViolation " + peer(1) + " t false"), h.trace.matching("backoffViolation"));
  }

  @Test
  void shouldAcceptGraftOnceBackoffExpired() {
    RouterHarness h = new RouterHarness(SPEC, PeerScoreThresholds.jsDefaults(), Set.of());
    h.subscribe(T);
    h.connectSubscribed(1, 1);
    h.scores.put(peer(1), -1.0);
    h.control(1, graft(T));
    h.scores.put(peer(1), 0.0);
    h.advance(secs(61));
    h.clear();
    h.control(1, graft(T));
    assertTrue(h.prunesTo(1).isEmpty());
    assertTrue(h.router.meshPeers(T).contains(peer(1)));
    assertTrue(h.trace.matching("backoffViolation").isEmpty());
  }
}
