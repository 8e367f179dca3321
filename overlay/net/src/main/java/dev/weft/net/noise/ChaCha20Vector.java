package dev.weft.net.noise;

import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The ChaCha20 block function on many blocks at once with the JDK 17 Vector API: the 16 state words
 * are 16 vectors whose lane {@code j} belongs to block {@code counter + j}, computed a double round
 * at a time on a word-major state array. Only loaded when {@link VectorSupport#AVAILABLE}; otherwise
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
  /** The working state, word-major: word w of block j at {@code w * LANES + j}. */
  private final int[] state = new int[16 * LANES];
  /** The input words of the current step (word 12 is the first block's counter). */
  private final int[] initial = new int[16];

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
    int[] init = initial;
    int[] st = state;
    int[] ks = keystream;
    init[0] = 0x61707865;
    init[1] = 0x3320646e;
    init[2] = 0x79622d32;
    init[3] = 0x6b206574;
    System.arraycopy(k, 0, init, 4, 8);
    init[13] = n0;
    init[14] = n1;
    init[15] = n2;
    for (int step = 0; step < steps; step++) {
      init[12] = counter + step * LANES;
      for (int w = 0; w < 16; w++) {
        IntVector v = IntVector.broadcast(SPECIES, init[w]);
        (w == 12 ? v.add(IOTA) : v).intoArray(st, w * LANES);
      }
      for (int r = 0; r < 10; r++) {
        doubleRound(st);
      }
      // Word-major keystream (ks[w * LANES + j] is word w of block j), read back one block at a time
      // with a gather: faster than scattering the words into block order.
      for (int w = 0; w < 16; w++) {
        IntVector v = IntVector.fromArray(SPECIES, st, w * LANES).add(init[w]);
        (w == 12 ? v.add(IOTA) : v).intoArray(ks, w * LANES);
      }
      // JDK 17's C2 may schedule the gathers below before these stores (wrong keystream); the
      // fences keep stores and gathers of one step, and of the next, in order
      // (PureJavaChaChaPolyTest fails without them; VectorSupport also checks the compiled code).
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

  // The double round is a method on the state in memory rather than part of one loop over 16 vector
  // locals: with everything in one method, C2 runs out of its inlining budget and leaves some vector
  // operations as slow non-intrinsic calls. A double round is small enough to compile whole.

  /** One double round (RFC 8439 2.3: column then diagonal quarter rounds) on every block of the state. */
  private static void doubleRound(int[] st) {
    IntVector x0 = IntVector.fromArray(SPECIES, st, 0);
    IntVector x1 = IntVector.fromArray(SPECIES, st, LANES);
    IntVector x2 = IntVector.fromArray(SPECIES, st, 2 * LANES);
    IntVector x3 = IntVector.fromArray(SPECIES, st, 3 * LANES);
    IntVector x4 = IntVector.fromArray(SPECIES, st, 4 * LANES);
    IntVector x5 = IntVector.fromArray(SPECIES, st, 5 * LANES);
    IntVector x6 = IntVector.fromArray(SPECIES, st, 6 * LANES);
    IntVector x7 = IntVector.fromArray(SPECIES, st, 7 * LANES);
    IntVector x8 = IntVector.fromArray(SPECIES, st, 8 * LANES);
    IntVector x9 = IntVector.fromArray(SPECIES, st, 9 * LANES);
    IntVector x10 = IntVector.fromArray(SPECIES, st, 10 * LANES);
    IntVector x11 = IntVector.fromArray(SPECIES, st, 11 * LANES);
    IntVector x12 = IntVector.fromArray(SPECIES, st, 12 * LANES);
    IntVector x13 = IntVector.fromArray(SPECIES, st, 13 * LANES);
    IntVector x14 = IntVector.fromArray(SPECIES, st, 14 * LANES);
    IntVector x15 = IntVector.fromArray(SPECIES, st, 15 * LANES);
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
    x0.intoArray(st, 0);
    x1.intoArray(st, LANES);
    x2.intoArray(st, 2 * LANES);
    x3.intoArray(st, 3 * LANES);
    x4.intoArray(st, 4 * LANES);
    x5.intoArray(st, 5 * LANES);
    x6.intoArray(st, 6 * LANES);
    x7.intoArray(st, 7 * LANES);
    x8.intoArray(st, 8 * LANES);
    x9.intoArray(st, 9 * LANES);
    x10.intoArray(st, 10 * LANES);
    x11.intoArray(st, 11 * LANES);
    x12.intoArray(st, 12 * LANES);
    x13.intoArray(st, 13 * LANES);
    x14.intoArray(st, 14 * LANES);
    x15.intoArray(st, 15 * LANES);
  }
}
