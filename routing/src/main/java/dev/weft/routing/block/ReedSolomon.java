package dev.weft.routing.block;

import java.util.Arrays;

/**
 * A systematic Reed-Solomon erasure code over GF(2^8) (polynomial x^8+x^4+x^3+x^2+1, 0x11D): a
 * block is cut into {@code k} data shards of equal length (the last zero-padded) and {@code m}
 * coding shards; any {@code k} of the {@code n = k + m} shards rebuild the block.
 *
 * <p>The encoding matrix is the identity on top of an {@code m x k} Cauchy matrix
 * {@code C[i][j] = 1 / (x_i + y_j)} with {@code y_j = j} and {@code x_i = k + i} (all distinct, so
 * {@code n <= 256}). Every square submatrix of a Cauchy matrix is invertible, hence so is every
 * {@code k x k} choice of rows of the stacked matrix: any {@code k} shards decode. No Maven Central
 * library for this is both maintained and usable from Java 17 without native code, so this small
 * one is ours (see docs/blocks.md).
 */
public final class ReedSolomon {
  /** Most shards a block can have. */
  public static final int MAX_SHARDS = 256;

  private static final int POLY = 0x11D;
  private static final byte[] EXP = new byte[512];
  private static final int[] LOG = new int[256];
  /** MUL[a][b] = a * b; 64 KiB, one row per factor for the inner loops. */
  private static final byte[][] MUL = new byte[256][256];

  static {
    int x = 1;
    for (int i = 0; i < 255; i++) {
      EXP[i] = (byte) x;
      LOG[x] = i;
      x <<= 1;
      if (x >= 256) {
        x ^= POLY;
      }
    }
    for (int i = 255; i < 512; i++) {
      EXP[i] = EXP[i - 255];
    }
    for (int a = 1; a < 256; a++) {
      for (int b = 1; b < 256; b++) {
        MUL[a][b] = EXP[LOG[a] + LOG[b]];
      }
    }
  }

  private final int k;
  private final int m;
  /** Rows k..n-1 of the encoding matrix. */
  private final byte[][] coding;

  /** A code with {@code k >= 1} data and {@code m >= 0} coding shards, {@code k + m <= 256}. */
  public ReedSolomon(int k, int m) {
    if (k < 1 || m < 0 || k + m > MAX_SHARDS) {
      throw new IllegalArgumentException("need 1 <= k, 0 <= m, k + m <= 256: k=" + k + " m=" + m);
    }
    this.k = k;
    this.m = m;
    coding = new byte[m][k];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < k; j++) {
        coding[i][j] = inv((byte) ((k + i) ^ j));
      }
    }
  }

  public int dataShards() {
    return k;
  }

  public int codingShards() {
    return m;
  }

  /** Length of each shard for a block of {@code length} bytes. */
  public int shardLength(int length) {
    return Math.max(1, (length + k - 1) / k);
  }

  /** Splits {@code block} into {@code k + m} shards of {@link #shardLength} bytes each. */
  public byte[][] encode(byte[] block) {
    byte[][] shards = split(block);
    int s = shards[0].length;
    for (int i = 0; i < m; i++) {
      byte[] out = new byte[s];
      for (int j = 0; j < k; j++) {
        mulAdd(coding[i][j], shards[j], out);
      }
      shards[k + i] = out;
    }
    return shards;
  }

  /**
   * The {@code k} data shards of {@code block} (no coding work); the {@code m} coding slots of the
   * returned array are null.
   */
  public byte[][] split(byte[] block) {
    int s = shardLength(block.length);
    byte[][] shards = new byte[k + m][];
    for (int j = 0; j < k; j++) {
      int from = Math.min(block.length, j * s);
      int to = Math.min(block.length, from + s);
      shards[j] = Arrays.copyOf(Arrays.copyOfRange(block, from, to), s);
    }
    return shards;
  }

  /**
   * Rebuilds a block of {@code length} bytes from shards: {@code shards[i]} is shard {@code i}
   * or null when missing; at least {@code k} must be present, each {@link #shardLength} long.
   */
  public byte[] decode(byte[][] shards, int length) {
    if (shards.length != k + m) {
      throw new IllegalArgumentException("expected " + (k + m) + " shard slots, got " + shards.length);
    }
    int s = shardLength(length);
    int[] rows = new int[k];
    int have = 0;
    boolean allData = true;
    for (int i = 0; i < k + m && have < k; i++) {
      if (shards[i] != null) {
        if (shards[i].length != s) {
          throw new IllegalArgumentException("shard " + i + " has " + shards[i].length
              + " bytes, expected " + s);
        }
        rows[have++] = i;
        allData &= i < k;
      }
    }
    if (have < k) {
      throw new IllegalArgumentException("need " + k + " shards, have " + have);
    }
    byte[][] data = new byte[k][];
    if (allData) {
      for (int j = 0; j < k; j++) {
        data[j] = shards[j];
      }
    } else {
      byte[][] sub = new byte[k][];
      for (int r = 0; r < k; r++) {
        sub[r] = row(rows[r]);
      }
      byte[][] inv = invert(sub);
      for (int j = 0; j < k; j++) {
        if (shards[j] != null) {
          data[j] = shards[j];
          continue;
        }
        byte[] out = new byte[s];
        for (int r = 0; r < k; r++) {
          mulAdd(inv[j][r], shards[rows[r]], out);
        }
        data[j] = out;
      }
    }
    byte[] block = new byte[length];
    for (int j = 0; j < k && j * s < length; j++) {
      System.arraycopy(data[j], 0, block, j * s, Math.min(s, length - j * s));
    }
    return block;
  }

  private byte[] row(int i) {
    if (i >= k) {
      return coding[i - k].clone();
    }
    byte[] r = new byte[k];
    r[i] = 1;
    return r;
  }

  /** Gauss-Jordan inversion over GF(2^8); the input is consumed. */
  private static byte[][] invert(byte[][] a) {
    int n = a.length;
    byte[][] inv = new byte[n][n];
    for (int i = 0; i < n; i++) {
      inv[i][i] = 1;
    }
    for (int c = 0; c < n; c++) {
      int p = c;
      while (p < n && a[p][c] == 0) {
        p++;
      }
      if (p == n) {
        throw new IllegalStateException("singular matrix (cannot happen for a Cauchy code)");
      }
      byte[] t = a[p]; a[p] = a[c]; a[c] = t;
      t = inv[p]; inv[p] = inv[c]; inv[c] = t;
      byte f = inv(a[c][c]);
      scale(a[c], f);
      scale(inv[c], f);
      for (int r = 0; r < n; r++) {
        if (r != c && a[r][c] != 0) {
          byte g = a[r][c];
          mulAdd(g, a[c], a[r]);
          mulAdd(g, inv[c], inv[r]);
        }
      }
    }
    return inv;
  }

  private static void scale(byte[] row, byte f) {
    for (int i = 0; i < row.length; i++) {
      row[i] = mul(row[i], f);
    }
  }

  /** {@code out ^= f * in}, element-wise. */
  private static void mulAdd(byte f, byte[] in, byte[] out) {
    if (f == 0) {
      return;
    }
    byte[] row = MUL[f & 0xFF];
    for (int i = 0; i < out.length; i++) {
      out[i] ^= row[in[i] & 0xFF];
    }
  }

  static byte mul(byte a, byte b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return EXP[LOG[a & 0xFF] + LOG[b & 0xFF]];
  }

  static byte inv(byte a) {
    if (a == 0) {
      throw new ArithmeticException("0 has no inverse in GF(2^8)");
    }
    return EXP[255 - LOG[a & 0xFF]];
  }
}
