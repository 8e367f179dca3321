package dev.weft.net.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * ChaCha20-Poly1305 AEAD (RFC 8439 section 2.8) in plain Java, written from the RFC: {@link ChaCha20}
 * for the keystream and {@link Poly1305} for the tag. Encrypting and decrypting allocate nothing, and
 * both may work in place ({@code in == out} at the same offset). Decryption checks the tag (in
 * constant time) before writing any plaintext. One instance holds one key; not thread-safe.
 *
 * <p>This is the default back end ({@link ChaChaPolyAead#create()}): on JDK 17 it is several times
 * faster than the JDK's and BouncyCastle's ChaCha20-Poly1305 (see docs/benchmarks.md).
 */
public final class PureJavaChaChaPoly implements ChaChaPolyAead {
  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final ChaCha20 chacha;
  private final Poly1305 poly;
  private final int[] keyBlock = new int[16];
  private final long[] tag = new long[2];
  private boolean keyed;

  public PureJavaChaChaPoly() {
    this(true);
  }

  /**
   * With {@code vectors} false the JDK Vector API is never used, even when {@link VectorSupport}
   * finds it (tests and benchmarks compare both paths).
   */
  PureJavaChaChaPoly(boolean vectors) {
    chacha = new ChaCha20(vectors);
    poly = new Poly1305(vectors);
  }

  /**
   * Whether the JDK Vector API kernels can be used in this JVM (see {@code VectorSupport}: the
   * {@code jdk.incubator.vector} module is present, C2 is on, vectors are wide enough).
   */
  public static boolean vectorKernelsAvailable() {
    return VectorSupport.AVAILABLE;
  }

  /**
   * Whether long messages are now processed by the Vector API kernels; false until their one-off
   * background warm-up (started by the first long message, or by this call) has finished.
   */
  public static boolean vectorKernelsInUse() {
    return VectorSupport.ready();
  }

  @Override
  public void init(byte[] key) {
    chacha.init(key);
    keyed = true;
  }

  @Override
  public int encrypt(long counter, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
    requireKey();
    int n1 = (int) counter;
    int n2 = (int) (counter >>> 32);
    chacha.xor(1, 0, n1, n2, in, inOff, out, outOff, len);
    computeTag(n1, n2, ad, out, outOff, len);
    LE_LONG.set(out, outOff + len, tag[0]);
    LE_LONG.set(out, outOff + len + 8, tag[1]);
    return len + TAG_LENGTH;
  }

  @Override
  public int decrypt(long counter, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
      throws NoiseException {
    requireKey();
    if (len < TAG_LENGTH) {
      throw new NoiseException("ciphertext shorter than the tag: " + len);
    }
    int ctLen = len - TAG_LENGTH;
    int n1 = (int) counter;
    int n2 = (int) (counter >>> 32);
    computeTag(n1, n2, ad, in, inOff, ctLen);
    long diff = (tag[0] ^ (long) LE_LONG.get(in, inOff + ctLen))
        | (tag[1] ^ (long) LE_LONG.get(in, inOff + ctLen + 8));
    if (diff != 0) {
      throw new NoiseException("decryption failed: bad tag");
    }
    chacha.xor(1, 0, n1, n2, in, inOff, out, outOff, ctLen);
    return ctLen;
  }

  /** Poly1305 over pad16(ad) || pad16(ciphertext) || le64(|ad|) || le64(|ciphertext|) into {@link #tag}. */
  private void computeTag(int n1, int n2, byte[] ad, byte[] ct, int ctOff, int ctLen) {
    // The one-time key is the first 32 bytes of keystream block 0 (RFC 8439 2.6).
    chacha.block(0, 0, n1, n2, keyBlock);
    poly.init(words(keyBlock[0], keyBlock[1]), words(keyBlock[2], keyBlock[3]),
        words(keyBlock[4], keyBlock[5]), words(keyBlock[6], keyBlock[7]));
    int adLen = ad == null ? 0 : ad.length;
    if (adLen > 0) {
      poly.update(ad, 0, adLen, true);
    }
    poly.update(ct, ctOff, ctLen, true);
    poly.block(adLen, ctLen);
    poly.finish(tag);
  }

  private static long words(int lo, int hi) {
    return (lo & 0xffffffffL) | ((long) hi << 32);
  }

  private void requireKey() {
    if (!keyed) {
      throw new IllegalStateException("no key set");
    }
  }
}
