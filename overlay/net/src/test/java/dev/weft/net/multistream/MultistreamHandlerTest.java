package dev.weft.net.multistream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class MultistreamHandlerTest {
  private static final HexFormat HEX = HexFormat.of();

  /** Records events and, after ProtocolSelected, the bytes that follow. */
  static final class Recorder extends ChannelInboundHandlerAdapter {
    final List<Object> events = new ArrayList<>();
    final StringBuilder data = new StringBuilder();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      events.add(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        data.append(buf.toString(StandardCharsets.UTF_8));
      } finally {
        buf.release();
      }
    }
  }

  private static byte[] drain(EmbeddedChannel ch) {
    ByteBuf all = Unpooled.buffer();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      all.writeBytes(b);
      b.release();
    }
    byte[] out = ByteBufUtil.getBytes(all);
    all.release();
    return out;
  }

  private static int shuttle(EmbeddedChannel a, EmbeddedChannel b) {
    int moved = 0;
    boolean progress = true;
    while (progress) {
      progress = false;
      byte[] ab = drain(a);
      if (ab.length > 0 && b.isOpen()) {
        b.writeInbound(Unpooled.wrappedBuffer(ab));
        progress = true;
        moved += ab.length;
      }
      byte[] ba = drain(b);
      if (ba.length > 0 && a.isOpen()) {
        a.writeInbound(Unpooled.wrappedBuffer(ba));
        progress = true;
        moved += ba.length;
      }
    }
    return moved;
  }

  @Test
  void shouldEncodeKnownMessagesFromDigest() {
    assertEquals("132f6d756c746973747265616d2f312e302e300a",
        HEX.formatHex(Negotiator.encode("/multistream/1.0.0")));
    assertEquals("072f6e6f6973650a", HEX.formatHex(Negotiator.encode("/noise")));
    assertEquals("0d2f79616d75782f312e302e300a", HEX.formatHex(Negotiator.encode("/yamux/1.0.0")));
    assertEquals("0f2f697066732f69642f312e302e300a", HEX.formatHex(Negotiator.encode("/ipfs/id/1.0.0")));
    assertEquals("142f697066732f69642f707573682f312e302e300a",
        HEX.formatHex(Negotiator.encode("/ipfs/id/push/1.0.0")));
    assertEquals("112f697066732f70696e672f312e302e300a",
        HEX.formatHex(Negotiator.encode("/ipfs/ping/1.0.0")));
    assertEquals("0f2f6d6573687375622f312e322e300a", HEX.formatHex(Negotiator.encode("/meshsub/1.2.0")));
    assertEquals("036e610a", HEX.formatHex(Negotiator.encode("na")));
    assertEquals("036c730a", HEX.formatHex(Negotiator.encode("ls")));
  }

  @Test
  void dialerShouldWriteHeaderAndProposalInOneWriteWhenAdded() {
    EmbeddedChannel ch = new EmbeddedChannel(MultistreamHandler.dialer(List.of("/noise")));
    ByteBuf first = ch.readOutbound();
    assertEquals("132f6d756c746973747265616d2f312e302e300a072f6e6f6973650a",
        ByteBufUtil.hexDump(first));
    first.release();
    assertNull(ch.readOutbound());
    ch.finishAndReleaseAll();
  }

  @Test
  void listenerShouldNeverSpeakFirstAndEchoHeaderWithProtocol() {
    Recorder rec = new Recorder();
    EmbeddedChannel ch = new EmbeddedChannel(MultistreamHandler.listener(List.of("/noise")), rec);
    assertNull(ch.readOutbound());
    ch.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex(
        "132f6d756c746973747265616d2f312e302e300a072f6e6f6973650a")));
    assertEquals("132f6d756c746973747265616d2f312e302e300a072f6e6f6973650a",
        HEX.formatHex(drain(ch)));
    assertEquals(List.of(new ProtocolSelected("/noise")), rec.events);
    assertNull(ch.pipeline().get(MultistreamHandler.class));
    ch.finishAndReleaseAll();
  }

  @Test
  void dialerAndListenerShouldAgreeEndToEnd() {
    Recorder d = new Recorder();
    Recorder l = new Recorder();
    EmbeddedChannel dialer = new EmbeddedChannel(
        MultistreamHandler.dialer(List.of("/yamux/1.0.0")), d);
    EmbeddedChannel listener = new EmbeddedChannel(
        MultistreamHandler.listener(List.of("/mplex/6.7.0", "/yamux/1.0.0")), l);
    shuttle(dialer, listener);
    assertEquals(List.of(new ProtocolSelected("/yamux/1.0.0")), d.events);
    assertEquals(List.of(new ProtocolSelected("/yamux/1.0.0")), l.events);
    dialer.finishAndReleaseAll();
    listener.finishAndReleaseAll();
  }

  @Test
  void dialerShouldFallBackToSecondProposalOnNa() {
    Recorder d = new Recorder();
    Recorder l = new Recorder();
    EmbeddedChannel dialer = new EmbeddedChannel(
        MultistreamHandler.dialer(List.of("/unknown/1", "/noise")), d);
    EmbeddedChannel listener = new EmbeddedChannel(MultistreamHandler.listener(List.of("/noise")), l);
    byte[] first = drain(dialer);
    listener.writeInbound(Unpooled.wrappedBuffer(first));
    byte[] answer = drain(listener);
    assertArrayEquals(concat(Negotiator.encode(Negotiator.HEADER), Negotiator.encode("na")), answer);
    dialer.writeInbound(Unpooled.wrappedBuffer(answer));
    byte[] second = drain(dialer);
    assertArrayEquals(Negotiator.encode("/noise"), second, "next proposal alone");
    assertTrue(d.events.isEmpty());
    listener.writeInbound(Unpooled.wrappedBuffer(second));
    shuttle(dialer, listener);
    assertEquals(List.of(new ProtocolSelected("/noise")), d.events);
    assertEquals(List.of(new ProtocolSelected("/noise")), l.events);
    dialer.finishAndReleaseAll();
    listener.finishAndReleaseAll();
  }

  @Test
  void dialerShouldFailAfterLastNa() {
    Recorder d = new Recorder();
    EmbeddedChannel dialer = new EmbeddedChannel(MultistreamHandler.dialer(List.of("/a", "/b")), d);
    EmbeddedChannel listener = new EmbeddedChannel(MultistreamHandler.listener(List.of("/c")));
    shuttle(dialer, listener);
    assertEquals(1, d.events.size());
    assertTrue(d.events.get(0) instanceof ProtocolNegotiationFailed);
    assertFalse(dialer.isOpen());
    listener.finishAndReleaseAll();
  }

  @Test
  void listenerShouldAnswerLsWithProtocolList() {
    EmbeddedChannel listener = new EmbeddedChannel(
        MultistreamHandler.listener(List.of("/a", "/bb")));
    listener.writeInbound(Unpooled.wrappedBuffer(concat(
        Negotiator.encode(Negotiator.HEADER), Negotiator.encode("ls"))));
    byte[] out = drain(listener);
    byte[] header = Negotiator.encode(Negotiator.HEADER);
    byte[] inner = concat(Negotiator.encode("/a"), Negotiator.encode("/bb"), new byte[] {'\n'});
    assertArrayEquals(concat(header, new byte[] {(byte) inner.length}, inner), out);
    assertTrue(listener.isOpen());
    listener.finishAndReleaseAll();
  }

  @Test
  void pipelinedDataAfterProposalShouldReachTheProtocolHandler() {
    Recorder l = new Recorder();
    EmbeddedChannel listener = new EmbeddedChannel(MultistreamHandler.listener(List.of("/echo")), l);
    listener.writeInbound(Unpooled.wrappedBuffer(concat(Negotiator.encode(Negotiator.HEADER),
        Negotiator.encode("/echo"), "hello".getBytes(StandardCharsets.UTF_8))));
    assertEquals(List.of(new ProtocolSelected("/echo")), l.events);
    assertEquals("hello", l.data.toString());
    listener.writeInbound(Unpooled.copiedBuffer(" world", StandardCharsets.UTF_8));
    assertEquals("hello world", l.data.toString());
    listener.finishAndReleaseAll();
  }

  @Test
  void pipelinedDataShouldReachHandlerAddedInResponseToEvent() {
    Recorder late = new Recorder();
    ChannelInboundHandlerAdapter installer = new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ProtocolSelected) {
          ctx.pipeline().addLast(late);
        }
      }
    };
    EmbeddedChannel listener = new EmbeddedChannel(
        MultistreamHandler.listener(List.of("/echo")), installer);
    listener.writeInbound(Unpooled.wrappedBuffer(concat(Negotiator.encode(Negotiator.HEADER),
        Negotiator.encode("/echo"), "data".getBytes(StandardCharsets.UTF_8))));
    assertEquals("data", late.data.toString());
    listener.finishAndReleaseAll();
  }

  @Test
  void shouldNegotiateWhenInputArrivesByteByByte() {
    Recorder l = new Recorder();
    EmbeddedChannel listener = new EmbeddedChannel(MultistreamHandler.listener(List.of("/echo")), l);
    byte[] in = concat(Negotiator.encode(Negotiator.HEADER), Negotiator.encode("/echo"),
        "xyz".getBytes(StandardCharsets.UTF_8));
    for (byte b : in) {
      listener.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertEquals(List.of(new ProtocolSelected("/echo")), l.events);
    assertEquals("xyz", l.data.toString());
    assertArrayEquals(concat(Negotiator.encode(Negotiator.HEADER), Negotiator.encode("/echo")),
        drain(listener));
    listener.finishAndReleaseAll();
  }

  @Test
  void shouldRejectOversizeMessage() {
    Recorder l = new Recorder();
    EmbeddedChannel listener = new EmbeddedChannel(MultistreamHandler.listener(List.of("/a")), l);
    // length 1025 = 0x81 0x08
    listener.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, 0x08, '/'}));
    assertTrue(l.events.get(0) instanceof ProtocolNegotiationFailed);
    assertFalse(listener.isOpen());
  }

  @Test
  void shouldRejectThreeByteLengthPrefix() {
    Recorder l = new Recorder();
    EmbeddedChannel listener = new EmbeddedChannel(MultistreamHandler.listener(List.of("/a")), l);
    listener.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 0x80, 0x01}));
    assertTrue(l.events.get(0) instanceof ProtocolNegotiationFailed);
    assertFalse(listener.isOpen());
  }

  @Test
  void shouldRejectGarbageInsteadOfHeader() {
    Recorder l = new Recorder();
    EmbeddedChannel listener = new EmbeddedChannel(MultistreamHandler.listener(List.of("/a")), l);
    listener.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
    assertEquals(1, l.events.size());
    assertTrue(l.events.get(0) instanceof ProtocolNegotiationFailed);
    assertFalse(listener.isOpen());
  }

  @Test
  void shouldRejectMessageWithoutNewline() {
    Recorder l = new Recorder();
    EmbeddedChannel listener = new EmbeddedChannel(MultistreamHandler.listener(List.of("/a")), l);
    listener.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x03, '/', 'a', 'b'}));
    assertTrue(l.events.get(0) instanceof ProtocolNegotiationFailed);
    assertFalse(listener.isOpen());
  }

  @Test
  void truncatedInputShouldStayPendingAndReportFailureOnClose() {
    Recorder l = new Recorder();
    EmbeddedChannel listener = new EmbeddedChannel(MultistreamHandler.listener(List.of("/a")), l);
    byte[] header = Negotiator.encode(Negotiator.HEADER);
    listener.writeInbound(Unpooled.wrappedBuffer(header, 0, header.length - 1));
    assertTrue(l.events.isEmpty());
    assertTrue(listener.isOpen());
    listener.close();
    assertTrue(l.events.get(0) instanceof ProtocolNegotiationFailed);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }
}
