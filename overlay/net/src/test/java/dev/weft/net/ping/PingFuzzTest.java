package dev.weft.net.ping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.net.FuzzFixtures;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * A ping answer: never more than 32 bytes are kept, MATCHED only for the exact payload, TOO_LONG
 * as soon as more than 32 bytes arrive, and otherwise the verdict on the first 32 bytes.
 */
class PingFuzzTest {
  static final byte[] PAYLOAD = FuzzFixtures.PING_PAYLOAD;

  @FuzzTest(maxDuration = "30s")
  void pingAnswer(byte[] input) {
    int chunk = 1 + (input.length > 0 ? (input[0] & 0x0F) : 0);
    byte[] answer = input.length > 0 ? Arrays.copyOfRange(input, 1, input.length) : input;
    PingEcho echo = new PingEcho(PAYLOAD);
    PingEcho.Result r = PingEcho.Result.INCOMPLETE;
    for (int i = 0; i < answer.length && r == PingEcho.Result.INCOMPLETE; i += chunk) {
      r = echo.feed(Unpooled.wrappedBuffer(answer, i, Math.min(chunk, answer.length - i)));
      assertTrue(echo.filled() <= PingService.PING_BYTES);
    }
    PingEcho.Result expected;
    if (answer.length < PingService.PING_BYTES) {
      expected = PingEcho.Result.INCOMPLETE;
    } else if (answer.length == PingService.PING_BYTES || PingService.PING_BYTES % chunk == 0) {
      // a chunk boundary exactly at 32 bytes reports the 32-byte verdict first
      expected = Arrays.equals(Arrays.copyOf(answer, PingService.PING_BYTES), PAYLOAD)
          ? PingEcho.Result.MATCHED : PingEcho.Result.MISMATCHED;
    } else {
      expected = PingEcho.Result.TOO_LONG;
    }
    assertEquals(expected, r);
  }
}
