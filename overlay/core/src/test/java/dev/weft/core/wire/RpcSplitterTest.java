package dev.weft.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RpcSplitterTest {

  @Test
  void shouldReturnSameRpcWhenItFits() {
    Rpc rpc = Rpc.ofMessages(List.of(PubMessage.unsigned("t", new byte[10])));
    assertEquals(List.of(rpc), RpcSplitter.split(rpc, 1024));
  }

  @Test
  void shouldSplitMessagesSoEveryPartFitsAndOrderIsKept() {
    List<PubMessage> msgs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      msgs.add(PubMessage.unsigned("t", new byte[100 + i]));
    }
    Rpc rpc = new Rpc(List.of(new SubOpts(true, "t")), msgs, null);
    List<Rpc> parts = RpcSplitter.split(rpc, 1000);
    assertTrue(parts.size() > 5);
    List<PubMessage> back = new ArrayList<>();
    for (Rpc p : parts) {
      assertTrue(GossipProto.encodedSize(p) <= 1000, "part too big: " + GossipProto.encodedSize(p));
      back.addAll(p.messages());
    }
    assertEquals(msgs, back);
    assertEquals(List.of(new SubOpts(true, "t")), parts.get(0).subscriptions());
  }

  @Test
  void shouldSplitLongIHaveIdListsAcrossRpcs() {
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      ids.add(MessageId.of(new byte[] {(byte) (i >> 8), (byte) i, 1, 2, 3, 4, 5, 6, 7, 8}));
    }
    Rpc rpc = Rpc.ofControl(new ControlMessage(List.of(new ControlMessage.IHave("t", ids)),
        List.of(new ControlMessage.IWant(ids)), List.of(new ControlMessage.Graft("t")), null, null));
    List<Rpc> parts = RpcSplitter.split(rpc, 4096);
    List<MessageId> haves = new ArrayList<>();
    List<MessageId> wants = new ArrayList<>();
    int grafts = 0;
    for (Rpc p : parts) {
      assertTrue(GossipProto.encodedSize(p) <= 4096);
      p.controlOrEmpty().ihave().forEach(h -> haves.addAll(h.messageIds()));
      p.controlOrEmpty().iwant().forEach(w -> wants.addAll(w.messageIds()));
      grafts += p.controlOrEmpty().graft().size();
    }
    assertEquals(ids, haves);
    assertEquals(ids, wants);
    assertEquals(1, grafts);
  }

  @Test
  void shouldPutOversizeMessageAloneInItsOwnRpc() {
    PubMessage big = PubMessage.unsigned("t", new byte[5000]);
    PubMessage small = PubMessage.unsigned("t", new byte[10]);
    List<Rpc> parts = RpcSplitter.split(Rpc.ofMessages(List.of(small, big, small)), 1000);
    assertEquals(3, parts.size());
    assertEquals(List.of(big), parts.get(1).messages());
  }
}
