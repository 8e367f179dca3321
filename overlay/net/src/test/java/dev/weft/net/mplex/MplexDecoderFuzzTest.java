package dev.weft.net.mplex;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/** Arbitrary input must never escape the handler as an exception. */
class MplexDecoderFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void arbitraryBytesShouldNeverThrow(byte[] input) {
    EmbeddedChannel ch = new EmbeddedChannel(new MplexHandler(
        s -> s.setHandler(new MplexHandlerTest.Rec()), MplexConfig.defaults()));
    int chunk = 1 + (input.length > 0 ? (input[0] & 0x1F) : 0);
    for (int i = 0; i < input.length && ch.isOpen(); i += chunk) {
      int n = Math.min(chunk, input.length - i);
      ch.writeInbound(Unpooled.wrappedBuffer(input, i, n));
    }
    ch.finishAndReleaseAll();
    assertTrue(!ch.isOpen());
  }
}
