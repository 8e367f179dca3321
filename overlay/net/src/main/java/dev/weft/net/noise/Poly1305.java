package dev.weft.net.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The Poly1305 one-time authenticator of RFC 8439 section 2.5. The accumulator and {@code r} are
 * held as five 26-bit limbs in longs (products of limbs fit easily in 64 bits) and 16-byte blocks
 * are read as two little-endian longs straight from the caller's array. One instance is re-keyed
 * per message; not thread-safe, never allocates.
 */
final class Poly1305 {
  static final int BLOCK = 16;
  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long M26 = 0x3ffffffL;

  private long r0;
  private long r1;
  private long r2;
  private long r3;
  private long r4;
  private long h0;
  private long h1;
  private long h2;
  private long h3;
  private long h4;
  private long sLo;
  private long sHi;
  private final byte[] pad = new byte[BLOCK];
  private final boolean vectors;

  Poly1305() {
    this(true);
  }

  /** With {@code vectors} false the Vector API is never used (tests compare both paths). */
  Poly1305(boolean vectors) {
    this.vectors = vectors && VectorSupport.AVAILABLE;
  }

  /** Starts a message with the one-time key given as r (low 128 bits) and s (high 128 bits). */
  void init(long rLo, long rHi, long sLo, long sHi) {
    // Clamp r (RFC 8439 2.5): clear the top 4 bits of bytes 3, 7, 11, 15 and the low 2 bits of 4, 8, 12.
    rLo &= 0x0ffffffc0fffffffL;
    rHi &= 0x0ffffffc0ffffffcL;
    r0 = rLo & M26;
    r1 = (rLo >>> 26) & M26;
    r2 = ((rLo >>> 52) | (rHi << 12)) & M26;
    r3 = (rHi >>> 14) & M26;
    r4 = rHi >>> 40;
    h0 = 0;
    h1 = 0;
    h2 = 0;
    h3 = 0;
    h4 = 0;
    this.sLo = sLo;
    this.sHi = sHi;
  }

  /** Starts a message with a 32-byte one-time key. */
  void init(byte[] key, int off) {
    init((long) LE_LONG.get(key, off), (long) LE_LONG.get(key, off + 8),
        (long) LE_LONG.get(key, off + 16), (long) LE_LONG.get(key, off + 24));
  }

  /**
   * Absorbs {@code len} bytes. Whole 16-byte blocks are processed directly; a final partial block
   * is zero-padded to 16 bytes and processed as a full block when {@code zeroPad} is set (the AEAD
   * construction of RFC 8439 2.8), or else with the 0x01 terminator byte of plain Poly1305 (then it
   * must be the last call before {@link #finish}).
   */
  void update(byte[] m, int off, int len, boolean zeroPad) {
    int full = len & ~(BLOCK - 1);
    if (vectors && full >= VectorSupport.POLY_MIN_BYTES && VectorSupport.ready()) {
      int laneBytes = full - full % (Poly1305Vector.GROUP * BLOCK);
      laneBlocks(m, off, laneBytes);
      off += laneBytes;
      len -= laneBytes;
      full -= laneBytes;
    }
    blocks(m, off, full, 1L << 24);
    int rest = len - full;
    if (rest > 0) {
      Arrays.fill(pad, (byte) 0);
      System.arraycopy(m, off + full, pad, 0, rest);
      if (zeroPad) {
        blocks(pad, 0, BLOCK, 1L << 24);
      } else {
        pad[rest] = 1;
        blocks(pad, 0, BLOCK, 0);
      }
    }
  }

  /** Absorbs one full block given as two little-endian longs (e.g. the AEAD length block). */
  void block(long lo, long hi) {
    LE_LONG.set(pad, 0, lo);
    LE_LONG.set(pad, 8, hi);
    blocks(pad, 0, BLOCK, 1L << 24);
  }

  /** Processes {@code len} (a multiple of 16) bytes; {@code hibit} is 2^128 in limb-4 units or 0. */
  private void blocks(byte[] m, int off, int len, long hibit) {
    long a0 = h0;
    long a1 = h1;
    long a2 = h2;
    long a3 = h3;
    long a4 = h4;
    final long q0 = r0;
    final long q1 = r1;
    final long q2 = r2;
    final long q3 = r3;
    final long q4 = r4;
    final long s1 = q1 * 5;
    final long s2 = q2 * 5;
    final long s3 = q3 * 5;
    final long s4 = q4 * 5;
    int end = off + len;
    for (int i = off; i < end; i += BLOCK) {
      long lo = (long) LE_LONG.get(m, i);
      long hi = (long) LE_LONG.get(m, i + 8);
      a0 += lo & M26;
      a1 += (lo >>> 26) & M26;
      a2 += ((lo >>> 52) | (hi << 12)) & M26;
      a3 += (hi >>> 14) & M26;
      a4 += (hi >>> 40) | hibit;

      long d0 = a0 * q0 + a1 * s4 + a2 * s3 + a3 * s2 + a4 * s1;
      long d1 = a0 * q1 + a1 * q0 + a2 * s4 + a3 * s3 + a4 * s2;
      long d2 = a0 * q2 + a1 * q1 + a2 * q0 + a3 * s4 + a4 * s3;
      long d3 = a0 * q3 + a1 * q2 + a2 * q1 + a3 * q0 + a4 * s4;
      long d4 = a0 * q4 + a1 * q3 + a2 * q2 + a3 * q1 + a4 * q0;

      // Partial carry: limbs end at most slightly above 26 bits, which the next products tolerate.
      d1 += d0 >>> 26;
      d2 += d1 >>> 26;
      d3 += d2 >>> 26;
      d4 += d3 >>> 26;
      long c = d4 >>> 26;
      a0 = (d0 & M26) + c * 5;
      a1 = (d1 & M26) + (a0 >>> 26);
      a0 &= M26;
      a2 = d2 & M26;
      a3 = d3 & M26;
      a4 = d4 & M26;
    }
    h0 = a0;
    h1 = a1;
    h2 = a2;
    h3 = a3;
    h4 = a4;
  }

  /**
   * Limbs of r^(G - i) for i = 0 .. G-1 (G = {@link Poly1305Vector#GROUP}), limb j at
   * {@code j * G + i}, then the same limbs times 5 at {@code (5 + j) * G + i}; allocated on first use.
   */
  private long[] powers;
  /** The accumulator limbs handed to and from {@link Poly1305Vector}. */
  private final long[] state = new long[5];

  /**
   * Absorbs {@code len} bytes (a positive multiple of {@code GROUP * BLOCK}) of full blocks with the
   * Vector API, leaving h as if they had been absorbed one at a time.
   */
  void laneBlocks(byte[] m, int off, int len) {
    int lanes = Poly1305Vector.GROUP;
    long[] p = powers;
    if (p == null) {
      p = new long[10 * lanes];
      powers = p;
    }
    long x0 = r0;
    long x1 = r1;
    long x2 = r2;
    long x3 = r3;
    long x4 = r4;
    long s1 = r1 * 5;
    long s2 = r2 * 5;
    long s3 = r3 * 5;
    long s4 = r4 * 5;
    for (int k = 1; ; k++) {
      int l = lanes - k;
      p[l] = x0;
      p[lanes + l] = x1;
      p[2 * lanes + l] = x2;
      p[3 * lanes + l] = x3;
      p[4 * lanes + l] = x4;
      p[5 * lanes + l] = x0 * 5;
      p[6 * lanes + l] = x1 * 5;
      p[7 * lanes + l] = x2 * 5;
      p[8 * lanes + l] = x3 * 5;
      p[9 * lanes + l] = x4 * 5;
      if (k == lanes) {
        break;
      }
      // x = x * r, limbs again at most slightly above 26 bits.
      long d0 = x0 * r0 + x1 * s4 + x2 * s3 + x3 * s2 + x4 * s1;
      long d1 = x0 * r1 + x1 * r0 + x2 * s4 + x3 * s3 + x4 * s2;
      long d2 = x0 * r2 + x1 * r1 + x2 * r0 + x3 * s4 + x4 * s3;
      long d3 = x0 * r3 + x1 * r2 + x2 * r1 + x3 * r0 + x4 * s4;
      long d4 = x0 * r4 + x1 * r3 + x2 * r2 + x3 * r1 + x4 * r0;
      d1 += d0 >>> 26;
      d2 += d1 >>> 26;
      d3 += d2 >>> 26;
      d4 += d3 >>> 26;
      long c = d4 >>> 26;
      x0 = (d0 & M26) + c * 5;
      x1 = (d1 & M26) + (x0 >>> 26);
      x0 &= M26;
      x2 = d2 & M26;
      x3 = d3 & M26;
      x4 = d4 & M26;
    }
    long[] h = state;
    h[0] = h0;
    h[1] = h1;
    h[2] = h2;
    h[3] = h3;
    h[4] = h4;
    Poly1305Vector.blocks(m, off, len / (lanes * BLOCK), h, p);
    h0 = h[0];
    h1 = h[1];
    h2 = h[2];
    h3 = h[3];
    h4 = h[4];
  }

  /** Finishes the message: the tag's low and high 64 bits (little-endian) are stored in {@code tag}. */
  void finish(long[] tag) {
    long a0 = h0;
    long a1 = h1;
    long a2 = h2;
    long a3 = h3;
    long a4 = h4;
    // Two full carry passes (the wrap at 2^130 folds back into a0 times 5), then one more carry
    // out of a0: every limb is then below 2^26 and h < 2^130.
    for (int pass = 0; pass < 2; pass++) {
      a1 += a0 >>> 26;
      a0 &= M26;
      a2 += a1 >>> 26;
      a1 &= M26;
      a3 += a2 >>> 26;
      a2 &= M26;
      a4 += a3 >>> 26;
      a3 &= M26;
      a0 += (a4 >>> 26) * 5;
      a4 &= M26;
    }
    a1 += a0 >>> 26;
    a0 &= M26;

    // g = h + 5 - 2^130; use g when it is non-negative (h >= p), selected without branching.
    long g0 = a0 + 5;
    long g1 = a1 + (g0 >>> 26);
    g0 &= M26;
    long g2 = a2 + (g1 >>> 26);
    g1 &= M26;
    long g3 = a3 + (g2 >>> 26);
    g2 &= M26;
    long g4 = a4 + (g3 >>> 26) - (1L << 26);
    g3 &= M26;
    long useH = g4 >> 63; // all ones when g is negative
    a0 = (a0 & useH) | (g0 & ~useH);
    a1 = (a1 & useH) | (g1 & ~useH);
    a2 = (a2 & useH) | (g2 & ~useH);
    a3 = (a3 & useH) | (g3 & ~useH);
    a4 = (a4 & useH) | (g4 & ~useH);

    long lo = a0 | (a1 << 26) | (a2 << 52);
    long hi = (a2 >>> 12) | (a3 << 14) | (a4 << 40);
    long sumLo = lo + sLo;
    long carry = ((lo & sLo) | ((lo | sLo) & ~sumLo)) >>> 63;
    tag[0] = sumLo;
    tag[1] = hi + sHi + carry;
  }
}
