package dev.weft.net.yamux;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.net.mux.MuxedStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.HashMap;
import java.util.Map;

/**
 * Arbitrary input to a yamux session must never escape as an exception, and no stream may be
 * handed more data than the window we granted it (the initial window plus our window updates):
 * a peer overrunning the window is a protocol error that closes the connection.
 */
class YamuxDecoderFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void arbitraryBytesShouldNeverThrow(byte[] input) {
    Map<Long, long[]> delivered = new HashMap<>();
    YamuxConfig config = YamuxTestSupport.testConfig();
    EmbeddedChannel ch = new EmbeddedChannel(new YamuxHandler(input.length % 2 == 0,
        s -> s.setHandler(new YamuxTestSupport.Rec() {
          @Override
          public void onData(MuxedStream stream, ByteBuf buf) {
            delivered.computeIfAbsent(stream.id(), k -> new long[1])[0] += buf.readableBytes();
            super.onData(stream, buf);
          }
        }), config));
    int chunk = 1 + (input.length > 0 ? (input[0] & 0x1F) : 0);
    for (int i = 0; i < input.length && ch.isOpen(); i += chunk) {
      int n = Math.min(chunk, input.length - i);
      ch.writeInbound(Unpooled.wrappedBuffer(input, i, n));
    }
    ch.checkException();
    Map<Long, Long> granted = new HashMap<>();
    for (YamuxTestSupport.Frame f : YamuxTestSupport.parse(YamuxTestSupport.drain(ch))) {
      if (f.type() == YamuxFrame.TYPE_WINDOW_UPDATE) {
        granted.merge(Integer.toUnsignedLong(f.id()), f.length(), Long::sum);
      }
    }
    for (Map.Entry<Long, long[]> e : delivered.entrySet()) {
      long allowed = config.receiveWindow() + granted.getOrDefault(e.getKey(), 0L);
      assertTrue(e.getValue()[0] <= allowed, "stream " + e.getKey() + " got " + e.getValue()[0]
          + " bytes with a window of " + allowed);
    }
    ch.finishAndReleaseAll();
    assertTrue(!ch.isOpen());
  }
}
