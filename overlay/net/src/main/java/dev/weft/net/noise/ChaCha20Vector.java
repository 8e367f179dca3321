package dev.weft.net.noise;

import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The ChaCha20 block function on many blocks at once with the JDK 17 Vector API: the 16 state words
 * are 16 vectors whose lane {@code j} belongs to block {@code counter + j}, kept in registers
 * through all 20 rounds. Only loaded when {@link VectorSupport#AVAILABLE}; otherwise
 * {@link ChaCha20} computes everything itself.
 */
final class ChaCha20Vector {
  static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;
  /** Blocks per step: one per lane. */
  static final int LANES = SPECIES.length();
  /** Gather indexes of one block's 16 words in the word-major keystream. */
  private static final int[] WORD_INDEX = new int[16];

  static {
    for (int w = 0; w < 16; w++) {
      WORD_INDEX[w] = w * LANES;
    }
  }

  private final int[] keystream = new int[16 * LANES];

  /** The lane index 0, 1, 2, ... added to the counter. */
  private static final IntVector IOTA = IntVector.zero(SPECIES).addIndex(1);

  private ChaCha20Vector() {}

  static ChaCha20Vector create() {
    return new ChaCha20Vector();
  }

  /**
   * XORs {@code steps * LANES} blocks of keystream from block {@code counter} over {@code in} into
   * {@code out} (both may be the same region). {@code k} holds the eight key words.
   */
  void xor(int[] k, int counter, int n0, int n1, int n2, byte[] in, int inOff, byte[] out, int outOff,
      int steps) {
    IntVector c0 = IntVector.broadcast(SPECIES, 0x61707865);
    IntVector c1 = IntVector.broadcast(SPECIES, 0x3320646e);
    IntVector c2 = IntVector.broadcast(SPECIES, 0x79622d32);
    IntVector c3 = IntVector.broadcast(SPECIES, 0x6b206574);
    IntVector k0 = IntVector.broadcast(SPECIES, k[0]);
    IntVector k1 = IntVector.broadcast(SPECIES, k[1]);
    IntVector k2 = IntVector.broadcast(SPECIES, k[2]);
    IntVector k3 = IntVector.broadcast(SPECIES, k[3]);
    IntVector k4 = IntVector.broadcast(SPECIES, k[4]);
    IntVector k5 = IntVector.broadcast(SPECIES, k[5]);
    IntVector k6 = IntVector.broadcast(SPECIES, k[6]);
    IntVector k7 = IntVector.broadcast(SPECIES, k[7]);
    IntVector v13 = IntVector.broadcast(SPECIES, n0);
    IntVector v14 = IntVector.broadcast(SPECIES, n1);
    IntVector v15 = IntVector.broadcast(SPECIES, n2);
    int[] ks = keystream;
    for (int step = 0; step < steps; step++) {
      IntVector ctr = IOTA.add(counter + step * LANES);
      IntVector x0 = c0;
      IntVector x1 = c1;
      IntVector x2 = c2;
      IntVector x3 = c3;
      IntVector x4 = k0;
      IntVector x5 = k1;
      IntVector x6 = k2;
      IntVector x7 = k3;
      IntVector x8 = k4;
      IntVector x9 = k5;
      IntVector x10 = k6;
      IntVector x11 = k7;
      IntVector x12 = ctr;
      IntVector x13 = v13;
      IntVector x14 = v14;
      IntVector x15 = v15;
      for (int r = 0; r < 10; r++) {
        x0 = x0.add(x4); x12 = x12.lanewise(VectorOperators.XOR, x0).lanewise(VectorOperators.ROL, 16);
        x1 = x1.add(x5); x13 = x13.lanewise(VectorOperators.XOR, x1).lanewise(VectorOperators.ROL, 16);
        x2 = x2.add(x6); x14 = x14.lanewise(VectorOperators.XOR, x2).lanewise(VectorOperators.ROL, 16);
        x3 = x3.add(x7); x15 = x15.lanewise(VectorOperators.XOR, x3).lanewise(VectorOperators.ROL, 16);
        x8 = x8.add(x12); x4 = x4.lanewise(VectorOperators.XOR, x8).lanewise(VectorOperators.ROL, 12);
        x9 = x9.add(x13); x5 = x5.lanewise(VectorOperators.XOR, x9).lanewise(VectorOperators.ROL, 12);
        x10 = x10.add(x14); x6 = x6.lanewise(VectorOperators.XOR, x10).lanewise(VectorOperators.ROL, 12);
        x11 = x11.add(x15); x7 = x7.lanewise(VectorOperators.XOR, x11).lanewise(VectorOperators.ROL, 12);
        x0 = x0.add(x4); x12 = x12.lanewise(VectorOperators.XOR, x0).lanewise(VectorOperators.ROL, 8);
        x1 = x1.add(x5); x13 = x13.lanewise(VectorOperators.XOR, x1).lanewise(VectorOperators.ROL, 8);
        x2 = x2.add(x6); x14 = x14.lanewise(VectorOperators.XOR, x2).lanewise(VectorOperators.ROL, 8);
        x3 = x3.add(x7); x15 = x15.lanewise(VectorOperators.XOR, x3).lanewise(VectorOperators.ROL, 8);
        x8 = x8.add(x12); x4 = x4.lanewise(VectorOperators.XOR, x8).lanewise(VectorOperators.ROL, 7);
        x9 = x9.add(x13); x5 = x5.lanewise(VectorOperators.XOR, x9).lanewise(VectorOperators.ROL, 7);
        x10 = x10.add(x14); x6 = x6.lanewise(VectorOperators.XOR, x10).lanewise(VectorOperators.ROL, 7);
        x11 = x11.add(x15); x7 = x7.lanewise(VectorOperators.XOR, x11).lanewise(VectorOperators.ROL, 7);

        x0 = x0.add(x5); x15 = x15.lanewise(VectorOperators.XOR, x0).lanewise(VectorOperators.ROL, 16);
        x1 = x1.add(x6); x12 = x12.lanewise(VectorOperators.XOR, x1).lanewise(VectorOperators.ROL, 16);
        x2 = x2.add(x7); x13 = x13.lanewise(VectorOperators.XOR, x2).lanewise(VectorOperators.ROL, 16);
        x3 = x3.add(x4); x14 = x14.lanewise(VectorOperators.XOR, x3).lanewise(VectorOperators.ROL, 16);
        x10 = x10.add(x15); x5 = x5.lanewise(VectorOperators.XOR, x10).lanewise(VectorOperators.ROL, 12);
        x11 = x11.add(x12); x6 = x6.lanewise(VectorOperators.XOR, x11).lanewise(VectorOperators.ROL, 12);
        x8 = x8.add(x13); x7 = x7.lanewise(VectorOperators.XOR, x8).lanewise(VectorOperators.ROL, 12);
        x9 = x9.add(x14); x4 = x4.lanewise(VectorOperators.XOR, x9).lanewise(VectorOperators.ROL, 12);
        x0 = x0.add(x5); x15 = x15.lanewise(VectorOperators.XOR, x0).lanewise(VectorOperators.ROL, 8);
        x1 = x1.add(x6); x12 = x12.lanewise(VectorOperators.XOR, x1).lanewise(VectorOperators.ROL, 8);
        x2 = x2.add(x7); x13 = x13.lanewise(VectorOperators.XOR, x2).lanewise(VectorOperators.ROL, 8);
        x3 = x3.add(x4); x14 = x14.lanewise(VectorOperators.XOR, x3).lanewise(VectorOperators.ROL, 8);
        x10 = x10.add(x15); x5 = x5.lanewise(VectorOperators.XOR, x10).lanewise(VectorOperators.ROL, 7);
        x11 = x11.add(x12); x6 = x6.lanewise(VectorOperators.XOR, x11).lanewise(VectorOperators.ROL, 7);
        x8 = x8.add(x13); x7 = x7.lanewise(VectorOperators.XOR, x8).lanewise(VectorOperators.ROL, 7);
        x9 = x9.add(x14); x4 = x4.lanewise(VectorOperators.XOR, x9).lanewise(VectorOperators.ROL, 7);
      }
      // Word-major keystream (ks[w * LANES + j] is word w of block j), read back one block at a time
      // with a gather: faster than scattering the words into block order.
      x0.add(c0).intoArray(ks, 0 * LANES);
      x1.add(c1).intoArray(ks, 1 * LANES);
      x2.add(c2).intoArray(ks, 2 * LANES);
      x3.add(c3).intoArray(ks, 3 * LANES);
      x4.add(k0).intoArray(ks, 4 * LANES);
      x5.add(k1).intoArray(ks, 5 * LANES);
      x6.add(k2).intoArray(ks, 6 * LANES);
      x7.add(k3).intoArray(ks, 7 * LANES);
      x8.add(k4).intoArray(ks, 8 * LANES);
      x9.add(k5).intoArray(ks, 9 * LANES);
      x10.add(k6).intoArray(ks, 10 * LANES);
      x11.add(k7).intoArray(ks, 11 * LANES);
      x12.add(ctr).intoArray(ks, 12 * LANES);
      x13.add(v13).intoArray(ks, 13 * LANES);
      x14.add(v14).intoArray(ks, 14 * LANES);
      x15.add(v15).intoArray(ks, 15 * LANES);
      // JDK 17's C2 may schedule the gathers below before these stores (wrong keystream); the
      // fences keep stores and gathers of one step, and of the next, in order
      // (PureJavaChaChaPolyTest fails without them).
      VarHandle.fullFence();
      int base = step * LANES * ChaCha20.BLOCK;
      for (int j = 0; j < LANES; j++) {
        // One vector per block with 16 lanes; two halves with 8.
        for (int w = 0; w < 16; w += LANES) {
          int at = base + ChaCha20.BLOCK * j + 4 * w;
          IntVector.fromByteArray(SPECIES, in, inOff + at, ByteOrder.LITTLE_ENDIAN)
              .lanewise(VectorOperators.XOR, IntVector.fromArray(SPECIES, ks, j, WORD_INDEX, w))
              .intoByteArray(out, outOff + at, ByteOrder.LITTLE_ENDIAN);
        }
      }
      VarHandle.fullFence();
    }
  }
}
