package dev.weft.net.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The ChaCha20 stream cipher of RFC 8439 section 2.4 (32-bit block counter, 96-bit nonce). The
 * state lives in local variables for the whole 20 rounds of a block and input/output words are
 * read and written as little-endian ints straight from the arrays, so a call processes any number
 * of blocks without allocating. One instance holds one key; not thread-safe.
 */
final class ChaCha20 {
  static final int BLOCK = 64;
  private static final VarHandle LE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  // "expand 32-byte k" as four little-endian words.
  private static final int C0 = 0x61707865;
  private static final int C1 = 0x3320646e;
  private static final int C2 = 0x79622d32;
  private static final int C3 = 0x6b206574;

  private int k0;
  private int k1;
  private int k2;
  private int k3;
  private int k4;
  private int k5;
  private int k6;
  private int k7;
  /**
   * Blocks computed together by {@link #wideXor}: word {@code w} of block {@code j} is
   * {@code wide[w][j]}. Each quarter-round step is then one loop over the blocks, which C2
   * auto-vectorizes (on this project's AVX-512 machines about 1.8x the one-block-at-a-time speed).
   */
  static final int WIDE = 64;
  private int[][] wide;
  /**
   * The Vector API kernel (see {@link VectorSupport}), created on first use; never touched (so
   * never loaded) when the incubator module is absent.
   */
  private ChaCha20Vector vector;
  private int[] keyWords;
  private final boolean vectors;

  ChaCha20() {
    this(true);
  }

  /** With {@code vectors} false the Vector API is never used (tests compare both paths). */
  ChaCha20(boolean vectors) {
    this.vectors = vectors && VectorSupport.AVAILABLE;
  }
  /** Keystream of a final partial block, as words and as bytes. */
  private final int[] tailWords = new int[16];
  private final byte[] tail = new byte[BLOCK];

  /** Sets the 32-byte key. */
  void init(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("ChaCha20 key must be 32 bytes");
    }
    k0 = (int) LE_INT.get(key, 0);
    k1 = (int) LE_INT.get(key, 4);
    k2 = (int) LE_INT.get(key, 8);
    k3 = (int) LE_INT.get(key, 12);
    k4 = (int) LE_INT.get(key, 16);
    k5 = (int) LE_INT.get(key, 20);
    k6 = (int) LE_INT.get(key, 24);
    k7 = (int) LE_INT.get(key, 28);
  }

  /** One keystream block as 16 words (RFC 8439 section 2.3); used for the Poly1305 key and tests. */
  void block(int counter, int n0, int n1, int n2, int[] out) {
    int x0 = C0;
    int x1 = C1;
    int x2 = C2;
    int x3 = C3;
    int x4 = k0;
    int x5 = k1;
    int x6 = k2;
    int x7 = k3;
    int x8 = k4;
    int x9 = k5;
    int x10 = k6;
    int x11 = k7;
    int x12 = counter;
    int x13 = n0;
    int x14 = n1;
    int x15 = n2;
    for (int i = 0; i < 10; i++) {
      x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16);
      x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
      x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8);
      x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
      x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16);
      x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
      x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8);
      x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
      x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16);
      x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
      x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8);
      x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
      x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16);
      x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
      x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8);
      x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);

      x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16);
      x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
      x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8);
      x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
      x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16);
      x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
      x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8);
      x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
      x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16);
      x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
      x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8);
      x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
      x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16);
      x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
      x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8);
      x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
    }
    out[0] = x0 + C0;
    out[1] = x1 + C1;
    out[2] = x2 + C2;
    out[3] = x3 + C3;
    out[4] = x4 + k0;
    out[5] = x5 + k1;
    out[6] = x6 + k2;
    out[7] = x7 + k3;
    out[8] = x8 + k4;
    out[9] = x9 + k5;
    out[10] = x10 + k6;
    out[11] = x11 + k7;
    out[12] = x12 + counter;
    out[13] = x13 + n0;
    out[14] = x14 + n1;
    out[15] = x15 + n2;
  }

  /**
   * XORs {@code len} bytes of {@code in} with the keystream starting at block {@code counter} into
   * {@code out} (RFC 8439 section 2.4). {@code in} and {@code out} may be the same region.
   */
  void xor(int counter, int n0, int n1, int n2, byte[] in, int inOff, byte[] out, int outOff, int len) {
    if (vectors && len >= VectorSupport.CHACHA_MIN_BYTES && VectorSupport.ready()) {
      int done = vectorXor(counter, n0, n1, n2, in, inOff, out, outOff, len);
      counter += done / BLOCK;
      inOff += done;
      outOff += done;
      len -= done;
    }
    while (len >= WIDE * BLOCK / 2) {
      // The wide path also serves a remainder of at least half its width (e.g. the last 4079
      // bytes of a 65519-byte Noise frame): computing unused blocks is cheaper than the narrow path.
      int n = Math.min(len, WIDE * BLOCK);
      wideXor(counter, n0, n1, n2, in, inOff, out, outOff, n);
      counter += WIDE;
      inOff += n;
      outOff += n;
      len -= n;
    }
    if (len == 0) {
      return;
    }
    int full = len & ~(BLOCK - 1);
    int end = inOff + full;
    int o = outOff;
    for (int i = inOff; i < end; i += BLOCK, o += BLOCK, counter++) {
      int x0 = C0;
      int x1 = C1;
      int x2 = C2;
      int x3 = C3;
      int x4 = k0;
      int x5 = k1;
      int x6 = k2;
      int x7 = k3;
      int x8 = k4;
      int x9 = k5;
      int x10 = k6;
      int x11 = k7;
      int x12 = counter;
      int x13 = n0;
      int x14 = n1;
      int x15 = n2;
      for (int r = 0; r < 10; r++) {
        x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16);
        x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
        x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8);
        x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
        x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16);
        x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
        x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8);
        x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
        x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16);
        x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
        x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8);
        x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
        x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16);
        x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
        x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8);
        x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);

        x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16);
        x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
        x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8);
        x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
        x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16);
        x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
        x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8);
        x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
        x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16);
        x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
        x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8);
        x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
        x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16);
        x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
        x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8);
        x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
      }
      LE_INT.set(out, o, (int) LE_INT.get(in, i) ^ (x0 + C0));
      LE_INT.set(out, o + 4, (int) LE_INT.get(in, i + 4) ^ (x1 + C1));
      LE_INT.set(out, o + 8, (int) LE_INT.get(in, i + 8) ^ (x2 + C2));
      LE_INT.set(out, o + 12, (int) LE_INT.get(in, i + 12) ^ (x3 + C3));
      LE_INT.set(out, o + 16, (int) LE_INT.get(in, i + 16) ^ (x4 + k0));
      LE_INT.set(out, o + 20, (int) LE_INT.get(in, i + 20) ^ (x5 + k1));
      LE_INT.set(out, o + 24, (int) LE_INT.get(in, i + 24) ^ (x6 + k2));
      LE_INT.set(out, o + 28, (int) LE_INT.get(in, i + 28) ^ (x7 + k3));
      LE_INT.set(out, o + 32, (int) LE_INT.get(in, i + 32) ^ (x8 + k4));
      LE_INT.set(out, o + 36, (int) LE_INT.get(in, i + 36) ^ (x9 + k5));
      LE_INT.set(out, o + 40, (int) LE_INT.get(in, i + 40) ^ (x10 + k6));
      LE_INT.set(out, o + 44, (int) LE_INT.get(in, i + 44) ^ (x11 + k7));
      LE_INT.set(out, o + 48, (int) LE_INT.get(in, i + 48) ^ (x12 + counter));
      LE_INT.set(out, o + 52, (int) LE_INT.get(in, i + 52) ^ (x13 + n0));
      LE_INT.set(out, o + 56, (int) LE_INT.get(in, i + 56) ^ (x14 + n1));
      LE_INT.set(out, o + 60, (int) LE_INT.get(in, i + 60) ^ (x15 + n2));
    }
    int rest = len - full;
    if (rest > 0) {
      block(counter, n0, n1, n2, tailWords);
      for (int w = 0; w < 16; w++) {
        LE_INT.set(tail, 4 * w, tailWords[w]);
      }
      int i = inOff + full;
      for (int b = 0; b < rest; b++) {
        out[o + b] = (byte) (in[i + b] ^ tail[b]);
      }
    }
  }

  /**
   * XORs as many whole steps of {@link ChaCha20Vector} as fit in {@code len} bytes (see
   * {@link #xor}); returns the number of bytes done. Only called when {@link VectorSupport#AVAILABLE}.
   */
  int vectorXor(int counter, int n0, int n1, int n2, byte[] in, int inOff, byte[] out, int outOff, int len) {
    ChaCha20Vector v = vector;
    if (v == null) {
      v = ChaCha20Vector.create();
      vector = v;
      keyWords = new int[8];
    }
    int[] k = keyWords;
    k[0] = k0;
    k[1] = k1;
    k[2] = k2;
    k[3] = k3;
    k[4] = k4;
    k[5] = k5;
    k[6] = k6;
    k[7] = k7;
    int steps = len / (ChaCha20Vector.LANES * BLOCK);
    v.xor(k, counter, n0, n1, n2, in, inOff, out, outOff, steps);
    return steps * ChaCha20Vector.LANES * BLOCK;
  }

  /**
   * XORs {@code len} (at most {@code WIDE * BLOCK}) bytes of keystream from block {@code counter}
   * over {@code in} into {@code out}, computing {@link #WIDE} blocks.
   */
  private void wideXor(int counter, int n0, int n1, int n2, byte[] in, int inOff, byte[] out, int outOff,
      int len) {
    int[][] x = wide;
    if (x == null) {
      x = new int[16][WIDE];
      wide = x;
    }
    int[] k = {k0, k1, k2, k3, k4, k5, k6, k7};
    for (int j = 0; j < WIDE; j++) {
      x[0][j] = C0;
      x[1][j] = C1;
      x[2][j] = C2;
      x[3][j] = C3;
      x[12][j] = counter + j;
      x[13][j] = n0;
      x[14][j] = n1;
      x[15][j] = n2;
    }
    for (int w = 0; w < 8; w++) {
      java.util.Arrays.fill(x[4 + w], k[w]);
    }
    for (int r = 0; r < 10; r++) {
      quarterRounds(x[0], x[4], x[8], x[12]);
      quarterRounds(x[1], x[5], x[9], x[13]);
      quarterRounds(x[2], x[6], x[10], x[14]);
      quarterRounds(x[3], x[7], x[11], x[15]);
      quarterRounds(x[0], x[5], x[10], x[15]);
      quarterRounds(x[1], x[6], x[11], x[12]);
      quarterRounds(x[2], x[7], x[8], x[13]);
      quarterRounds(x[3], x[4], x[9], x[14]);
    }
    int[] initial = {C0, C1, C2, C3, k0, k1, k2, k3, k4, k5, k6, k7, counter, n0, n1, n2};
    int blocks = len / BLOCK;
    for (int w = 0; w < 16; w++) {
      int[] xw = x[w];
      int add = initial[w];
      int i = inOff + 4 * w;
      int o = outOff + 4 * w;
      for (int j = 0; j < blocks; j++, i += BLOCK, o += BLOCK) {
        // Word 12 is the counter, which differs per block by j.
        LE_INT.set(out, o, (int) LE_INT.get(in, i) ^ (xw[j] + add + (w == 12 ? j : 0)));
      }
    }
    int done = blocks * BLOCK;
    for (int b = 0; b < len - done; b++) {
      int w = b >>> 2;
      int word = x[w][blocks] + initial[w] + (w == 12 ? blocks : 0);
      out[outOff + done + b] = (byte) (in[inOff + done + b] ^ (word >>> (8 * (b & 3))));
    }
  }

  /** One quarter round (RFC 8439 2.1) on words a, b, c, d of every block. */
  private static void quarterRounds(int[] a, int[] b, int[] c, int[] d) {
    for (int j = 0; j < WIDE; j++) {
      int va = a[j];
      int vb = b[j];
      int vc = c[j];
      int vd = d[j];
      va += vb;
      vd = Integer.rotateLeft(vd ^ va, 16);
      vc += vd;
      vb = Integer.rotateLeft(vb ^ vc, 12);
      va += vb;
      vd = Integer.rotateLeft(vd ^ va, 8);
      vc += vd;
      vb = Integer.rotateLeft(vb ^ vc, 7);
      a[j] = va;
      b[j] = vb;
      c[j] = vc;
      d[j] = vd;
    }
  }
}
