package dev.weft.core.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.wire.ControlMessage;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import dev.weft.core.wire.SubOpts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrioritySendQueueTest {
  private final List<String> log = new ArrayList<>();
  private final PrioritySendQueue.Listener<String> listener = new PrioritySendQueue.Listener<>() {
    @Override
    public void onDrop(String item, int bytes, SendPriority priority, DropReason reason) {
      log.add("drop " + item + " " + reason);
    }

    @Override
    public void onSlowChanged(boolean slow, long nowNs) {
      log.add((slow ? "slow@" : "ok@") + nowNs);
    }
  };

  @Test
  void shouldSendControlBeforePublishBeforeForwardBeforeGossip() {
    PrioritySendQueue<String> q = new PrioritySendQueue<>(1000, 1000, 0, listener);
    q.offer("g1", 1, SendPriority.GOSSIP, 0);
    q.offer("f1", 1, SendPriority.FORWARD, 0);
    q.offer("p1", 1, SendPriority.PUBLISH, 0);
    q.offer("c1", 1, SendPriority.CONTROL, 0);
    q.offer("f2", 1, SendPriority.FORWARD, 0);
    List<String> order = new ArrayList<>();
    for (String s; (s = q.peek()) != null; ) {
      assertEquals(s, q.poll(0), "peek shows what poll takes");
      order.add(s);
    }
    assertEquals(List.of("c1", "p1", "f1", "f2", "g1"), order);
    assertEquals(null, q.poll(0));
    assertEquals(0, q.queuedBytes());
  }

  @Test
  void shouldShedLowerPrioritiesOldestFirstAndCountEveryDrop() {
    PrioritySendQueue<String> q = new PrioritySendQueue<>(100, 1000, 0, listener);
    q.offer("g1", 30, SendPriority.GOSSIP, 0);
    q.offer("g2", 30, SendPriority.GOSSIP, 0);
    q.offer("f1", 30, SendPriority.FORWARD, 0);
    assertTrue(q.offer("p1", 40, SendPriority.PUBLISH, 0));   // sheds g1 and g2? needs 30: g1
    assertEquals(List.of("drop g1 GOSSIP_SHED"), log);
    assertFalse(q.offer("g3", 10, SendPriority.GOSSIP, 0));   // nothing lower to shed
    assertTrue(q.offer("f2", 30, SendPriority.FORWARD, 0));   // sheds g2
    assertTrue(q.offer("c1", 50, SendPriority.CONTROL, 0));   // sheds f1 then f2; may exceed
    assertEquals(1, q.drops().get(DropReason.SEND_QUEUE_FULL));
    assertEquals(2, q.drops().get(DropReason.GOSSIP_SHED));
    assertEquals(2, q.drops().get(DropReason.FORWARD_SHED));
    assertEquals("c1", q.poll(0));
    assertEquals("p1", q.poll(0));
    assertNull(q.poll(0));
    q.offer("x", 10, SendPriority.FORWARD, 0);
    q.clear(0);
    assertEquals(1, q.drops().get(DropReason.PEER_GONE));
    assertEquals(6, q.drops().total());
  }

  @Test
  void shouldRefuseWithoutSheddingWhenSheddingCannotMakeRoom() {
    PrioritySendQueue<String> q = new PrioritySendQueue<>(100, 1000, 0, listener);
    q.offer("g1", 10, SendPriority.GOSSIP, 0);
    q.offer("p1", 80, SendPriority.PUBLISH, 0);
    assertFalse(q.offer("f1", 50, SendPriority.FORWARD, 0));
    assertEquals(2, q.size(), "g1 kept: dropping it would not have made room");
  }

  @Test
  void shouldFlagSlowPeerWhenBacklogOutlastsThreshold() {
    PrioritySendQueue<String> q = new PrioritySendQueue<>(10_000, 100, 50, listener);
    q.offer("a", 200, SendPriority.FORWARD, 0);
    assertFalse(q.isSlow(49));
    assertTrue(q.isSlow(50));
    q.poll(60);
    assertFalse(q.isSlow(61));
    assertEquals(List.of("slow@50", "ok@60"), log);
  }

  @Test
  void shouldSplitRpcsByClass() {
    byte[] self = {1};
    MessageId id = MessageId.of(new byte[] {5});
    PubMessage own = new PubMessage(self, new byte[] {1}, PubMessage.seqnoBytes(1), "t", null, null);
    PubMessage other = new PubMessage(new byte[] {2}, new byte[] {2}, PubMessage.seqnoBytes(1), "t",
        null, null);
    Rpc rpc = new Rpc(List.of(new SubOpts(true, "t")), List.of(own, other), new ControlMessage(
        List.of(new ControlMessage.IHave("t", List.of(id))), List.of(new ControlMessage.IWant(
            List.of(id))), List.of(new ControlMessage.Graft("t")), List.of(), List.of()));
    List<SendClassifier.Part> parts = SendClassifier.split(rpc, self);
    assertEquals(List.of(SendPriority.CONTROL, SendPriority.PUBLISH, SendPriority.FORWARD,
        SendPriority.GOSSIP), parts.stream().map(SendClassifier.Part::priority).toList());
    assertEquals(1, parts.get(0).rpc().controlOrEmpty().iwant().size());
    assertEquals(List.of(own), parts.get(1).rpc().messages());
    assertEquals(List.of(other), parts.get(2).rpc().messages());
    assertEquals(1, parts.get(3).rpc().controlOrEmpty().ihave().size());
    assertEquals(1, SendClassifier.split(Rpc.ofMessages(List.of(other)), self).size());
  }
}
