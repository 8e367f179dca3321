package dev.weft.net.yamux;

import static dev.weft.net.yamux.YamuxFrame.FLAG_SYN;
import static dev.weft.net.yamux.YamuxFrame.TYPE_DATA;
import static dev.weft.net.yamux.YamuxFrame.TYPE_GO_AWAY;
import static dev.weft.net.yamux.YamuxFrame.TYPE_WINDOW_UPDATE;
import static dev.weft.net.yamux.YamuxTestSupport.drain;
import static dev.weft.net.yamux.YamuxTestSupport.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.net.LogCapture;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Truncated, oversized and garbage yamux input: refused with a logged reason, never thrown. */
class YamuxBadInputTest {
  private final YamuxTestSupport.Rec rec = new YamuxTestSupport.Rec();

  private EmbeddedChannel server() {
    return new EmbeddedChannel(new YamuxHandler(false, s -> s.setHandler(rec),
        YamuxTestSupport.testConfig()));
  }

  private static void assertProtocolErrorGoAway(byte[] out) {
    List<YamuxTestSupport.Frame> frames = YamuxTestSupport.parse(out);
    YamuxTestSupport.Frame last = frames.get(frames.size() - 1);
    assertEquals(TYPE_GO_AWAY, last.type());
    assertEquals(YamuxFrame.GO_AWAY_PROTOCOL_ERROR, last.length());
  }

  @Test
  void shouldWaitOnATruncatedFrameWithoutDeliveringIt() {
    EmbeddedChannel ch = server();
    ByteBuf whole = frame(TYPE_DATA, FLAG_SYN, 1, 5, "hello".getBytes());
    byte[] bytes = ByteBufUtil.getBytes(whole);
    whole.release();
    // header minus one byte, then header plus a partial payload
    ch.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(bytes, 0, 11));
    assertTrue(ch.isOpen());
    assertEquals(0, rec.data.size());
    ch.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(bytes, 11, 3));
    assertTrue(ch.isOpen());
    ch.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(bytes, 14, bytes.length - 14));
    assertEquals("hello", rec.text());
    ch.finishAndReleaseAll();
  }

  @Test
  void shouldRefuseAWindowUpdatePastTwoToThe32WithALoggedReason() {
    EmbeddedChannel ch = server();
    try (LogCapture log = new LogCapture(YamuxHandler.class)) {
      ch.writeInbound(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0, null));
      ch.writeInbound(frame(TYPE_WINDOW_UPDATE, 0, 1, 0xFFFFFFFFL, null));
      assertProtocolErrorGoAway(drain(ch));
      assertFalse(ch.isOpen());
      assertTrue(log.contains("send window overflow on stream 1"), log.messages().toString());
    }
    ch.finishAndReleaseAll();
  }

  @Test
  void shouldCloseOnGarbageWithALoggedReasonAndNeverThrow() {
    Random rnd = new Random(11);
    for (int run = 0; run < 200; run++) {
      EmbeddedChannel ch = server();
      byte[] garbage = new byte[12 + rnd.nextInt(200)];
      rnd.nextBytes(garbage);
      garbage[0] = (byte) (1 + rnd.nextInt(255)); // a version yamux does not speak
      try (LogCapture log = new LogCapture(YamuxHandler.class)) {
        ch.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(garbage));
        ch.checkException();
        assertFalse(ch.isOpen());
        assertTrue(log.contains("unsupported yamux version"), log.messages().toString());
      } finally {
        ch.finishAndReleaseAll();
      }
    }
  }
}
