package dev.weft.net.ping;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Collects the answer to one ping: exactly {@link PingService#PING_BYTES} bytes that must equal
 * what was sent. Never holds more than that; extra bytes are a protocol violation.
 */
final class PingEcho {
  /** Where the answer stands after a chunk. */
  enum Result {
    INCOMPLETE,
    MATCHED,
    MISMATCHED,
    TOO_LONG
  }

  private final byte[] expected;
  private final byte[] got = new byte[PingService.PING_BYTES];
  private int filled;

  PingEcho(byte[] expected) {
    if (expected.length != PingService.PING_BYTES) {
      throw new IllegalArgumentException("a ping payload is " + PingService.PING_BYTES + " bytes");
    }
    this.expected = expected.clone();
  }

  /** Consumes up to the missing bytes of {@code data} (which the caller still owns). */
  Result feed(ByteBuf data) {
    int take = Math.min(data.readableBytes(), got.length - filled);
    data.readBytes(got, filled, take);
    filled += take;
    if (data.isReadable()) {
      return Result.TOO_LONG;
    }
    if (filled < got.length) {
      return Result.INCOMPLETE;
    }
    return Arrays.equals(got, expected) ? Result.MATCHED : Result.MISMATCHED;
  }

  /** Bytes collected so far. */
  int filled() {
    return filled;
  }
}
