package dev.weft.health.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The health snapshot codec: any bytes decode to a snapshot or fail with {@link
 * SnapshotFormatException} (never another exception, never an allocation a count in the file
 * asks for without the bytes to back it); a decoded snapshot re-encodes to one that decodes equal.
 * The second target repairs the checksum first so the fuzzer reaches the body parser.
 */
class HealthSnapshotCodecFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void decode(byte[] data) {
    check(data);
  }

  @FuzzTest(maxDuration = "30s")
  void decodeWithValidChecksum(byte[] data) {
    if (data.length >= 4) {
      CRC32 crc = new CRC32();
      crc.update(data, 0, data.length - 4);
      ByteBuffer.wrap(data).putInt(data.length - 4, (int) crc.getValue());
    }
    check(data);
  }

  private static void check(byte[] data) {
    HealthSnapshot s;
    try {
      s = HealthSnapshotCodec.decode(data);
    } catch (SnapshotFormatException expected) {
      return;
    }
    assertEquals(s, HealthSnapshotCodec.decode(HealthSnapshotCodec.encode(s)), "round trip");
  }
}
