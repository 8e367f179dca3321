package dev.weft.net.multistream;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;

/** Arbitrary input to a listener must end in selection, failure or waiting; never an exception. */
class NegotiatorFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void arbitraryBytesShouldNeverThrow(byte[] input) {
    EmbeddedChannel ch = new EmbeddedChannel(MultistreamHandler.listener(List.of("/a", "/b")));
    for (int i = 0; i < input.length && ch.isOpen(); i += 7) {
      ch.writeInbound(Unpooled.wrappedBuffer(input, i, Math.min(7, input.length - i)));
    }
    ch.finishAndReleaseAll();
  }
}
