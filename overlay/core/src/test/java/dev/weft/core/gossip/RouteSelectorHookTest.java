package dev.weft.core.gossip;

import static dev.weft.core.gossip.RouterHarness.T;
import static dev.weft.core.gossip.RouterHarness.idOf;
import static dev.weft.core.gossip.RouterHarness.peer;
import static dev.weft.core.gossip.RouterHarness.secs;
import static dev.weft.core.gossip.RouterHarness.signed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.ControlMessage;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The router's use of a {@link RouteSelector}: lazy peers get IHAVE, IWANTs can wait. */
class RouteSelectorHookTest {

  /** Peer 1 is lazy for everything; IWANTs to peer 2 wait 50 ms. */
  static final class Scripted implements RouteSelector {
    final List<String> iwants = new ArrayList<>();

    @Override
    public void route(long nowNs, MessageId id, PubMessage message, PeerId from,
        Set<PeerId> eager, Set<PeerId> lazy) {
      if (eager.remove(peer(1))) {
        lazy.add(peer(1));
      }
    }

    @Override
    public long iwantDelayNs(long nowNs, PeerId peer, String topic, MessageId id) {
      return peer.equals(peer(2)) || peer.equals(peer(3)) ? 50_000_000L : 0;
    }

    @Override
    public void iwantSent(long nowNs, PeerId peer, String topic, MessageId id) {
      iwants.add(peer + "@" + nowNs);
    }

    @Override
    public boolean ihaveLimitExempt(PeerId peer) {
      return peer.equals(peer(2));
    }
  }

  private RouterHarness meshOfFour(Scripted s) {
    RouterHarness h = new RouterHarness(GossipParams.builder().d(4).dLow(3).dHigh(6).dScore(2)
        .dOut(1).dLazy(2).build());
    h.router.setRouteSelector(s);
    h.connectSubscribed(1, 4);
    h.subscribe(T);
    h.advance(secs(2));
    h.clear();
    assertEquals(4, h.meshSize());
    return h;
  }

  @Test
  void shouldSendIHaveInsteadOfMessageToLazyPeers() {
    RouterHarness h = meshOfFour(new Scripted());
    PubMessage m = signed(4, T, new byte[] {1}, 1);
    h.rpc(4, Rpc.ofMessages(List.of(m)));
    assertTrue(h.messagesTo(1).isEmpty());
    assertEquals(List.of(new ControlMessage.IHave(T, List.of(idOf(m)))), h.ihavesTo(1));
    assertEquals(1, h.messagesTo(2).size());
    assertEquals(1, h.messagesTo(3).size());
    assertTrue(h.messagesTo(4).isEmpty());
    h.clear();
    h.publish(T, new byte[] {2});
    assertTrue(h.messagesTo(1).isEmpty());
    assertEquals(1, h.ihavesTo(1).size());
    assertEquals(1, h.messagesTo(4).size());
  }

  @Test
  void shouldDelayIWantAndDropItWhenTheMessageArrives() {
    Scripted s = new Scripted();
    RouterHarness h = meshOfFour(s);
    PubMessage m = signed(4, T, new byte[] {3}, 7);
    h.control(2, new ControlMessage(List.of(new ControlMessage.IHave(T, List.of(idOf(m)))),
        List.of(), List.of(), List.of(), List.of()));
    assertTrue(h.iwantsTo(2).isEmpty());
    assertEquals(h.nowNs + 50_000_000L, h.router.nextDeadlineNs());
    h.rpc(4, Rpc.ofMessages(List.of(m)));
    h.advance(Duration.ofMillis(60));
    assertTrue(h.iwantsTo(2).isEmpty());
    assertTrue(s.iwants.isEmpty());
  }

  @Test
  void shouldAskAnnouncersInTurnWhileTheMessageIsMissing() {
    Scripted s = new Scripted();
    RouterHarness h = meshOfFour(s);
    MessageId id = idOf(signed(4, T, new byte[] {4}, 9));
    ControlMessage ihave = new ControlMessage(List.of(new ControlMessage.IHave(T, List.of(id))),
        List.of(), List.of(), List.of(), List.of());
    long t0 = h.nowNs;
    h.control(2, ihave);
    h.control(3, ihave);
    h.advance(Duration.ofMillis(49));
    assertTrue(h.iwantsTo(2).isEmpty());
    h.advance(Duration.ofMillis(2));
    assertEquals(List.of(new ControlMessage.IWant(List.of(id))), h.iwantsTo(2));
    assertTrue(h.iwantsTo(3).isEmpty());
    h.advance(Duration.ofMillis(50));
    assertEquals(List.of(new ControlMessage.IWant(List.of(id))), h.iwantsTo(3));
    assertEquals(List.of(peer(2) + "@" + (t0 + 50_000_000L),
        peer(3) + "@" + (t0 + 100_000_000L)), s.iwants);
  }

  @Test
  void shouldExemptSelectedPeersFromTheIHaveMessageLimit() {
    RouterHarness h = meshOfFour(new Scripted());
    int limit = h.params.maxIHaveMessages();
    for (int i = 0; i <= limit + 2; i++) {
      MessageId id = idOf(signed(4, T, new byte[] {(byte) i}, 100 + i));
      ControlMessage c = new ControlMessage(List.of(new ControlMessage.IHave(T, List.of(id))),
          List.of(), List.of(), List.of(), List.of());
      h.control(2, c);
      h.control(4, c);
    }
    h.advance(Duration.ofMillis(100));
    assertTrue(h.iwantsTo(2).size() > limit);
    assertEquals(limit, h.iwantsTo(4).size());
  }
}
