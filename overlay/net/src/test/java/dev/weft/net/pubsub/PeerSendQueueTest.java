package dev.weft.net.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.feed.DropReason;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.ControlMessage;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import dev.weft.net.mux.StreamMuxer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The driver's per-peer send queue over a fake stream whose writability the test controls. */
class PeerSendQueueTest {
  private final DefaultEventLoop loop = new DefaultEventLoop();
  private final FakeStream stream = new FakeStream(loop);
  private final PeerId self = PeerId.fromBytes(new byte[] {0, 3, 1, 2, 3});
  private final PeerId peer = PeerId.fromBytes(new byte[] {0, 3, 9, 9, 9});
  private final PeerSendQueue.Stats stats = new PeerSendQueue.Stats();

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private PeerSendQueue queue(PeerSendQueue.Limits limits) throws Exception {
    PeerSendQueue q = new PeerSendQueue(peer, stream, UnpooledByteBufAllocator.DEFAULT, self,
        limits, stats, PubSub.RpcObserver.NONE);
    onLoop(() -> stream.setHandler(q));
    return q;
  }

  private void onLoop(Runnable r) throws Exception {
    loop.submit(r).get(10, TimeUnit.SECONDS);
  }

  private static Rpc forward(int i) {
    return Rpc.ofMessages(List.of(new PubMessage(new byte[] {0, 3, 7, 7, 7}, new byte[100],
        PubMessage.seqnoBytes(i), "t", null, null)));
  }

  private static Rpc gossip() {
    return Rpc.ofControl(new ControlMessage(List.of(new ControlMessage.IHave("t",
        List.of(MessageId.of(new byte[] {1})))), List.of(), List.of(), List.of(), List.of()));
  }

  private static Rpc graft() {
    return Rpc.ofControl(new ControlMessage(List.of(), List.of(), List.of(
        new ControlMessage.Graft("t")), List.of(), List.of()));
  }

  private void setWritable(boolean w) throws Exception {
    onLoop(() -> {
      stream.writable = w;
      stream.handler.onWritabilityChanged(stream);
    });
  }

  @Test
  void shouldWriteControlBeforeForwardsBeforeGossipWhenTheStreamFreesUp() throws Exception {
    PeerSendQueue q = queue(PeerSendQueue.Limits.defaults());
    stream.writable = false;
    q.send(gossip());
    q.send(forward(1));
    q.send(graft());
    onLoop(() -> {});
    assertTrue(stream.written.isEmpty());
    setWritable(true);
    List<String> kinds = new ArrayList<>();
    for (Rpc r : stream.decoded()) {
      kinds.add(!r.messages().isEmpty() ? "forward"
          : !r.controlOrEmpty().graft().isEmpty() ? "control" : "gossip");
    }
    assertEquals(List.of("control", "forward", "gossip"), kinds);
  }

  @Test
  void shouldShedAndRefuseWithCountsAndFlagTheSlowPeer() throws Exception {
    PeerSendQueue q = queue(new PeerSendQueue.Limits(1000, 100, 0));
    stream.writable = false;
    for (int i = 0; i < 20; i++) {
      q.send(forward(i)); // ~130 bytes each: the first few fit, the rest are refused
    }
    q.send(graft());      // control is always queued, even over the budget
    onLoop(() -> {});
    assertTrue(stats.slowPeers().contains(peer));
    setWritable(true);
    List<Rpc> out = stream.decoded();
    long forwards = out.stream().mapToLong(r -> r.messages().size()).sum();
    assertTrue(forwards > 0 && forwards < 20, "forwards " + forwards);
    assertTrue(!out.get(0).controlOrEmpty().graft().isEmpty(), "control first");
    assertEquals(20 - forwards, stats.drops().get(DropReason.SEND_QUEUE_FULL),
        "every refused forward counted");
    assertTrue(stats.slowPeers().isEmpty(), "caught up once drained");
    int before = stream.written.size();
    q.send(forward(99)); // alone on an idle queue: written (and flushed) at once
    onLoop(() -> {});
    assertEquals(before + 1, stream.written.size());
    stream.writable = false;
    q.send(forward(100));
    q.close();
    onLoop(() -> {});
    assertEquals(1L, stats.drops().get(DropReason.PEER_GONE));
    q.send(forward(101)); // after the peer left: counted, not written
    onLoop(() -> {});
    assertEquals(2L, stats.drops().get(DropReason.PEER_GONE));
  }

  @Test
  void shouldMergeQueuedForwardsIntoOneFrameAndFlushOncePerBatch() throws Exception {
    PeerSendQueue q = queue(PeerSendQueue.Limits.defaults());
    stream.writable = false;
    for (int i = 0; i < 50; i++) {
      q.send(forward(i));
    }
    q.send(graft());
    q.send(gossip());
    onLoop(() -> {});
    assertTrue(stream.written.isEmpty());
    setWritable(true);
    List<Rpc> out = stream.decoded();
    assertEquals(3, out.size(), "control, then 50 forwards in one frame, then gossip");
    assertTrue(!out.get(0).controlOrEmpty().graft().isEmpty() && out.get(0).messages().isEmpty());
    assertEquals(50, out.get(1).messages().size());
    for (int i = 0; i < 50; i++) {
      assertEquals(i, java.nio.ByteBuffer.wrap(out.get(1).messages().get(i).seqno()).getLong(),
          "messages keep their order");
    }
    assertTrue(out.get(1).control() == null && out.get(1).subscriptions().isEmpty());
    assertEquals(1, out.get(2).controlOrEmpty().ihave().size());
    assertEquals(1, stream.flushes, "one flush for the whole backlog");
  }

  @Test
  void shouldCapMergedFramesAndNeverMergeControlOrSubscriptions() throws Exception {
    PeerSendQueue q = queue(PeerSendQueue.Limits.defaults());
    stream.writable = false;
    int n = 3 * PeerSendQueue.MAX_MERGED_FRAME / 100; // about 3 frames' worth of 100-byte payloads
    for (int i = 0; i < n; i++) {
      q.send(forward(i));
    }
    q.send(graft());
    q.send(graft());
    onLoop(() -> {});
    setWritable(true);
    long msgs = 0;
    int controlFrames = 0;
    for (int i = 0; i < stream.written.size(); i++) {
      assertTrue(stream.written.get(i).length <= PeerSendQueue.MAX_MERGED_FRAME + 5,
          "frame " + i + " is " + stream.written.get(i).length + " bytes");
    }
    for (Rpc r : stream.decoded()) {
      msgs += r.messages().size();
      if (r.control() != null) {
        controlFrames++;
        assertTrue(r.messages().isEmpty());
        assertEquals(1, r.control().graft().size(), "each control part in its own frame");
      }
    }
    assertEquals(n, msgs);
    assertEquals(2, controlFrames);
    assertTrue(stream.written.size() >= 2 + 3, "forwards split over several capped frames");
  }

  /** A stream that records frames and is writable when the test says so. */
  private static final class FakeStream implements MuxedStream {
    final EventLoop loop;
    final List<byte[]> written = new ArrayList<>();
    StreamHandler handler;
    volatile boolean writable = true;
    int flushes;

    FakeStream(EventLoop loop) {
      this.loop = loop;
    }

    List<Rpc> decoded() throws Exception {
      List<Rpc> out = new ArrayList<>();
      for (byte[] frame : written) {
        int len = 0;
        int shift = 0;
        int i = 0;
        while (true) {
          int b = frame[i++] & 0xFF;
          len |= (b & 0x7F) << shift;
          if (b < 0x80) {
            break;
          }
          shift += 7;
        }
        byte[] body = java.util.Arrays.copyOfRange(frame, i, i + len);
        out.add(RpcCodec.decode(body, RpcCodec.Limits.defaults()));
      }
      return out;
    }

    @Override public long id() { return 1; }
    @Override public boolean isInitiator() { return true; }
    @Override public EventLoop eventLoop() { return loop; }
    @Override public void setHandler(StreamHandler h) { handler = h; }
    @Override public void write(ByteBuf data) {
      written.add(ByteBufUtil.getBytes(data));
      data.release();
    }
    @Override public void flush() { flushes++; }
    @Override public void closeWrite() {}
    @Override public void reset() {}
    @Override public boolean isWritable() { return writable; }
    @Override public boolean isRemoteClosed() { return false; }
    @Override public String protocol() { return "/meshsub/1.2.0"; }
    @Override public void setProtocol(String protocol) {}
    @Override public StreamMuxer muxer() { return null; }
  }
}
