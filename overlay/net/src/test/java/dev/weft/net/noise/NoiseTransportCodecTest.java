package dev.weft.net.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Write batching and in-place framing of {@link NoiseTransportCodec}, end to end through a peer codec. */
class NoiseTransportCodecTest {
  private static EmbeddedChannel[] pair() {
    byte[] k1 = new byte[32];
    byte[] k2 = new byte[32];
    new SplittableRandom(1).nextBytes(k1);
    new SplittableRandom(2).nextBytes(k2);
    CipherState aSend = new CipherState();
    CipherState aRecv = new CipherState();
    CipherState bSend = new CipherState();
    CipherState bRecv = new CipherState();
    aSend.initializeKey(k1);
    bRecv.initializeKey(k1);
    bSend.initializeKey(k2);
    aRecv.initializeKey(k2);
    return new EmbeddedChannel[] {
      new EmbeddedChannel(new NoiseTransportCodec(aSend, aRecv)),
      new EmbeddedChannel(new NoiseTransportCodec(bSend, bRecv))
    };
  }

  /** Moves everything {@code from} wrote into {@code to} (direct buffers, as socket reads are). */
  private static byte[] deliver(EmbeddedChannel from, EmbeddedChannel to) {
    ByteBuf wire;
    while ((wire = from.readOutbound()) != null) {
      ByteBuf direct = Unpooled.directBuffer(wire.readableBytes()).writeBytes(wire);
      wire.release();
      to.writeInbound(direct);
    }
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    ByteBuf plain;
    while ((plain = to.readInbound()) != null) {
      byte[] b = new byte[plain.readableBytes()];
      plain.readBytes(b);
      plain.release();
      got.writeBytes(b);
    }
    return got.toByteArray();
  }

  @Test
  void smallWritesWaitForTheFlushAndShareOneFrame() {
    EmbeddedChannel[] ch = pair();
    ChannelFuture f1 = ch[0].write(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
    ChannelFuture f2 = ch[0].write(Unpooled.directBuffer().writeBytes(new byte[] {4, 5}));
    ChannelFuture f3 = ch[0].write(Unpooled.EMPTY_BUFFER);
    assertNull(ch[0].readOutbound(), "nothing may leave before the flush");
    assertFalse(f1.isDone());
    ch[0].flush();
    ByteBuf wire = ch[0].readOutbound();
    assertNotNull(wire);
    assertEquals(2 + 5 + 16, wire.readableBytes(), "one frame for all three writes");
    assertEquals(5 + 16, wire.getUnsignedShort(0));
    assertNull(ch[0].readOutbound());
    assertTrue(f1.isSuccess() && f2.isSuccess() && f3.isSuccess());
    EmbeddedChannel tmp = new EmbeddedChannel();
    tmp.writeOutbound(wire);
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, deliver(tmp, ch[1]));
    ch[0].finishAndReleaseAll();
    ch[1].finishAndReleaseAll();
    tmp.finishAndReleaseAll();
  }

  @Test
  void largeAndOddSizedWritesRoundTripAcrossFrameBoundaries() {
    EmbeddedChannel[] ch = pair();
    SplittableRandom rnd = new SplittableRandom(5);
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    int[] sizes = {12, 65536, 12, 1, 65519, 65520, 300_000, 7, 12, 131_072};
    for (int round = 0; round < 3; round++) {
      for (int size : sizes) {
        byte[] b = new byte[size];
        rnd.nextBytes(b);
        sent.writeBytes(b);
        ch[0].write(size % 2 == 0 ? Unpooled.wrappedBuffer(b) : Unpooled.directBuffer(size).writeBytes(b));
      }
      ch[0].flush();
      received.writeBytes(deliver(ch[0], ch[1]));
    }
    assertArrayEquals(sent.toByteArray(), received.toByteArray());
    ch[0].finishAndReleaseAll();
    ch[1].finishAndReleaseAll();
  }

  @Test
  void pendingBytesAreEncryptedWithoutAFlushOnceLarge() {
    EmbeddedChannel[] ch = pair();
    ch[0].write(Unpooled.wrappedBuffer(new byte[NoiseTransportCodec.EAGER_ENCRYPT_BYTES]));
    // Passed on to the channel's outbound buffer (counted for writability), though not flushed yet.
    assertTrue(ch[0].unsafe().outboundBuffer().totalPendingWriteBytes() > 0);
    ch[0].flush();
    assertEquals(NoiseTransportCodec.EAGER_ENCRYPT_BYTES, deliver(ch[0], ch[1]).length);
    ch[0].finishAndReleaseAll();
    ch[1].finishAndReleaseAll();
  }

  @Test
  void closeDropsUnflushedWritesAndFailsTheirPromises() {
    EmbeddedChannel[] ch = pair();
    ByteBuf data = Unpooled.buffer().writeBytes(new byte[] {9, 9});
    ChannelFuture f = ch[0].write(data);
    ch[0].close();
    assertTrue(f.isDone());
    assertFalse(f.isSuccess());
    assertEquals(0, data.refCnt(), "the unflushed buffer is released");
    ch[0].finishAndReleaseAll();
    ch[1].finishAndReleaseAll();
  }
}
