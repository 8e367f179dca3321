package dev.weft.net.noise;

import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Poly1305 block absorption on {@link #LANES} interleaved lanes with the JDK 17 Vector API: block
 * {@code i} of a run goes to lane {@code i % LANES}, each lane is a Horner sum in r^LANES, and the
 * last round multiplies lane {@code l} by r^(LANES - l) so that the lanes' sum is the one-block-at-
 * a-time result. Limbs are 26 bits in 64-bit lanes as in {@link Poly1305}. Only loaded when
 * {@link VectorSupport#AVAILABLE}.
 */
final class Poly1305Vector {
  static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
  static final int LANES = SPECIES.length();
  /** Runs of full blocks shorter than this stay on the scalar path (the powers of r cost ~LANES blocks). */
  static final int MIN_BYTES = 16 * LANES * Poly1305.BLOCK;
  private static final long M26 = 0x3ffffffL;
  /** Picks the low (even) and high (odd) words of LANES blocks spread over two vectors. */
  private static final VectorShuffle<Long> LOW_WORDS = VectorShuffle.fromOp(SPECIES, i -> 2 * i);
  private static final VectorShuffle<Long> HIGH_WORDS = VectorShuffle.fromOp(SPECIES, i -> 2 * i + 1);

  private Poly1305Vector() {}

  /**
   * Absorbs {@code rounds * LANES} full blocks from {@code m} into the accumulator {@code h} (five
   * limbs, in and out). {@code p} holds the limbs of r^(LANES - l) per lane and the same times 5, as
   * laid out by {@link Poly1305}; r^LANES is lane 0's.
   */
  static void blocks(byte[] m, int off, int rounds, long[] h, long[] p) {
    LongVector zero = LongVector.zero(SPECIES);
    // The accumulator so far joins lane 0, whose first block is multiplied by r^(rounds * LANES).
    LongVector a0 = zero.withLane(0, h[0]);
    LongVector a1 = zero.withLane(0, h[1]);
    LongVector a2 = zero.withLane(0, h[2]);
    LongVector a3 = zero.withLane(0, h[3]);
    LongVector a4 = zero.withLane(0, h[4]);
    LongVector q0 = LongVector.broadcast(SPECIES, p[0]);
    LongVector q1 = LongVector.broadcast(SPECIES, p[LANES]);
    LongVector q2 = LongVector.broadcast(SPECIES, p[2 * LANES]);
    LongVector q3 = LongVector.broadcast(SPECIES, p[3 * LANES]);
    LongVector q4 = LongVector.broadcast(SPECIES, p[4 * LANES]);
    LongVector s1 = LongVector.broadcast(SPECIES, p[6 * LANES]);
    LongVector s2 = LongVector.broadcast(SPECIES, p[7 * LANES]);
    LongVector s3 = LongVector.broadcast(SPECIES, p[8 * LANES]);
    LongVector s4 = LongVector.broadcast(SPECIES, p[9 * LANES]);
    int bytes = LANES * Poly1305.BLOCK;
    for (int round = 0; round < rounds; round++, off += bytes) {
      if (round == rounds - 1) {
        q0 = LongVector.fromArray(SPECIES, p, 0);
        q1 = LongVector.fromArray(SPECIES, p, LANES);
        q2 = LongVector.fromArray(SPECIES, p, 2 * LANES);
        q3 = LongVector.fromArray(SPECIES, p, 3 * LANES);
        q4 = LongVector.fromArray(SPECIES, p, 4 * LANES);
        s1 = LongVector.fromArray(SPECIES, p, 6 * LANES);
        s2 = LongVector.fromArray(SPECIES, p, 7 * LANES);
        s3 = LongVector.fromArray(SPECIES, p, 8 * LANES);
        s4 = LongVector.fromArray(SPECIES, p, 9 * LANES);
      }
      LongVector v0 = LongVector.fromByteArray(SPECIES, m, off, ByteOrder.LITTLE_ENDIAN);
      LongVector v1 = LongVector.fromByteArray(SPECIES, m, off + bytes / 2, ByteOrder.LITTLE_ENDIAN);
      LongVector lo = v0.rearrange(LOW_WORDS, v1);
      LongVector hi = v0.rearrange(HIGH_WORDS, v1);
      LongVector x0 = a0.add(lo.and(M26));
      LongVector x1 = a1.add(lo.lanewise(VectorOperators.LSHR, 26).and(M26));
      LongVector x2 = a2.add(lo.lanewise(VectorOperators.LSHR, 52)
          .or(hi.lanewise(VectorOperators.LSHL, 12)).and(M26));
      LongVector x3 = a3.add(hi.lanewise(VectorOperators.LSHR, 14).and(M26));
      LongVector x4 = a4.add(hi.lanewise(VectorOperators.LSHR, 40).or(1L << 24));

      LongVector d0 = x0.mul(q0).add(x1.mul(s4)).add(x2.mul(s3)).add(x3.mul(s2)).add(x4.mul(s1));
      LongVector d1 = x0.mul(q1).add(x1.mul(q0)).add(x2.mul(s4)).add(x3.mul(s3)).add(x4.mul(s2));
      LongVector d2 = x0.mul(q2).add(x1.mul(q1)).add(x2.mul(q0)).add(x3.mul(s4)).add(x4.mul(s3));
      LongVector d3 = x0.mul(q3).add(x1.mul(q2)).add(x2.mul(q1)).add(x3.mul(q0)).add(x4.mul(s4));
      LongVector d4 = x0.mul(q4).add(x1.mul(q3)).add(x2.mul(q2)).add(x3.mul(q1)).add(x4.mul(q0));

      d1 = d1.add(d0.lanewise(VectorOperators.LSHR, 26));
      d2 = d2.add(d1.lanewise(VectorOperators.LSHR, 26));
      d3 = d3.add(d2.lanewise(VectorOperators.LSHR, 26));
      d4 = d4.add(d3.lanewise(VectorOperators.LSHR, 26));
      LongVector c = d4.lanewise(VectorOperators.LSHR, 26);
      LongVector e0 = d0.and(M26).add(c.lanewise(VectorOperators.LSHL, 2)).add(c);
      a0 = e0.and(M26);
      a1 = d1.and(M26).add(e0.lanewise(VectorOperators.LSHR, 26));
      a2 = d2.and(M26);
      a3 = d3.and(M26);
      a4 = d4.and(M26);
    }
    // Each lane's limbs are below 2^27, so the sums stay far below 2^63; carry them back to ~26 bits.
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
