package dev.weft.health.persist;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seed corpus of {@link HealthSnapshotCodecFuzzTest} from our encoder: valid snapshots
 * plus truncated, corrupt and oversized-count variants. Run with {@code
 * -Dweft.fuzz.writeCorpus=true} (see docs/fuzzing.md).
 */
@EnabledIfSystemProperty(named = "weft.fuzz.writeCorpus", matches = "true")
class HealthFuzzCorpusGenerator {
  private static final Path DIR = Path.of(
      "src/test/resources/dev/weft/health/persist/HealthSnapshotCodecFuzzTestInputs");

  private static void seed(String name, byte[] data) throws Exception {
    for (String method : new String[] {"decode", "decodeWithValidChecksum"}) {
      Files.createDirectories(DIR.resolve(method));
      Files.write(DIR.resolve(method).resolve(name), data);
    }
  }

  private static byte[] withCrc(byte[] data) {
    byte[] out = data.clone();
    CRC32 crc = new CRC32();
    crc.update(out, 0, out.length - 4);
    ByteBuffer.wrap(out).putInt(out.length - 4, (int) crc.getValue());
    return out;
  }

  @Test
  void writeSeeds() throws Exception {
    byte[] valid = HealthSnapshotCodec.encode(HealthSnapshotCodecTest.sample());
    seed("sample", valid);
    seed("empty", HealthSnapshotCodec.encode(new HealthSnapshot(0, List.of(), List.of())));
    seed("truncated-half", Arrays.copyOf(valid, valid.length / 2));
    seed("truncated-half-crc-fixed", withCrc(Arrays.copyOf(valid, valid.length / 2)));
    byte[] flipped = valid.clone();
    flipped[20] ^= 0x40;
    seed("bit-flip", flipped);
    byte[] hugeCount = valid.clone();
    ByteBuffer.wrap(hugeCount).putInt(14, Integer.MAX_VALUE); // nScores after magic, version, savedAt
    seed("huge-score-count", withCrc(hugeCount));
    byte[] badVersion = valid.clone();
    badVersion[5] = 9;
    seed("bad-version", withCrc(badVersion));
    byte[] badMagic = valid.clone();
    badMagic[0] = 'X';
    seed("bad-magic", badMagic);
  }
}
