package dev.weft.routing.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tree rules, one at a time, on a single TreeRouter driven by hand. */
class TreeRouterTest {
  static final long MS = 1_000_000L;
  static final String T = "t";
  static final PeerId SRC = peer(1);
  static final PeerId A = peer(2);
  static final PeerId B = peer(3);
  static final PeerId JS = peer(4);

  TreeRouter r;
  long now = 1_000 * MS;
  int seq;

  static PeerId peer(int i) {
    return PeerId.fromPublicKeyProtobuf(TreeControlTest.key(i));
  }

  @BeforeEach
  void setUp() {
    r = new TreeRouter(TreeParams.defaults().withPerSourceMinMessages(1));
    for (PeerId p : List.of(SRC, A, B, JS)) {
      r.onPeerAdded(now, p, "/meshsub/1.2.0", true);
      r.onPeerSubscription(now, p, T, true);
    }
    r.peerCapable(SRC);
    r.peerCapable(A);
    r.peerCapable(B);
  }

  PubMessage msg() {
    seq++;
    return new PubMessage(SRC.toBytes(), new byte[] {(byte) seq}, PubMessage.seqnoBytes(seq), T,
        new byte[64], null);
  }

  static MessageId id(PubMessage m) {
    byte[] f = m.from();
    byte[] s = m.seqno();
    byte[] b = new byte[f.length + s.length];
    System.arraycopy(f, 0, b, 0, f.length);
    System.arraycopy(s, 0, b, f.length, s.length);
    return MessageId.of(b);
  }

  List<TreeRouter.Outgoing> drain() {
    return r.drainControl();
  }

  @Test
  void shouldPushEagerlyToCapablePeersAndLeaveOthersAlone() {
    PubMessage m = msg();
    Set<PeerId> eager = new LinkedHashSet<>(List.of(JS));
    Set<PeerId> lazy = new LinkedHashSet<>();
    r.onFirstSeen(now, id(m), m, SRC);
    r.route(now, id(m), m, SRC, eager, lazy);
    assertTrue(eager.containsAll(List.of(JS, A, B)));
    assertTrue(lazy.isEmpty());
  }

  @Test
  void shouldDemoteALinkThatDeliversADuplicate() {
    PubMessage m = msg();
    r.onFirstSeen(now, id(m), m, SRC);
    r.onDuplicate(now + 5 * MS, id(m), T, A);
    assertEquals(List.of(new TreeRouter.Outgoing(A,
        new TreeControl(TreeControl.Kind.LAZY, T, SRC))), drain());
    assertEquals(Set.of(A), r.lazyPeers(T, SRC));
    r.onDuplicate(now + 6 * MS, id(m), T, A);
    assertTrue(drain().isEmpty(), "no second LAZY while the first is in flight");
    PubMessage m2 = msg();
    Set<PeerId> eager = new LinkedHashSet<>();
    Set<PeerId> lazy = new LinkedHashSet<>();
    r.route(now, id(m2), m2, SRC, eager, lazy);
    assertEquals(Set.of(A), lazy);
    assertFalse(eager.contains(A));
  }

  @Test
  void shouldNeverDemoteNonCapablePeers() {
    PubMessage m = msg();
    r.onFirstSeen(now, id(m), m, SRC);
    r.onDuplicate(now + 5 * MS, id(m), T, JS);
    assertTrue(drain().isEmpty());
    assertEquals(0, r.iwantDelayNs(now, JS, T, id(msg())));
    assertFalse(r.ihaveLimitExempt(JS));
  }

  @Test
  void shouldWaitTheAnnouncersRttTimeoutBeforeIWant() {
    MessageId unseen = id(msg());
    assertEquals(0, r.iwantDelayNs(now, A, T, unseen), "no tree on the topic: plain gossip");
    PubMessage first = msg();
    r.onFirstSeen(now, id(first), first, SRC); // SRC's tree: lazy IHAVEs may come on T now
    assertEquals(TreeParams.defaults().measure().unknownRttNs(), r.iwantDelayNs(now, A, T, unseen));
    for (int i = 0; i < 8; i++) {
      r.recordRtt(B, (80 + (i % 2) * 20) * MS, now + i);
    }
    long d = r.iwantDelayNs(now, B, T, unseen);
    assertEquals(r.links().timeoutNs(B), d);
    assertTrue(d > 90 * MS && d < 200 * MS, "timeout " + d);
  }

  @Test
  void shouldPromoteTheLinkThatAnsweredAnIWant() {
    PubMessage m = msg();
    r.controlReceived(now, A, new TreeControl(TreeControl.Kind.LAZY, T, SRC));
    assertEquals(Set.of(A), r.lazyPeers(T, SRC));
    r.iwantDelayNs(now, A, T, id(m));
    r.iwantSent(now + 100 * MS, A, T, id(m));
    r.onFirstSeen(now + 150 * MS, id(m), m, A);
    assertEquals(List.of(new TreeRouter.Outgoing(A,
        new TreeControl(TreeControl.Kind.EAGER, T, SRC))), drain());
    assertTrue(r.lazyPeers(T, SRC).isEmpty());
    assertEquals(Optional.of(A), r.upstream(T, SRC));
    r.onDuplicate(now + 160 * MS, id(m), T, A);
    assertTrue(drain().isEmpty(), "the IWANT answer is not an eager duplicate");
  }

  @Test
  void shouldSwapInALazyLinkThatIsConsistentlyFaster() {
    r.controlReceived(now, B, new TreeControl(TreeControl.Kind.LAZY, T, SRC));
    for (int i = 0; i < TreeParams.defaults().optimiseWins(); i++) {
      PubMessage m = msg();
      now += 1000 * MS;
      r.iwantDelayNs(now, B, T, id(m));
      r.onFirstSeen(now + 30 * MS, id(m), m, A);
      if (i < TreeParams.defaults().optimiseWins() - 1) {
        assertTrue(drain().isEmpty());
      }
    }
    assertEquals(List.of(
        new TreeRouter.Outgoing(B, new TreeControl(TreeControl.Kind.EAGER, T, SRC)),
        new TreeRouter.Outgoing(A, new TreeControl(TreeControl.Kind.LAZY, T, SRC))), drain());
    assertEquals(Set.of(A), r.lazyPeers(T, SRC));
    assertEquals(Optional.of(B), r.upstream(T, SRC));
    assertEquals(1, r.stats().swaps());
  }

  @Test
  void shouldNotSwapForLeadsWithinTheMargin() {
    r.controlReceived(now, B, new TreeControl(TreeControl.Kind.LAZY, T, SRC));
    for (int i = 0; i < 10; i++) {
      PubMessage m = msg();
      now += 1000 * MS;
      r.iwantDelayNs(now, B, T, id(m));
      r.onFirstSeen(now + 2 * MS, id(m), m, A);
    }
    assertTrue(drain().isEmpty());
  }

  @Test
  void shouldReparentAwayFromAQuarantinedUpstreamAtHeartbeat() {
    PubMessage m = msg();
    r.controlReceived(now, B, new TreeControl(TreeControl.Kind.LAZY, T, SRC));
    r.onFirstSeen(now, id(m), m, A);
    assertEquals(Optional.of(A), r.upstream(T, SRC));
    r.onHeartbeat(now, 1);
    assertTrue(drain().isEmpty());
    r.quarantine(p -> p.equals(A));
    r.onHeartbeat(now + 1000 * MS, 2);
    assertEquals(List.of(
        new TreeRouter.Outgoing(B, new TreeControl(TreeControl.Kind.EAGER, T, SRC)),
        new TreeRouter.Outgoing(A, new TreeControl(TreeControl.Kind.LAZY, T, SRC))), drain());
    assertEquals(Optional.of(B), r.upstream(T, SRC));
    Set<PeerId> eager = new LinkedHashSet<>();
    Set<PeerId> lazy = new LinkedHashSet<>();
    PubMessage m2 = msg();
    r.route(now, id(m2), m2, B, eager, lazy);
    assertTrue(lazy.contains(A));
  }

  @Test
  void shouldReparentAwayFromACongestedUpstream() {
    PubMessage m = msg();
    r.controlReceived(now, B, new TreeControl(TreeControl.Kind.LAZY, T, SRC));
    r.onFirstSeen(now, id(m), m, A);
    for (int i = 0; i < 8; i++) {
      r.recordRtt(A, 40 * MS, now + i * 1000 * MS);
      r.recordRtt(B, 60 * MS, now + i * 1000 * MS);
    }
    r.onHeartbeat(now + 8000 * MS, 1);
    assertTrue(drain().isEmpty());
    for (int i = 0; i < 8; i++) {
      r.recordRtt(A, 440 * MS, now + (9 + i) * 1000 * MS);
    }
    r.onHeartbeat(now + 18_000 * MS, 2);
    assertEquals(Optional.of(B), r.upstream(T, SRC));
    assertEquals(1, r.stats().reparents());
  }

  @Test
  void shouldKeepRareAuthorsOnTheTopicTree() {
    // an author needs 3 messages for its own tree (the default, 1, gives every author one at once)
    r = new TreeRouter(TreeParams.defaults().withPerSourceMinMessages(3).withTopicTree(true));
    for (PeerId p : List.of(SRC, A, B, JS)) {
      r.onPeerAdded(now, p, "/meshsub/1.2.0", true);
      r.onPeerSubscription(now, p, T, true);
    }
    r.peerCapable(SRC);
    r.peerCapable(A);
    r.peerCapable(B);
    PubMessage m1 = msg();
    r.onFirstSeen(now, id(m1), m1, SRC);
    r.onDuplicate(now + MS, id(m1), T, A);
    assertEquals(List.of(new TreeRouter.Outgoing(A,
        new TreeControl(TreeControl.Kind.LAZY, T, null))), drain(), "topic tree for a new author");
    assertEquals(Set.of(A), r.lazyPeers(T, null));
    PubMessage m2 = msg();
    r.onFirstSeen(now + 2 * MS, id(m2), m2, SRC);
    assertTrue(r.lazyPeers(T, SRC).isEmpty(), "no author tree after 2 messages");
    PubMessage m3 = msg();
    r.onFirstSeen(now + 3 * MS, id(m3), m3, SRC);
    assertTrue(r.lazyPeers(T, SRC).isEmpty(), "the author tree starts all-eager");
    Set<PeerId> eager = new LinkedHashSet<>();
    Set<PeerId> lazy = new LinkedHashSet<>();
    r.route(now + 3 * MS, id(m3), m3, SRC, eager, lazy);
    assertTrue(lazy.isEmpty());
    assertTrue(eager.containsAll(List.of(A, B)));
    r.onDuplicate(now + 4 * MS, id(m3), T, B);
    assertEquals(List.of(new TreeRouter.Outgoing(B,
        new TreeControl(TreeControl.Kind.LAZY, T, SRC))), drain());
    assertEquals(Set.of(A), r.lazyPeers(T, null), "the topic tree is not changed by author trees");
  }

  @Test
  void shouldAskEveryLazyLinkToPushWhenTheUpstreamIsGone() {
    PubMessage m = msg();
    r.onFirstSeen(now, id(m), m, A);
    r.onDuplicate(now + MS, id(m), T, B);
    assertEquals(Optional.of(A), r.upstream(T, SRC));
    assertEquals(Set.of(B), r.lazyPeers(T, SRC));
    drain();
    r.onPeerRemoved(now + 2 * MS, A);
    assertEquals(List.of(new TreeRouter.Outgoing(B,
        new TreeControl(TreeControl.Kind.EAGER, T, SRC))), drain());
    assertTrue(r.lazyPeers(T, SRC).isEmpty(), "the tree is all-eager again");
    assertEquals(1, r.stats().reparents());
  }

  @Test
  void shouldIgnoreControlFromNonCapablePeersAndForgetRemovedPeers() {
    r.controlReceived(now, JS, new TreeControl(TreeControl.Kind.LAZY, T, SRC));
    assertTrue(r.lazyPeers(T, SRC).isEmpty());
    r.controlReceived(now, A, new TreeControl(TreeControl.Kind.LAZY, T, SRC));
    r.onPeerRemoved(now, A);
    assertTrue(r.lazyPeers(T, SRC).isEmpty());
    assertFalse(r.isCapable(A));
  }
}
