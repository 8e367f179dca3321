package dev.weft.net.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.identity.PeerId;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.crypto.PrivKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NoiseHandshakeHandlerTest {
  private static final List<String> YAMUX = List.of("/yamux/1.0.0");
  private final SecureRandom random = new SecureRandom();
  private final PrivKey initKey = Ed25519Keys.generate(random);
  private final PrivKey respKey = Ed25519Keys.generate(random);
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  /** Records user events and decrypted application bytes that reach the end of the pipeline. */
  static final class Recorder extends ChannelInboundHandlerAdapter {
    final List<Object> events = new ArrayList<>();
    final ByteArrayOutputStream data = new ByteArrayOutputStream();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      events.add(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      try {
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        data.writeBytes(bytes);
      } finally {
        b.release();
      }
    }

    NoiseSecured secured() {
      for (Object e : events) {
        if (e instanceof NoiseSecured s) {
          return s;
        }
      }
      return null;
    }

    NoiseFailed failed() {
      for (Object e : events) {
        if (e instanceof NoiseFailed f) {
          return f;
        }
      }
      return null;
    }
  }

  private record Side(EmbeddedChannel ch, Recorder rec) {}

  private Side side(NoiseHandshakeHandler handler) {
    EmbeddedChannel ch = new EmbeddedChannel();
    Recorder rec = new Recorder();
    // Added after the channel is active, as the host does once multistream agreed on /noise.
    ch.pipeline().addLast("noise", handler);
    ch.pipeline().addLast(rec);
    channels.add(ch);
    return new Side(ch, rec);
  }

  @AfterEach
  void closeAll() {
    for (EmbeddedChannel ch : channels) {
      ch.finishAndReleaseAll();
    }
  }

  /** Drains everything {@code from} wrote into one buffer (null if nothing). */
  private static ByteBuf drain(EmbeddedChannel from) {
    ByteBuf all = Unpooled.buffer();
    ByteBuf b;
    while ((b = from.readOutbound()) != null) {
      all.writeBytes(b);
      b.release();
    }
    if (!all.isReadable()) {
      all.release();
      return null;
    }
    return all;
  }

  /** Moves bytes both ways until quiet; {@code chunk} > 0 delivers them that many bytes at a time. */
  private static void shuttle(Side a, Side b, int chunk) {
    boolean moved = true;
    while (moved) {
      moved = deliver(a.ch, b.ch, chunk) | deliver(b.ch, a.ch, chunk);
    }
  }

  private static boolean deliver(EmbeddedChannel from, EmbeddedChannel to, int chunk) {
    ByteBuf all = drain(from);
    if (all == null) {
      return false;
    }
    if (!to.isOpen()) {
      all.release();
      return false;
    }
    if (chunk <= 0) {
      to.writeInbound(all);
    } else {
      while (all.isReadable() && to.isOpen()) {
        to.writeInbound(all.readRetainedSlice(Math.min(chunk, all.readableBytes())));
      }
      all.release();
    }
    return true;
  }

  private Side initiator(PeerId expected, List<String> muxers) {
    return side(new NoiseHandshakeHandler(initKey, true, expected, muxers));
  }

  private Side responder(List<String> muxers) {
    return side(new NoiseHandshakeHandler(respKey, false, null, muxers));
  }

  private static byte[] send(Side from, Side to, byte[] data) {
    from.ch.writeOutbound(Unpooled.wrappedBuffer(data));
    deliver(from.ch, to.ch, 0);
    return to.rec.data.toByteArray();
  }

  @Test
  void shouldCompleteHandshakeInBothRolesAndAgreeOnEarlyMuxer() {
    Side i = initiator(respKey.publicKey().peerId(), YAMUX);
    Side r = responder(YAMUX);
    shuttle(i, r, 0);

    NoiseSecured si = i.rec.secured();
    NoiseSecured sr = r.rec.secured();
    assertNotNull(si);
    assertNotNull(sr);
    assertEquals(respKey.publicKey().peerId(), si.remotePeer());
    assertEquals(initKey.publicKey().peerId(), sr.remotePeer());
    assertArrayEquals(respKey.publicKey().raw(), si.remoteKey().raw());
    assertEquals("/yamux/1.0.0", si.earlyMuxerOrNull());
    assertEquals("/yamux/1.0.0", sr.earlyMuxerOrNull());
    assertNull(i.ch.pipeline().get(NoiseHandshakeHandler.class));
    assertNotNull(i.ch.pipeline().get(NoiseTransportCodec.class));
    assertInstanceOf(NoiseTransportCodec.class, i.ch.pipeline().get(NoiseTransportCodec.HANDLER_NAME));
    assertNotNull(r.ch.pipeline().get(NoiseTransportCodec.class));

    assertArrayEquals("ping".getBytes(), send(i, r, "ping".getBytes()));
    assertArrayEquals("pong".getBytes(), send(r, i, "pong".getBytes()));
  }

  @Test
  void shouldAgreeOnInitiatorPreferenceFromBothSides() {
    Side i = initiator(null, List.of("/mplex/6.7.0", "/yamux/1.0.0"));
    Side r = responder(List.of("/yamux/1.0.0", "/mplex/6.7.0"));
    shuttle(i, r, 0);
    assertEquals("/mplex/6.7.0", i.rec.secured().earlyMuxerOrNull());
    assertEquals("/mplex/6.7.0", r.rec.secured().earlyMuxerOrNull());
  }

  @Test
  void shouldUseNoEarlyMuxerWhenOneSideAdvertisesNone() {
    Side i = initiator(null, List.of());
    Side r = responder(YAMUX);
    shuttle(i, r, 0);
    assertNotNull(i.rec.secured());
    assertNull(i.rec.secured().earlyMuxerOrNull());
    assertNull(r.rec.secured().earlyMuxerOrNull());
  }

  @Test
  void shouldFailHandshakeWhenMuxerListsDoNotOverlap() {
    Side i = initiator(null, List.of("/mplex/6.7.0"));
    Side r = responder(YAMUX);
    shuttle(i, r, 0);
    assertNotNull(i.rec.failed());
    assertFalse(i.ch.isOpen());
    assertNull(r.rec.secured());
  }

  @Test
  void shouldFailInitiatorWhenRemotePeerIdIsNotTheExpectedOne() {
    PeerId other = Ed25519Keys.generate(random).publicKey().peerId();
    Side i = initiator(other, YAMUX);
    Side r = responder(YAMUX);
    shuttle(i, r, 0);
    NoiseFailed f = i.rec.failed();
    assertNotNull(f);
    assertTrue(f.reason().contains("unexpected peer"), f.reason());
    assertFalse(i.ch.isOpen());
    assertNull(i.rec.secured());
    assertNull(r.rec.secured());
  }


  @Test
  void shouldFailWhenMessageTwoIsTampered() {
    Side i = initiator(null, YAMUX);
    Side r = responder(YAMUX);
    deliver(i.ch, r.ch, 0); // msg 1
    ByteBuf msg2 = drain(r.ch);
    msg2.setByte(2 + 32 + 5, msg2.getByte(2 + 32 + 5) ^ 0x40); // inside encrypted s
    i.ch.writeInbound(msg2);
    assertNotNull(i.rec.failed());
    assertFalse(i.ch.isOpen());
    assertNull(drain(i.ch)); // no message 3
  }

  @Test
  void shouldFailWhenMessageThreeIsTampered() {
    Side i = initiator(null, YAMUX);
    Side r = responder(YAMUX);
    deliver(i.ch, r.ch, 0);
    deliver(r.ch, i.ch, 0);
    assertNotNull(i.rec.secured());
    ByteBuf msg3 = drain(i.ch);
    int last = msg3.writerIndex() - 1;
    msg3.setByte(last, msg3.getByte(last) ^ 1); // payload tag
    r.ch.writeInbound(msg3);
    assertNotNull(r.rec.failed());
    assertNull(r.rec.secured());
    assertFalse(r.ch.isOpen());
  }

  @Test
  void shouldRejectOversizeHandshakeFrameBeforeItArrives() {
    Side r = responder(YAMUX);
    // Only the 2-byte header of a 65535-byte "message 1": rejected without waiting or allocating.
    r.ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff}));
    assertNotNull(r.rec.failed());
    assertTrue(r.rec.failed().reason().contains("length 65535"), r.rec.failed().reason());
    assertFalse(r.ch.isOpen());
  }

  @Test
  void shouldRejectUndersizeMessageOne() {
    Side r = responder(YAMUX);
    r.ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 5, 1, 2, 3, 4, 5}));
    assertNotNull(r.rec.failed());
    assertFalse(r.ch.isOpen());
  }

  @Test
  void shouldCompleteWhenBytesArriveOneAtATime() {
    Side i = initiator(respKey.publicKey().peerId(), YAMUX);
    Side r = responder(YAMUX);
    shuttle(i, r, 1);
    assertNotNull(i.rec.secured());
    assertNotNull(r.rec.secured());
    i.ch.writeOutbound(Unpooled.wrappedBuffer("abc".getBytes()));
    i.ch.writeOutbound(Unpooled.wrappedBuffer("def".getBytes()));
    deliver(i.ch, r.ch, 1);
    assertArrayEquals("abcdef".getBytes(), r.rec.data.toByteArray());
  }

  @Test
  void shouldDeliverTransportBytesThatArriveWithMessageThree() {
    Side i = initiator(null, YAMUX);
    Side r = responder(YAMUX);
    deliver(i.ch, r.ch, 0);
    deliver(r.ch, i.ch, 0);
    assertNotNull(i.rec.secured());
    i.ch.writeOutbound(Unpooled.wrappedBuffer("early".getBytes()));
    // msg 3 and the first transport frame reach the responder in a single read.
    deliver(i.ch, r.ch, 0);
    assertNotNull(r.rec.secured());
    assertArrayEquals("early".getBytes(), r.rec.data.toByteArray());
    // The event came before the data.
    assertInstanceOf(NoiseSecured.class, r.rec.events.get(0));
  }

  @Test
  void shouldRoundTripOneMebibyteSplitIntoFrames() {
    Side i = initiator(null, YAMUX);
    Side r = responder(YAMUX);
    shuttle(i, r, 0);
    byte[] big = new byte[1 << 20];
    new Random(7).nextBytes(big);
    i.ch.writeOutbound(Unpooled.wrappedBuffer(big));
    ByteBuf wire = i.ch.readOutbound();
    assertNull(i.ch.readOutbound(), "one write becomes one buffer");
    int frames = 0;
    for (int p = wire.readerIndex(); p < wire.writerIndex(); frames++) {
      int len = wire.getUnsignedShort(p);
      assertTrue(len <= 65535);
      p += 2 + len;
    }
    assertEquals(17, frames); // ceil(1048576 / 65519)
    assertEquals(big.length + 17 * 18, wire.readableBytes());
    // Delivered in odd-sized direct-buffer pieces (as NIO reads arrive) to exercise reassembly
    // across reads and the copy path for non-array buffers.
    while (wire.isReadable()) {
      int n = Math.min(10_007, wire.readableBytes());
      ByteBuf piece = Unpooled.directBuffer(n);
      piece.writeBytes(wire, n);
      r.ch.writeInbound(piece);
    }
    wire.release();
    assertArrayEquals(big, r.rec.data.toByteArray());
  }

  @Test
  void shouldCloseOnTamperedTransportFrame() {
    Side i = initiator(null, YAMUX);
    Side r = responder(YAMUX);
    shuttle(i, r, 0);
    i.ch.writeOutbound(Unpooled.wrappedBuffer("secret".getBytes()));
    ByteBuf frame = drain(i.ch);
    frame.setByte(3, frame.getByte(3) ^ 1);
    r.ch.writeInbound(frame);
    assertFalse(r.ch.isOpen());
    assertEquals(0, r.rec.data.size());
  }

  @Test
  void shouldCloseOnTransportFrameShorterThanTag() {
    Side i = initiator(null, YAMUX);
    Side r = responder(YAMUX);
    shuttle(i, r, 0);
    r.ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 3, 1, 2, 3}));
    assertFalse(r.ch.isOpen());
  }

  @Test
  void shouldFailWhenHandshakeDoesNotCompleteInTime() {
    Side r = responder(YAMUX);
    r.ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 32, 1, 2, 3})); // partial message 1
    r.ch.advanceTimeBy(NoiseHandshakeHandler.DEFAULT_TIMEOUT.toSeconds() - 1, TimeUnit.SECONDS);
    r.ch.runScheduledPendingTasks();
    assertTrue(r.ch.isOpen());
    r.ch.advanceTimeBy(2, TimeUnit.SECONDS);
    r.ch.runScheduledPendingTasks();
    assertFalse(r.ch.isOpen());
    assertTrue(r.rec.failed().reason().contains("timed out"), r.rec.failed().reason());
  }

  @Test
  void shouldReuseOneStaticKeyPerIdentity() {
    NoiseIdentity a = NoiseIdentity.shared(initKey, YAMUX, random);
    assertTrue(a == NoiseIdentity.shared(initKey, List.of("/yamux/1.0.0"), random));
    assertFalse(a == NoiseIdentity.shared(initKey, List.of(), random));
    assertFalse(a == NoiseIdentity.shared(respKey, YAMUX, random));
  }

  @Test
  void shouldReportFailureWhenClosedMidHandshake() {
    Side i = initiator(null, YAMUX);
    i.ch.close();
    assertNotNull(i.rec.failed());
  }
}
