package dev.weft.net.mplex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.MuxerException;
import dev.weft.net.mux.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class MplexHandlerTest {
  private static final HexFormat HEX = HexFormat.of();

  static class Rec implements StreamHandler {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    boolean echo;
    boolean remoteClosed;
    boolean reset;

    @Override
    public void onData(MuxedStream stream, ByteBuf buf) {
      data.writeBytes(ByteBufUtil.getBytes(buf));
      if (echo) {
        stream.writeAndFlush(buf);
      } else {
        buf.release();
      }
    }

    @Override
    public void onRemoteClose(MuxedStream stream) {
      remoteClosed = true;
    }

    @Override
    public void onReset(MuxedStream stream) {
      reset = true;
    }

    String text() {
      return data.toString(StandardCharsets.UTF_8);
    }
  }

  static final class Pair {
    final List<MuxedStream> aInbound = new ArrayList<>();
    final List<Rec> bRecs = new ArrayList<>();
    final List<MuxedStream> bInbound = new ArrayList<>();
    final MplexHandler a;
    final MplexHandler b;
    final EmbeddedChannel aCh;
    final EmbeddedChannel bCh;

    Pair(MplexConfig bConfig, boolean echo) {
      a = new MplexHandler(s -> {
        aInbound.add(s);
        s.setHandler(new Rec());
      }, MplexConfig.defaults());
      b = new MplexHandler(s -> {
        bInbound.add(s);
        Rec r = new Rec();
        r.echo = echo;
        bRecs.add(r);
        s.setHandler(r);
      }, bConfig);
      aCh = new EmbeddedChannel(a);
      bCh = new EmbeddedChannel(b);
    }

    void shuttle() {
      boolean progress = true;
      while (progress) {
        progress = false;
        Object o;
        while ((o = aCh.readOutbound()) != null) {
          bCh.writeInbound(o);
          progress = true;
        }
        while ((o = bCh.readOutbound()) != null) {
          aCh.writeInbound(o);
          progress = true;
        }
      }
    }
  }

  private static byte[] drain(EmbeddedChannel ch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Object o;
    while ((o = ch.readOutbound()) != null) {
      out.writeBytes(ByteBufUtil.getBytes((ByteBuf) o));
      ((ByteBuf) o).release();
    }
    return out.toByteArray();
  }

  @Test
  void shouldEncodeNewStreamMessageAndCloseFrames() {
    Pair p = new Pair(MplexConfig.defaults(), false);
    MuxedStream s = p.a.openStream(new Rec());
    s.write(Unpooled.wrappedBuffer(new byte[] {'h', 'i'}));
    s.closeWrite();
    // NewStream id 0: header 0x00, len 1, "0"; MessageInitiator: 0x02 len 2 "hi"; CloseInitiator 0x04 00
    assertEquals("000130" + "02026869" + "0400", HEX.formatHex(drain(p.aCh)));
    p.aCh.finishAndReleaseAll();
  }

  @Test
  void shouldOpenAcceptAndEcho() {
    Pair p = new Pair(MplexConfig.defaults(), true);
    Rec rec = new Rec();
    MuxedStream s = p.a.openStream(rec);
    s.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
    p.shuttle();
    assertEquals("hello", rec.text());
    assertFalse(p.bInbound.get(0).isInitiator());
    assertEquals(0, p.bInbound.get(0).id());
  }

  @Test
  void bothSidesMayUseTheSameIdIndependently() {
    Pair p = new Pair(MplexConfig.defaults(), true);
    Rec ra = new Rec();
    MuxedStream sa = p.a.openStream(ra);
    MuxedStream sb = p.b.openStream(new Rec());
    assertEquals(sa.id(), sb.id());
    sa.writeAndFlush(Unpooled.copiedBuffer("from a", StandardCharsets.UTF_8));
    sb.writeAndFlush(Unpooled.copiedBuffer("from b", StandardCharsets.UTF_8));
    p.shuttle();
    assertEquals("from a", ra.text());
    Rec aSide = new Rec();
    p.aInbound.get(0).setHandler(aSide);
    sb.writeAndFlush(Unpooled.copiedBuffer("again", StandardCharsets.UTF_8));
    p.shuttle();
    assertEquals("again", aSide.text());
  }

  @Test
  void closeShouldHalfCloseAndBothClosesRemoveTheStream() {
    Pair p = new Pair(MplexConfig.defaults(), false);
    Rec rec = new Rec();
    MuxedStream s = p.a.openStream(rec);
    s.write(Unpooled.copiedBuffer("req", StandardCharsets.UTF_8));
    s.closeWrite();
    p.shuttle();
    assertEquals("req", p.bRecs.get(0).text());
    assertTrue(p.bRecs.get(0).remoteClosed);
    assertThrows(MuxerException.class, () -> s.write(Unpooled.buffer(1).writeByte(1)));
    MuxedStream remote = p.bInbound.get(0);
    remote.writeAndFlush(Unpooled.copiedBuffer("resp", StandardCharsets.UTF_8));
    remote.closeWrite();
    p.shuttle();
    assertEquals("resp", rec.text());
    assertTrue(rec.remoteClosed);
    assertEquals(0, p.a.openStreamCount());
    assertEquals(0, p.b.openStreamCount());
    assertFalse(rec.reset);
  }

  @Test
  void resetShouldReachTheOtherSide() {
    Pair p = new Pair(MplexConfig.defaults(), false);
    Rec rec = new Rec();
    MuxedStream s = p.a.openStream(rec);
    s.flush();
    p.shuttle();
    s.reset();
    p.shuttle();
    assertTrue(rec.reset);
    assertTrue(p.bRecs.get(0).reset);
    assertEquals(0, p.b.openStreamCount());
  }

  @Test
  void inboundStreamsBeyondLimitShouldBeReset() {
    Pair p = new Pair(new MplexConfig(1, 1024, 1024 * 1024), false);
    Rec r1 = new Rec();
    Rec r2 = new Rec();
    p.a.openStream(r1);
    p.a.openStream(r2).flush();
    p.shuttle();
    assertFalse(r1.reset);
    assertTrue(r2.reset);
    assertEquals(1, p.b.openStreamCount());
  }

  @Test
  void largeWritesShouldBeSplitIntoBoundedMessages() {
    Pair p = new Pair(MplexConfig.defaults(), false);
    MuxedStream s = p.a.openStream(new Rec());
    byte[] big = new byte[2 * 1024 * 1024 + 5];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    s.writeAndFlush(Unpooled.wrappedBuffer(big));
    p.shuttle();
    assertArrayEquals(big, p.bRecs.get(0).data.toByteArray());
    assertTrue(p.bCh.isOpen());
  }

  @Test
  void shouldRejectOversizeMessage() {
    EmbeddedChannel ch = new EmbeddedChannel(new MplexHandler(s -> {}, MplexConfig.defaults()));
    // header 0x02 (stream 0, MessageInitiator), length 1 MiB + 1 = 0x80 0x80 0x40 | 1 -> 0x81 0x80 0x40
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x02, (byte) 0x81, (byte) 0x80, 0x40}));
    assertFalse(ch.isOpen());
  }

  @Test
  void shouldRejectOverlongVarint() {
    EmbeddedChannel ch = new EmbeddedChannel(new MplexHandler(s -> {}, MplexConfig.defaults()));
    byte[] junk = new byte[10];
    java.util.Arrays.fill(junk, (byte) 0x80);
    ch.writeInbound(Unpooled.wrappedBuffer(junk));
    assertFalse(ch.isOpen());
  }

  @Test
  void framesDeliveredByteByByteShouldDecode() {
    Pair p = new Pair(MplexConfig.defaults(), false);
    MuxedStream s = p.a.openStream(new Rec());
    s.write(Unpooled.copiedBuffer("byte by byte", StandardCharsets.UTF_8));
    s.closeWrite();
    for (byte x : drain(p.aCh)) {
      p.bCh.writeInbound(Unpooled.wrappedBuffer(new byte[] {x}));
    }
    assertEquals("byte by byte", p.bRecs.get(0).text());
    assertTrue(p.bRecs.get(0).remoteClosed);
  }

  @Test
  void channelCloseShouldResetStreams() {
    Pair p = new Pair(MplexConfig.defaults(), false);
    Rec rec = new Rec();
    p.a.openStream(rec);
    p.a.close();
    assertTrue(rec.reset);
    assertFalse(p.aCh.isOpen());
  }

  @Test
  void unknownStreamMessagesShouldBeIgnored() {
    EmbeddedChannel ch = new EmbeddedChannel(new MplexHandler(s -> {}, MplexConfig.defaults()));
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x2a, 0x01, 0x07, 0x0c, 0x00}));
    assertTrue(ch.isOpen());
    ch.finishAndReleaseAll();
  }

  @Test
  void payloadSlicesKeptByHandlerShouldStayIntactWhileMoreInputArrives() {
    List<ByteBuf> kept = new ArrayList<>();
    EmbeddedChannel server = new EmbeddedChannel(new MplexHandler(
        st -> st.setHandler((stream, data) -> kept.add(data)), MplexConfig.defaults()));
    Pair p = new Pair(MplexConfig.defaults(), false);
    MuxedStream s = p.a.openStream(new Rec());
    byte[] payload = new byte[100_000];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 7 + (i >>> 8));
    }
    for (int off = 0; off < payload.length; off += 3000) {
      s.write(Unpooled.wrappedBuffer(payload, off, Math.min(3000, payload.length - off)));
    }
    s.flush();
    byte[] wire = drain(p.aCh);
    for (int off = 0; off < wire.length; off += 4099) {
      server.writeInbound(Unpooled.wrappedBuffer(wire, off, Math.min(4099, wire.length - off)));
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (ByteBuf b : kept) {
      all.writeBytes(ByteBufUtil.getBytes(b));
      b.release();
    }
    assertArrayEquals(payload, all.toByteArray());
    server.finishAndReleaseAll();
  }
}
