package dev.weft.net.identify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.net.FuzzFixtures;
import dev.weft.net.host.IdentifyInfo;
import dev.weft.net.stream.LengthPrefixedReader;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Arrays;

/**
 * An identify stream: framing fails only with {@link LengthPrefixedReader.FrameException}, never
 * more than {@link IdentifyService#MAX_MESSAGES} messages of at most 8 KiB are kept, and merging
 * fails only with {@link IllegalArgumentException}; an identify is never accepted for a hashed
 * peer ID whose key it does not carry.
 */
class IdentifyFuzzTest {
  /** The authenticated remote the seed corpus is generated for. */
  static final PeerId REMOTE_ID = FuzzFixtures.IDENTIFY_REMOTE_ID;
  /** A hashed (non-inlined) peer ID whose key no input can carry. */
  static final PeerId STRANGER = PeerId.fromBytes(sha256Multihash());

  static byte[] sha256Multihash() {
    byte[] mh = new byte[34];
    mh[0] = 0x12;
    mh[1] = 0x20;
    Arrays.fill(mh, 2, 34, (byte) 0x5A);
    return mh;
  }

  @FuzzTest(maxDuration = "30s")
  void identifyStream(byte[] input) {
    boolean push = input.length > 0 && (input[0] & 1) == 1;
    IdentifyDecoder d = new IdentifyDecoder(UnpooledByteBufAllocator.DEFAULT);
    try {
      int chunk = 1 + (input.length > 0 ? (input[0] & 0xFE) * 4 : 0);
      for (int i = Math.min(1, input.length); i < input.length; i += chunk) {
        d.feed(Unpooled.copiedBuffer(input, i, Math.min(chunk, input.length - i)));
        assertTrue(d.messageCount() <= IdentifyService.MAX_MESSAGES);
      }
    } catch (LengthPrefixedReader.FrameException expected) {
      return;
    } finally {
      d.release();
    }
    if (d.messageCount() == 0) {
      return;
    }
    // no input can prove to be a peer whose key it does not have
    assertThrows(IllegalArgumentException.class, () -> d.merge(null, STRANGER, false));
    IdentifyInfo info;
    try {
      info = d.merge(null, REMOTE_ID, push);
    } catch (IllegalArgumentException expected) {
      return;
    }
    for (Multiaddr a : info.listenAddrs()) {
      assertEquals(a, Multiaddr.fromBytes(a.toBytes()));
    }
    assertEquals(info.protocols().size(), info.protocols().stream().distinct().count());
  }
}
