package dev.weft.net.mplex;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.net.mux.MuxedStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Arbitrary input must never escape the mplex handler as an exception, no single delivery may
 * exceed the configured message size, and streams never receive more bytes than arrived.
 */
class MplexDecoderFuzzTest {
  static final MplexConfig CONFIG = new MplexConfig(16, 16, 1024);

  @FuzzTest(maxDuration = "30s")
  void arbitraryBytesShouldNeverThrow(byte[] input) {
    long[] delivered = new long[1];
    EmbeddedChannel ch = new EmbeddedChannel(new MplexHandler(
        s -> s.setHandler(new MplexHandlerTest.Rec() {
          @Override
          public void onData(MuxedStream stream, ByteBuf buf) {
            assertTrue(buf.readableBytes() <= CONFIG.maxMessageSize(), "oversize delivery");
            delivered[0] += buf.readableBytes();
            super.onData(stream, buf);
          }
        }), CONFIG));
    int chunk = 1 + (input.length > 0 ? (input[0] & 0x1F) : 0);
    for (int i = 0; i < input.length && ch.isOpen(); i += chunk) {
      int n = Math.min(chunk, input.length - i);
      ch.writeInbound(Unpooled.wrappedBuffer(input, i, n));
    }
    ch.checkException();
    assertTrue(delivered[0] <= input.length);
    ch.finishAndReleaseAll();
    assertTrue(!ch.isOpen());
  }
}
