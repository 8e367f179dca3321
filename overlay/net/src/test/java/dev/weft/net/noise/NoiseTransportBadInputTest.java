package dev.weft.net.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.net.FuzzFixtures;
import dev.weft.net.LogCapture;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Noise transport frames: at most 65535 bytes each way; bad frames close with a logged reason. */
class NoiseTransportBadInputTest {
  private static CipherState keyed() {
    CipherState c = new CipherState();
    c.initializeKey(FuzzFixtures.NOISE_TRANSPORT_KEY);
    return c;
  }

  private final NoiseHandshakeHandlerTest.Recorder rec = new NoiseHandshakeHandlerTest.Recorder();

  private EmbeddedChannel channel() {
    EmbeddedChannel ch = new EmbeddedChannel(new NoiseTransportCodec(keyed(), keyed()));
    ch.pipeline().addLast(rec);
    return ch;
  }

  @Test
  void shouldHoldAPartialMaximumFrameThenCloseWhenItFailsToDecrypt() {
    EmbeddedChannel ch = channel();
    try (LogCapture log = new LogCapture(NoiseTransportCodec.class)) {
      byte[] head = new byte[102];
      head[0] = (byte) 0xFF;
      head[1] = (byte) 0xFF; // 65535, the largest length a 2-byte prefix can announce
      ch.writeInbound(Unpooled.wrappedBuffer(head));
      assertTrue(ch.isOpen());
      assertEquals(0, rec.data.size());
      byte[] rest = new byte[65535 - 100];
      new Random(3).nextBytes(rest);
      ch.writeInbound(Unpooled.wrappedBuffer(rest));
      assertFalse(ch.isOpen());
      assertEquals(0, rec.data.size());
      assertTrue(log.contains("noise transport with"), log.messages().toString());
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void shouldCloseOnAFrameShorterThanTheTagWithALoggedReason() {
    EmbeddedChannel ch = channel();
    try (LogCapture log = new LogCapture(NoiseTransportCodec.class)) {
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 15, 1, 2, 3}));
      assertFalse(ch.isOpen());
      assertTrue(log.contains("shorter than the tag"), log.messages().toString());
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void shouldSplitLargeWritesIntoFramesOfAtMost65535Bytes() {
    EmbeddedChannel ch = channel();
    try {
      ch.writeOutbound(Unpooled.wrappedBuffer(new byte[200_000]));
      ByteBuf out = Unpooled.buffer();
      Object o;
      while ((o = ch.readOutbound()) != null) {
        out.writeBytes((ByteBuf) o);
        ((ByteBuf) o).release();
      }
      int frames = 0;
      long plain = 0;
      while (out.isReadable()) {
        int len = out.readUnsignedShort();
        assertTrue(len <= NoiseTransportCodec.MAX_FRAME);
        out.skipBytes(len);
        plain += len - ChaChaPolyAead.TAG_LENGTH;
        frames++;
      }
      out.release();
      assertEquals(200_000, plain);
      assertEquals(4, frames);
      assertNull(ch.pipeline().get(NoiseHandshakeHandler.class));
    } finally {
      ch.finishAndReleaseAll();
    }
  }
}
