package dev.weft.net.noise;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.crypto.PrivKey;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random garbage fed to either role in random pieces never escapes as an exception and can
 * never complete a handshake. (A plain JUnit sweep rather than a Jazzer target: Jazzer's
 * instrumentation of Netty costs ~30 s per build.)
 */
class NoiseRandomInputTest {
  private static final PrivKey KEY = Ed25519Keys.fromSeed(new byte[32]);

  @Test
  void shouldNeverCompleteOrThrowOnRandomInput() {
    Random rnd = new Random(42);
    for (int run = 0; run < 300; run++) {
      boolean initiator = run % 2 == 0;
      EmbeddedChannel ch = new EmbeddedChannel();
      ch.pipeline().addLast(new NoiseHandshakeHandler(KEY, initiator, null, List.of("/yamux/1.0.0")));
      try {
        int total = rnd.nextInt(400);
        // Half the runs start with a plausible length header to get past the bounds check.
        if (run % 4 < 2) {
          int len = initiator ? 96 + rnd.nextInt(200) : 32;
          ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) (len >> 8), (byte) len}));
        }
        while (total > 0 && ch.isOpen()) {
          byte[] piece = new byte[1 + rnd.nextInt(Math.min(total, 64))];
          rnd.nextBytes(piece);
          total -= piece.length;
          ch.writeInbound(Unpooled.wrappedBuffer(piece));
        }
        ch.checkException();
        assertNull(ch.pipeline().get(NoiseTransportCodec.class));
        assertFalse(ch.isOpen() && ch.pipeline().get(NoiseHandshakeHandler.class) == null);
      } finally {
        ch.finishAndReleaseAll();
      }
    }
  }
}
