package dev.weft.net.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.core.util.Varint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Varint and {@code uvarint(len) || payload} framing. The reader must only ever throw {@link
 * LengthPrefixedReader.FrameException}, never emit or buffer a message over its limit, and must
 * split any input, fed in pieces, exactly as a plain reference parse of the whole input does. The varint decoder must only throw
 * {@link IllegalArgumentException} and re-encode what it decodes byte for byte.
 */
class FramingFuzzTest {
  static final int LIMIT = 64;

  @FuzzTest(maxDuration = "30s")
  void lengthPrefixedReader(byte[] input) {
    LengthPrefixedReader reader = new LengthPrefixedReader(UnpooledByteBufAllocator.DEFAULT, LIMIT);
    List<byte[]> got = new ArrayList<>();
    int chunk = 1 + (input.length > 0 ? (input[0] & 0x0F) : 0);
    boolean failed = false;
    try {
      for (int fed = 0; fed < input.length; fed += chunk) {
        ByteBuf piece = Unpooled.copiedBuffer(input, fed, Math.min(chunk, input.length - fed));
        reader.feed(piece, msg -> {
          try {
            assertTrue(msg.readableBytes() <= LIMIT, "message over the limit emitted");
            got.add(ByteBufUtil.getBytes(msg));
          } finally {
            msg.release();
          }
        });
        // an incomplete message is at most a 5-byte prefix plus a payload under the limit
        assertTrue(reader.buffered() <= LIMIT + 5, "buffered " + reader.buffered());
      }
    } catch (LengthPrefixedReader.FrameException e) {
      failed = true;
    } finally {
      reader.release();
    }
    // compare with a plain reference parse of the whole input
    List<byte[]> want = new ArrayList<>();
    boolean wantFailed = referenceParse(input, want);
    assertEquals(wantFailed, failed, "failure differs from the reference parse");
    assertEquals(want.size(), got.size(), "message count differs from the reference parse");
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i), got.get(i), "message " + i);
    }
  }

  /** Splits {@code in} into messages; returns true when it hits an invalid prefix. */
  private static boolean referenceParse(byte[] in, List<byte[]> out) {
    int pos = 0;
    while (pos < in.length) {
      long len = 0;
      int i = 0;
      boolean complete = false;
      while (pos + i < in.length) {
        int b = in[pos + i] & 0xFF;
        len |= (long) (b & 0x7F) << (7 * i);
        i++;
        if ((b & 0x80) == 0) {
          complete = true;
          break;
        }
        if (i >= 5) {
          return true;
        }
      }
      if (!complete) {
        return false;
      }
      if (len > LIMIT) {
        return true;
      }
      if (in.length - pos - i < len) {
        return false;
      }
      out.add(Arrays.copyOfRange(in, pos + i, pos + i + (int) len));
      pos += i + (int) len;
    }
    return false;
  }

  @FuzzTest(maxDuration = "30s")
  void varint(byte[] input) {
    Varint.Decoded d;
    try {
      d = Varint.decode(input, 0, input.length);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertTrue(d.value() >= 0 && d.length() >= 1 && d.length() <= Varint.MAX_BYTES);
    assertEquals(d.length(), Varint.size(d.value()));
    assertArrayEquals(Arrays.copyOf(input, d.length()), Varint.encode(d.value()));
  }
}
