package dev.weft.net.yamux;

import static dev.weft.net.yamux.YamuxFrame.FLAG_ACK;
import static dev.weft.net.yamux.YamuxFrame.FLAG_FIN;
import static dev.weft.net.yamux.YamuxFrame.FLAG_RST;
import static dev.weft.net.yamux.YamuxFrame.FLAG_SYN;
import static dev.weft.net.yamux.YamuxFrame.TYPE_DATA;
import static dev.weft.net.yamux.YamuxFrame.TYPE_GO_AWAY;
import static dev.weft.net.yamux.YamuxFrame.TYPE_PING;
import static dev.weft.net.yamux.YamuxFrame.TYPE_WINDOW_UPDATE;
import static dev.weft.net.yamux.YamuxTestSupport.drain;
import static dev.weft.net.yamux.YamuxTestSupport.frame;
import static dev.weft.net.yamux.YamuxTestSupport.parse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.MuxerException;
import dev.weft.net.yamux.YamuxTestSupport.Frame;
import dev.weft.net.yamux.YamuxTestSupport.Pair;
import dev.weft.net.yamux.YamuxTestSupport.Rec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class YamuxHandlerTest {

  private static ByteBuf utf8(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  private static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + (i >>> 8));
    }
    return b;
  }

  private static void assertGoAway(byte[] out, int code) {
    List<Frame> frames = parse(out);
    Frame last = frames.get(frames.size() - 1);
    assertEquals(TYPE_GO_AWAY, last.type());
    assertEquals(0, last.id());
    assertEquals(code, last.length());
  }

  @Test
  void shouldOpenAcceptAndEcho() {
    Pair p = new Pair();
    p.echo = true;
    Rec rec = new Rec();
    MuxedStream s = p.client.openStream(rec);
    assertEquals(1, s.id());
    assertTrue(s.isInitiator());
    s.writeAndFlush(utf8("hello"));
    p.shuttle();
    assertEquals("hello", rec.text());
    assertEquals(1, p.serverInbound.size());
    assertEquals(1, p.serverInbound.get(0).id());
    assertFalse(p.serverInbound.get(0).isInitiator());
    MuxedStream s2 = p.client.openStream(new Rec());
    assertEquals(3, s2.id());
    assertEquals(2, p.client.openStreamCount());
    p.close();
  }

  @Test
  void serverShouldUseEvenIdsAndClientShouldAcceptThem() {
    Pair p = new Pair();
    MuxedStream s = p.server.openStream(new Rec());
    assertEquals(2, s.id());
    s.writeAndFlush(utf8("x"));
    p.shuttle();
    assertEquals(1, p.clientInbound.size());
    assertEquals(2, p.clientInbound.get(0).id());
    p.close();
  }

  @Test
  void openShouldSendWindowUpdateSynAndAcceptShouldAck() {
    Pair p = new Pair();
    MuxedStream s = p.client.openStream(new Rec());
    assertEquals(0, drain(p.clientCh).length, "SYN is batched until the stream is flushed");
    s.flush();
    byte[] syn = drain(p.clientCh);
    List<Frame> synFrames = parse(syn);
    assertEquals(1, synFrames.size());
    assertEquals(TYPE_WINDOW_UPDATE, synFrames.get(0).type());
    assertEquals(FLAG_SYN, synFrames.get(0).flags());
    assertEquals(1, synFrames.get(0).id());
    assertEquals(0, synFrames.get(0).length());
    p.serverCh.writeInbound(Unpooled.wrappedBuffer(syn));
    List<Frame> ack = parse(drain(p.serverCh));
    assertEquals(1, ack.size());
    assertEquals(TYPE_WINDOW_UPDATE, ack.get(0).type());
    assertEquals(FLAG_ACK, ack.get(0).flags());
    assertEquals(1, ack.get(0).id());
    p.close();
  }

  @Test
  void shouldNeverSendBeyondTheWindowAndResumeOnWindowUpdate() {
    Pair p = new Pair(YamuxTestSupport.testConfig().withWaterMarks(64 * 1024, 16 * 1024),
        YamuxTestSupport.testConfig());
    Rec rec = new Rec();
    MuxedStream s = p.client.openStream(rec);
    byte[] payload = pattern(1024 * 1024);
    s.writeAndFlush(Unpooled.wrappedBuffer(payload));
    assertFalse(s.isWritable(), "queue above high water mark");
    assertEquals(1, rec.writabilityChanges);
    long sent = 0;
    for (Frame f : parse(drain(p.clientCh))) {
      if (f.type() == TYPE_DATA) {
        sent += f.length();
      }
    }
    assertEquals(YamuxConfig.INITIAL_WINDOW, sent, "first flight is exactly one window");
    // re-send from scratch through the pair to check delivery and resumption
    Pair q = new Pair(YamuxTestSupport.testConfig().withWaterMarks(64 * 1024, 16 * 1024),
        YamuxTestSupport.testConfig());
    Rec rec2 = new Rec();
    MuxedStream s2 = q.client.openStream(rec2);
    s2.writeAndFlush(Unpooled.wrappedBuffer(payload));
    q.shuttle();
    assertArrayEquals(payload, q.serverRecs.get(0).data.toByteArray());
    assertTrue(s2.isWritable());
    assertEquals(2, rec2.writabilityChanges);
    p.close();
    q.close();
  }

  @Test
  void largerConfiguredReceiveWindowShouldBeGrantedAtOpen() {
    YamuxConfig big = YamuxTestSupport.testConfig().withReceiveWindow(1024 * 1024, 1024 * 1024);
    Pair p = new Pair(YamuxTestSupport.testConfig(), big);
    MuxedStream s = p.client.openStream(new Rec());
    s.writeAndFlush(Unpooled.wrappedBuffer(new byte[1]));
    p.shuttle(); // server ACKs with delta 768 KiB
    s.writeAndFlush(Unpooled.wrappedBuffer(pattern(2 * 1024 * 1024)));
    long sent = 0;
    for (Frame f : parse(drain(p.clientCh))) {
      if (f.type() == TYPE_DATA) {
        sent += f.length();
      }
    }
    assertEquals(1024 * 1024 - 1, sent);
    p.close();
  }

  @Test
  void shouldSendGoAwayProtocolErrorWhenPeerExceedsWindow() {
    EmbeddedChannel server = new EmbeddedChannel(
        new YamuxHandler(false, st -> st.setHandler(new Rec()), YamuxTestSupport.testConfig()));
    server.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0, null));
    drain(server);
    // only the header of an oversize data frame: refused before waiting for the payload
    server.writeInbound(frame(TYPE_DATA, 0, 1, YamuxConfig.INITIAL_WINDOW + 1, null));
    assertGoAway(drain(server), YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
    assertFalse(server.isOpen());
  }

  @Test
  void shouldRejectSecondFrameThatExceedsRemainingWindow() {
    Rec[] rec = new Rec[1];
    EmbeddedChannel server = new EmbeddedChannel(new YamuxHandler(false, st -> {
      rec[0] = new Rec();
      st.setHandler(rec[0]);
    }, YamuxTestSupport.testConfig()));
    // 100 KiB consumed is below half the window, so no update: 156 KiB remain, 157 KiB is too much
    server.writeInbound(frame(TYPE_DATA, FLAG_SYN, 1, 100 * 1024, new byte[100 * 1024]));
    server.writeInbound(frame(TYPE_DATA, 0, 1, 157 * 1024, null));
    assertGoAway(drain(server), YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
    assertFalse(server.isOpen());
    assertTrue(rec[0].reset, "streams reset when the session dies");
  }

  @Test
  void finShouldHalfCloseAndBothFinsShouldRemoveTheStream() {
    Pair p = new Pair();
    Rec rec = new Rec();
    MuxedStream s = p.client.openStream(rec);
    s.write(utf8("req"));
    s.closeWrite();
    p.shuttle();
    Rec srv = p.serverRecs.get(0);
    MuxedStream ss = p.serverInbound.get(0);
    assertEquals("req", srv.text());
    assertTrue(srv.remoteClosed);
    assertTrue(ss.isRemoteClosed());
    assertThrows(MuxerException.class, () -> s.write(utf8("late")));
    ss.writeAndFlush(utf8("resp"));
    p.shuttle();
    assertEquals("resp", rec.text());
    assertEquals(1, p.server.openStreamCount());
    ss.closeWrite();
    p.shuttle();
    assertTrue(rec.remoteClosed);
    assertEquals(0, p.server.openStreamCount());
    assertEquals(0, p.client.openStreamCount());
    assertFalse(rec.reset);
    assertFalse(srv.reset);
    p.close();
  }

  @Test
  void finOnDataFrameShouldBeHonoured() {
    Rec[] rec = new Rec[1];
    EmbeddedChannel server = new EmbeddedChannel(new YamuxHandler(false, st -> {
      rec[0] = new Rec();
      st.setHandler(rec[0]);
    }, YamuxTestSupport.testConfig()));
    server.writeInbound(frame(TYPE_DATA, FLAG_SYN | FLAG_FIN, 1, 2, new byte[] {'o', 'k'}));
    assertEquals("ok", rec[0].text());
    assertTrue(rec[0].remoteClosed);
    server.finishAndReleaseAll();
  }

  @Test
  void resetShouldAbortBothSides() {
    Pair p = new Pair();
    Rec rec = new Rec();
    MuxedStream s = p.client.openStream(rec);
    s.writeAndFlush(utf8("x"));
    p.shuttle();
    s.reset();
    assertTrue(rec.reset, "local reset tells our handler too");
    p.shuttle();
    assertTrue(p.serverRecs.get(0).reset);
    assertEquals(0, p.server.openStreamCount());
    assertEquals(0, p.client.openStreamCount());
    p.close();
  }

  @Test
  void shouldAnswerPingSynWithAckEchoingValue() {
    EmbeddedChannel ch = new EmbeddedChannel(
        new YamuxHandler(false, st -> {}, YamuxTestSupport.testConfig()));
    ch.writeInbound(frame(TYPE_PING, FLAG_SYN, 0, 0xDEADBEEFL, null));
    List<Frame> out = parse(drain(ch));
    assertEquals(1, out.size());
    assertEquals(TYPE_PING, out.get(0).type());
    assertEquals(FLAG_ACK, out.get(0).flags());
    assertEquals(0xDEADBEEFL, out.get(0).length());
    ch.finishAndReleaseAll();
  }

  @Test
  void shouldIgnoreUnsolicitedPingAck() {
    EmbeddedChannel ch = new EmbeddedChannel(
        new YamuxHandler(false, st -> {}, YamuxTestSupport.testConfig()));
    ch.writeInbound(frame(TYPE_PING, FLAG_ACK, 0, 7, null));
    assertEquals(0, drain(ch).length);
    assertTrue(ch.isOpen());
    ch.finishAndReleaseAll();
  }

  @Test
  void pingShouldMeasureRttAndAllowOnlyOneOutstanding() {
    Pair p = new Pair();
    assertEquals(-1, p.client.lastRttNanos());
    assertTrue(p.client.ping());
    assertFalse(p.client.ping(), "one outstanding ping at most");
    p.shuttle();
    assertTrue(p.client.lastRttNanos() >= 0);
    assertTrue(p.client.ping(), "next ping allowed after the answer");
    p.close();
  }

  @Test
  void wrongParitySynShouldCauseGoAwayAndClose() {
    EmbeddedChannel client = new EmbeddedChannel(
        new YamuxHandler(true, st -> {}, YamuxTestSupport.testConfig()));
    client.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0, null));
    assertGoAway(drain(client), YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
    assertFalse(client.isOpen());
  }

  @Test
  void nonZeroVersionShouldCloseTheSession() {
    EmbeddedChannel ch = new EmbeddedChannel(
        new YamuxHandler(false, st -> {}, YamuxTestSupport.testConfig()));
    ByteBuf bad = frame(TYPE_PING, FLAG_SYN, 0, 1, null);
    bad.setByte(0, 1);
    ch.writeInbound(bad);
    assertGoAway(drain(ch), YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
    assertFalse(ch.isOpen());
  }

  @Test
  void pingOnNonZeroStreamShouldBeProtocolError() {
    EmbeddedChannel ch = new EmbeddedChannel(
        new YamuxHandler(false, st -> {}, YamuxTestSupport.testConfig()));
    ch.writeInbound(frame(TYPE_PING, FLAG_SYN, 3, 1, null));
    assertGoAway(drain(ch), YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
    assertFalse(ch.isOpen());
  }

  @Test
  void inboundStreamsBeyondLimitShouldBeReset() {
    Pair p = new Pair(YamuxTestSupport.testConfig(),
        YamuxTestSupport.testConfig().withStreamLimits(2, 1000));
    Rec a = new Rec();
    Rec b = new Rec();
    Rec c = new Rec();
    p.client.openStream(a);
    p.client.openStream(b);
    p.client.openStream(c);
    p.shuttle();
    assertFalse(a.reset);
    assertFalse(b.reset);
    assertTrue(c.reset);
    assertEquals(2, p.server.openStreamCount());
    assertEquals(2, p.client.openStreamCount());
    assertTrue(p.clientCh.isOpen());
    p.close();
  }

  @Test
  void outboundStreamLimitShouldThrow() {
    Pair p = new Pair(YamuxTestSupport.testConfig().withStreamLimits(1000, 1),
        YamuxTestSupport.testConfig());
    p.client.openStream(new Rec());
    assertThrows(MuxerException.class, () -> p.client.openStream(new Rec()));
    p.close();
  }

  @Test
  void framesDeliveredByteByByteShouldDecode() {
    Pair p = new Pair();
    MuxedStream s = p.client.openStream(new Rec());
    s.write(utf8("hello "));
    s.write(utf8("world"));
    s.closeWrite();
    byte[] bytes = drain(p.clientCh);
    for (byte x : bytes) {
      p.serverCh.writeInbound(Unpooled.wrappedBuffer(new byte[] {x}));
    }
    assertEquals("hello world", p.serverRecs.get(0).text());
    assertTrue(p.serverRecs.get(0).remoteClosed);
    p.close();
  }

  @Test
  void framesForUnknownStreamsShouldBeIgnored() {
    EmbeddedChannel ch = new EmbeddedChannel(
        new YamuxHandler(false, st -> {}, YamuxTestSupport.testConfig()));
    ch.writeInbound(frame(TYPE_DATA, 0, 5, 3, new byte[] {1, 2, 3}));
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_FIN, 7, 10, null));
    ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_RST, 9, 0, null));
    assertEquals(0, drain(ch).length);
    assertTrue(ch.isOpen());
    ch.finishAndReleaseAll();
  }

  @Test
  void closeShouldSendGoAwayNormalAndResetStreams() {
    Pair p = new Pair();
    Rec rec = new Rec();
    p.client.openStream(rec);
    p.shuttle();
    drain(p.clientCh);
    p.client.close();
    assertGoAway(drain(p.clientCh), YamuxFrame.GO_AWAY_NORMAL);
    assertFalse(p.clientCh.isOpen());
    assertTrue(rec.reset);
    p.close();
  }

  @Test
  void receivedGoAwayNormalShouldStopNewStreamsButKeepExistingOnes() {
    Pair p = new Pair();
    Rec rec = new Rec();
    MuxedStream s = p.client.openStream(rec);
    p.shuttle();
    p.clientCh.writeInbound(frame(TYPE_GO_AWAY, 0, 0, 0, null));
    assertEquals(0, p.client.remoteGoAwayCode());
    assertThrows(MuxerException.class, () -> p.client.openStream(new Rec()));
    s.writeAndFlush(utf8("still"));
    p.shuttle();
    assertEquals("still", p.serverRecs.get(0).text());
    assertFalse(rec.reset);
    p.close();
  }

  @Test
  void receivedGoAwayErrorShouldAbortAllStreams() {
    Pair p = new Pair();
    Rec rec = new Rec();
    p.client.openStream(rec);
    p.shuttle();
    p.clientCh.writeInbound(frame(TYPE_GO_AWAY, 0, 0, 1, null));
    assertTrue(rec.reset);
    assertFalse(p.clientCh.isOpen());
    p.close();
  }

  @Test
  void channelCloseShouldResetAllStreams() {
    Pair p = new Pair();
    Rec a = new Rec();
    Rec b = new Rec();
    p.client.openStream(a);
    p.client.openStream(b);
    p.shuttle();
    p.serverCh.close();
    assertTrue(p.serverRecs.get(0).reset);
    assertTrue(p.serverRecs.get(1).reset);
    p.close();
  }

  @Test
  void windowUpdatesShouldFollowConsumptionOfHalfTheWindow() {
    Pair p = new Pair();
    MuxedStream s = p.client.openStream(new Rec());
    s.writeAndFlush(Unpooled.wrappedBuffer(new byte[128 * 1024 - 1]));
    p.serverCh.writeInbound(Unpooled.wrappedBuffer(drain(p.clientCh)));
    for (Frame f : parse(drain(p.serverCh))) {
      assertTrue(f.length() == 0, "no window update before half the window is used: " + f);
    }
    s.writeAndFlush(Unpooled.wrappedBuffer(new byte[1]));
    p.serverCh.writeInbound(Unpooled.wrappedBuffer(drain(p.clientCh)));
    List<Frame> out = parse(drain(p.serverCh));
    assertEquals(1, out.size());
    assertEquals(TYPE_WINDOW_UPDATE, out.get(0).type());
    assertEquals(128 * 1024, out.get(0).length());
    p.close();
  }

  @Test
  void payloadSlicesKeptByHandlerShouldStayIntactWhileMoreInputArrives() {
    List<ByteBuf> kept = new java.util.ArrayList<>();
    EmbeddedChannel server = new EmbeddedChannel(new YamuxHandler(false,
        st -> st.setHandler((stream, data) -> kept.add(data)), YamuxTestSupport.testConfig()));
    Pair p = new Pair();
    MuxedStream s = p.client.openStream(new Rec());
    byte[] payload = pattern(200_000);
    for (int off = 0; off < payload.length; off += 3000) {
      s.write(Unpooled.wrappedBuffer(payload, off, Math.min(3000, payload.length - off)));
    }
    s.flush();
    byte[] wire = drain(p.clientCh);
    // odd-sized chunks so the cumulation always holds a partial frame behind delivered slices
    for (int off = 0; off < wire.length; off += 4099) {
      server.writeInbound(Unpooled.wrappedBuffer(wire, off, Math.min(4099, wire.length - off)));
    }
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (ByteBuf b : kept) {
      all.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(b));
      b.release();
    }
    assertArrayEquals(payload, all.toByteArray());
    server.finishAndReleaseAll();
    p.close();
  }

  @Test
  void receiveWindowShouldDoubleWhenUsedUpWithinFourRtts() {
    long[] now = {0};
    YamuxHandler server = new YamuxHandler(false, st -> st.setHandler(new Rec()),
        YamuxTestSupport.testConfig(), () -> now[0]);
    EmbeddedChannel serverCh = new EmbeddedChannel(server);
    assertTrue(server.ping());
    List<Frame> ping = parse(drain(serverCh));
    now[0] = 1_000_000; // 1 ms RTT
    serverCh.writeInbound(frame(TYPE_PING, FLAG_ACK, 0, ping.get(0).length(), null));
    assertEquals(1_000_000, server.lastRttNanos());
    serverCh.writeInbound(frame(TYPE_DATA, FLAG_SYN, 1, 1, new byte[1]));
    drain(serverCh);
    now[0] += 500_000; // half a window consumed 0.5 ms after the stream opened
    serverCh.writeInbound(frame(TYPE_DATA, 0, 1, 128 * 1024, new byte[128 * 1024]));
    List<Frame> up = parse(drain(serverCh));
    assertEquals(1, up.size());
    assertEquals(128 * 1024 + 1 + 256 * 1024, up.get(0).length(), "consumed + doubling to 512 KiB");
    // slow consumer: 10 ms later, no growth; the remote may now send up to 512 KiB at once
    now[0] += 10_000_000;
    serverCh.writeInbound(frame(TYPE_DATA, 0, 1, 512 * 1024, new byte[512 * 1024]));
    up = parse(drain(serverCh));
    assertEquals(512 * 1024, up.get(0).length());
    assertTrue(serverCh.isOpen());
    serverCh.finishAndReleaseAll();
  }

  @Test
  void keepAliveShouldPingAtOnceWhenEnabled() {
    EmbeddedChannel ch = new EmbeddedChannel(new YamuxHandler(true, st -> {},
        YamuxConfig.defaults()));
    List<Frame> out = parse(drain(ch));
    assertEquals(1, out.size());
    assertEquals(TYPE_PING, out.get(0).type());
    assertEquals(FLAG_SYN, out.get(0).flags());
    assertEquals(0, out.get(0).length());
    ch.finishAndReleaseAll();
  }
}
