package dev.weft.net.noise;

import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Poly1305 block absorption on {@link #GROUP} = 2 * LANES interleaved lanes with the JDK 17 Vector
 * API: block {@code i} of a run goes to lane {@code i % GROUP}, each lane is a Horner sum in
 * r^GROUP, and the last round multiplies lane {@code l} by r^(GROUP - l) so that the lanes' sum is
 * the one-block-at-a-time result. Limbs are 26 bits in 64-bit lanes as in {@link Poly1305}. Only loaded when
 * {@link VectorSupport#AVAILABLE}.
 */
final class Poly1305Vector {
  static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
  static final int LANES = SPECIES.length();
  /** Blocks per round: two sets of lanes. */
  static final int GROUP = 2 * LANES;
  /** Runs of full blocks shorter than this stay on the scalar path (the powers of r cost ~GROUP blocks). */
  static final int MIN_BYTES = 8 * GROUP * Poly1305.BLOCK;
  private static final long M26 = 0x3ffffffL;
  /** Picks the low (even) and high (odd) words of LANES blocks spread over two vectors. */
  private static final VectorShuffle<Long> LOW_WORDS = VectorShuffle.fromOp(SPECIES, i -> 2 * i);
  private static final VectorShuffle<Long> HIGH_WORDS = VectorShuffle.fromOp(SPECIES, i -> 2 * i + 1);

  private Poly1305Vector() {}

  /**
   * Absorbs {@code rounds * 2 * LANES} full blocks from {@code m} into the accumulator {@code h}
   * (five limbs, in and out). Two independent sets of lanes (blocks {@code 0..LANES-1} and
   * {@code LANES..2*LANES-1} of each group of {@code 2 * LANES}) let the CPU overlap their
   * multiply-and-carry chains. {@code p} holds, for i = 0 .. 2*LANES-1, limb j of r^(2*LANES - i)
   * at {@code j * 2 * LANES + i} and the same times 5 at {@code (5 + j) * 2 * LANES + i}, as laid
   * out by {@link Poly1305}.
   */
  static void blocks(byte[] m, int off, int rounds, long[] h, long[] p) {
    int w = 2 * LANES;
    LongVector zero = LongVector.zero(SPECIES);
    // The accumulator so far joins lane 0, whose first block is multiplied by r^(rounds * 2 * LANES).
    LongVector a0 = zero.withLane(0, h[0]);
    LongVector a1 = zero.withLane(0, h[1]);
    LongVector a2 = zero.withLane(0, h[2]);
    LongVector a3 = zero.withLane(0, h[3]);
    LongVector a4 = zero.withLane(0, h[4]);
    LongVector b0 = zero;
    LongVector b1 = zero;
    LongVector b2 = zero;
    LongVector b3 = zero;
    LongVector b4 = zero;
    // r^(2 * LANES) in every lane of both sets until the last round.
    LongVector q0 = LongVector.broadcast(SPECIES, p[0]);
    LongVector q1 = LongVector.broadcast(SPECIES, p[w]);
    LongVector q2 = LongVector.broadcast(SPECIES, p[2 * w]);
    LongVector q3 = LongVector.broadcast(SPECIES, p[3 * w]);
    LongVector q4 = LongVector.broadcast(SPECIES, p[4 * w]);
    LongVector s1 = LongVector.broadcast(SPECIES, p[6 * w]);
    LongVector s2 = LongVector.broadcast(SPECIES, p[7 * w]);
    LongVector s3 = LongVector.broadcast(SPECIES, p[8 * w]);
    LongVector s4 = LongVector.broadcast(SPECIES, p[9 * w]);
    LongVector u0 = q0;
    LongVector u1 = q1;
    LongVector u2 = q2;
    LongVector u3 = q3;
    LongVector u4 = q4;
    LongVector z1 = s1;
    LongVector z2 = s2;
    LongVector z3 = s3;
    LongVector z4 = s4;
    int half = LANES * Poly1305.BLOCK;
    for (int round = 0; round < rounds; round++, off += 2 * half) {
      if (round == rounds - 1) {
        q0 = LongVector.fromArray(SPECIES, p, 0);
        q1 = LongVector.fromArray(SPECIES, p, w);
        q2 = LongVector.fromArray(SPECIES, p, 2 * w);
        q3 = LongVector.fromArray(SPECIES, p, 3 * w);
        q4 = LongVector.fromArray(SPECIES, p, 4 * w);
        s1 = LongVector.fromArray(SPECIES, p, 6 * w);
        s2 = LongVector.fromArray(SPECIES, p, 7 * w);
        s3 = LongVector.fromArray(SPECIES, p, 8 * w);
        s4 = LongVector.fromArray(SPECIES, p, 9 * w);
        u0 = LongVector.fromArray(SPECIES, p, LANES);
        u1 = LongVector.fromArray(SPECIES, p, w + LANES);
        u2 = LongVector.fromArray(SPECIES, p, 2 * w + LANES);
        u3 = LongVector.fromArray(SPECIES, p, 3 * w + LANES);
        u4 = LongVector.fromArray(SPECIES, p, 4 * w + LANES);
        z1 = LongVector.fromArray(SPECIES, p, 6 * w + LANES);
        z2 = LongVector.fromArray(SPECIES, p, 7 * w + LANES);
        z3 = LongVector.fromArray(SPECIES, p, 8 * w + LANES);
        z4 = LongVector.fromArray(SPECIES, p, 9 * w + LANES);
      }
      LongVector v0 = LongVector.fromByteArray(SPECIES, m, off, ByteOrder.LITTLE_ENDIAN);
      LongVector v1 = LongVector.fromByteArray(SPECIES, m, off + half / 2, ByteOrder.LITTLE_ENDIAN);
      LongVector v2 = LongVector.fromByteArray(SPECIES, m, off + half, ByteOrder.LITTLE_ENDIAN);
      LongVector v3 = LongVector.fromByteArray(SPECIES, m, off + half + half / 2, ByteOrder.LITTLE_ENDIAN);
      LongVector loA = v0.rearrange(LOW_WORDS, v1);
      LongVector hiA = v0.rearrange(HIGH_WORDS, v1);
      LongVector loB = v2.rearrange(LOW_WORDS, v3);
      LongVector hiB = v2.rearrange(HIGH_WORDS, v3);

      LongVector x0 = a0.add(loA.and(M26));
      LongVector y0 = b0.add(loB.and(M26));
      LongVector x1 = a1.add(loA.lanewise(VectorOperators.LSHR, 26).and(M26));
      LongVector y1 = b1.add(loB.lanewise(VectorOperators.LSHR, 26).and(M26));
      LongVector x2 = a2.add(loA.lanewise(VectorOperators.LSHR, 52)
          .or(hiA.lanewise(VectorOperators.LSHL, 12)).and(M26));
      LongVector y2 = b2.add(loB.lanewise(VectorOperators.LSHR, 52)
          .or(hiB.lanewise(VectorOperators.LSHL, 12)).and(M26));
      LongVector x3 = a3.add(hiA.lanewise(VectorOperators.LSHR, 14).and(M26));
      LongVector y3 = b3.add(hiB.lanewise(VectorOperators.LSHR, 14).and(M26));
      LongVector x4 = a4.add(hiA.lanewise(VectorOperators.LSHR, 40).or(1L << 24));
      LongVector y4 = b4.add(hiB.lanewise(VectorOperators.LSHR, 40).or(1L << 24));

      LongVector d0 = x0.mul(q0).add(x1.mul(s4)).add(x2.mul(s3)).add(x3.mul(s2)).add(x4.mul(s1));
      LongVector e0 = y0.mul(u0).add(y1.mul(z4)).add(y2.mul(z3)).add(y3.mul(z2)).add(y4.mul(z1));
      LongVector d1 = x0.mul(q1).add(x1.mul(q0)).add(x2.mul(s4)).add(x3.mul(s3)).add(x4.mul(s2));
      LongVector e1 = y0.mul(u1).add(y1.mul(u0)).add(y2.mul(z4)).add(y3.mul(z3)).add(y4.mul(z2));
      LongVector d2 = x0.mul(q2).add(x1.mul(q1)).add(x2.mul(q0)).add(x3.mul(s4)).add(x4.mul(s3));
      LongVector e2 = y0.mul(u2).add(y1.mul(u1)).add(y2.mul(u0)).add(y3.mul(z4)).add(y4.mul(z3));
      LongVector d3 = x0.mul(q3).add(x1.mul(q2)).add(x2.mul(q1)).add(x3.mul(q0)).add(x4.mul(s4));
      LongVector e3 = y0.mul(u3).add(y1.mul(u2)).add(y2.mul(u1)).add(y3.mul(u0)).add(y4.mul(z4));
      LongVector d4 = x0.mul(q4).add(x1.mul(q3)).add(x2.mul(q2)).add(x3.mul(q1)).add(x4.mul(q0));
      LongVector e4 = y0.mul(u4).add(y1.mul(u3)).add(y2.mul(u2)).add(y3.mul(u1)).add(y4.mul(u0));

      d1 = d1.add(d0.lanewise(VectorOperators.LSHR, 26));
      e1 = e1.add(e0.lanewise(VectorOperators.LSHR, 26));
      d2 = d2.add(d1.lanewise(VectorOperators.LSHR, 26));
      e2 = e2.add(e1.lanewise(VectorOperators.LSHR, 26));
      d3 = d3.add(d2.lanewise(VectorOperators.LSHR, 26));
      e3 = e3.add(e2.lanewise(VectorOperators.LSHR, 26));
      d4 = d4.add(d3.lanewise(VectorOperators.LSHR, 26));
      e4 = e4.add(e3.lanewise(VectorOperators.LSHR, 26));
      LongVector c = d4.lanewise(VectorOperators.LSHR, 26);
      LongVector k = e4.lanewise(VectorOperators.LSHR, 26);
      LongVector f0 = d0.and(M26).add(c.lanewise(VectorOperators.LSHL, 2)).add(c);
      LongVector g0 = e0.and(M26).add(k.lanewise(VectorOperators.LSHL, 2)).add(k);
      a0 = f0.and(M26);
      b0 = g0.and(M26);
      a1 = d1.and(M26).add(f0.lanewise(VectorOperators.LSHR, 26));
      b1 = e1.and(M26).add(g0.lanewise(VectorOperators.LSHR, 26));
      a2 = d2.and(M26);
      b2 = e2.and(M26);
      a3 = d3.and(M26);
      b3 = e3.and(M26);
      a4 = d4.and(M26);
      b4 = e4.and(M26);
    }
    a0 = a0.add(b0);
    a1 = a1.add(b1);
    a2 = a2.add(b2);
    a3 = a3.add(b3);
    a4 = a4.add(b4);
    // Each lane's limbs are below 2^27 (2^28 for the sum of the two sets), so the sums stay far below 2^63; carry them back to ~26 bits.
    long t0 = a0.reduceLanes(VectorOperators.ADD);
    long t1 = a1.reduceLanes(VectorOperators.ADD);
    long t2 = a2.reduceLanes(VectorOperators.ADD);
    long t3 = a3.reduceLanes(VectorOperators.ADD);
    long t4 = a4.reduceLanes(VectorOperators.ADD);
    t1 += t0 >>> 26;
    t0 &= M26;
    t2 += t1 >>> 26;
    t1 &= M26;
    t3 += t2 >>> 26;
    t2 &= M26;
    t4 += t3 >>> 26;
    t3 &= M26;
    t0 += (t4 >>> 26) * 5;
    t4 &= M26;
    t1 += t0 >>> 26;
    t0 &= M26;
    h[0] = t0;
    h[1] = t1;
    h[2] = t2;
    h[3] = t3;
    h[4] = t4;
  }
}
