package dev.weft.routing.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReedSolomonTest {
  @Test
  void fieldArithmeticKnownAnswers() {
    // 0x11D field: 2 * 0x80 = 0x100 ^ 0x11D = 0x1D; 0x53 * 0xCA is 0x01 only in the AES field,
    // here the inverse of 2 is 0x8E (2 * 0x8E = 0x11C ^ 0x11D = 1)
    assertEquals((byte) 0x1D, ReedSolomon.mul((byte) 2, (byte) 0x80));
    assertEquals((byte) 0x8E, ReedSolomon.inv((byte) 2));
    for (int a = 1; a < 256; a++) {
      assertEquals(1, ReedSolomon.mul((byte) a, ReedSolomon.inv((byte) a)), "a=" + a);
    }
  }

  @Test
  void codingShardsKnownAnswer() {
    // k=2, m=1: C[0][j] = 1/(2 ^ j): 1/2 = 0x8E, 1/3 = 0xF4; parity = 0x8E*d0 + 0xF4*d1
    ReedSolomon rs = new ReedSolomon(2, 1);
    byte[][] s = rs.encode(new byte[] {1, 0, 0, 1});
    assertEquals("0100", HexFormat.of().formatHex(s[0]));
    assertEquals("0001", HexFormat.of().formatHex(s[1]));
    assertEquals("8ef4", HexFormat.of().formatHex(s[2]));
    assertEquals((byte) 0xF4, ReedSolomon.inv((byte) 3));
  }

  @Test
  void everyChoiceOfKShardsRebuildsTheBlock() {
    SplittableRandom r = new SplittableRandom(1);
    int k = 4;
    int m = 3;
    ReedSolomon rs = new ReedSolomon(k, m);
    byte[] block = new byte[1001];
    r.nextBytes(block);
    byte[][] shards = rs.encode(block);
    int subsets = 0;
    for (int mask = 0; mask < (1 << (k + m)); mask++) {
      if (Integer.bitCount(mask) != k) {
        continue;
      }
      byte[][] got = new byte[k + m][];
      for (int i = 0; i < k + m; i++) {
        if ((mask & (1 << i)) != 0) {
          got[i] = shards[i];
        }
      }
      assertArrayEquals(block, rs.decode(got, block.length), "subset " + Integer.toBinaryString(mask));
      subsets++;
    }
    assertEquals(35, subsets);
  }

  @Test
  void aOneMebibyteBlockWith32Plus16ShardsRebuildsFromRandomSubsets() {
    SplittableRandom r = new SplittableRandom(2);
    ReedSolomon rs = new ReedSolomon(32, 16);
    byte[] block = new byte[1 << 20];
    r.nextBytes(block);
    byte[][] shards = rs.encode(block);
    assertEquals(48, shards.length);
    assertEquals(32 * 1024, shards[0].length);
    for (int trial = 0; trial < 3; trial++) {
      byte[][] got = new byte[48][];
      int have = 0;
      while (have < 32) {
        int i = r.nextInt(48);
        if (got[i] == null) {
          got[i] = shards[i];
          have++;
        }
      }
      assertArrayEquals(block, rs.decode(got, block.length));
    }
  }

  @Test
  void tooFewOrWrongSizedShardsAreRefused() {
    ReedSolomon rs = new ReedSolomon(3, 2);
    byte[][] shards = rs.encode(new byte[30]);
    byte[][] two = {shards[0], null, null, null, shards[4]};
    assertThrows(IllegalArgumentException.class, () -> rs.decode(two, 30));
    byte[][] bad = {shards[0], new byte[3], shards[2], null, null};
    assertThrows(IllegalArgumentException.class, () -> rs.decode(bad, 30));
    assertThrows(IllegalArgumentException.class, () -> new ReedSolomon(200, 57));
    assertThrows(IllegalArgumentException.class, () -> new ReedSolomon(0, 2));
  }
}
