package dev.weft.net.yamux;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/** Arbitrary input must never escape the handler as an exception nor leave it half-broken. */
class YamuxDecoderFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void arbitraryBytesShouldNeverThrow(byte[] input) {
    EmbeddedChannel ch = new EmbeddedChannel(new YamuxHandler(input.length % 2 == 0,
        s -> s.setHandler(new YamuxTestSupport.Rec()), YamuxTestSupport.testConfig()));
    int chunk = 1 + (input.length > 0 ? (input[0] & 0x1F) : 0);
    for (int i = 0; i < input.length && ch.isOpen(); i += chunk) {
      int n = Math.min(chunk, input.length - i);
      ch.writeInbound(Unpooled.wrappedBuffer(input, i, n));
    }
    YamuxTestSupport.drain(ch);
    ch.finishAndReleaseAll();
    assertTrue(!ch.isOpen());
  }
}
