package dev.weft.net.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link PureJavaChaChaPoly}, {@link ChaCha20} and {@link Poly1305} against RFC 8439 and the JDK. */
class PureJavaChaChaPolyTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final VarHandle LE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final byte[] SUNSCREEN = ("Ladies and Gentlemen of the class of '99: If I could offer"
      + " you only one tip for the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);

  private static byte[] key(int first) {
    byte[] k = new byte[32];
    for (int i = 0; i < 32; i++) {
      k[i] = (byte) (first + i);
    }
    return k;
  }

  private static int word(byte[] b, int off) {
    return (int) LE_INT.get(b, off);
  }

  @Test
  void chacha20BlockMatchesRfc8439Section232() {
    ChaCha20 c = new ChaCha20();
    c.init(key(0));
    byte[] nonce = HEX.parseHex("000000090000004a00000000");
    int[] words = new int[16];
    c.block(1, word(nonce, 0), word(nonce, 4), word(nonce, 8), words);
    byte[] out = new byte[64];
    for (int i = 0; i < 16; i++) {
      LE_INT.set(out, 4 * i, words[i]);
    }
    assertEquals("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
        + "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e", HEX.formatHex(out));
  }

  @Test
  void chacha20EncryptionMatchesRfc8439Section242() {
    ChaCha20 c = new ChaCha20();
    c.init(key(0));
    byte[] nonce = HEX.parseHex("000000000000004a00000000");
    byte[] out = new byte[SUNSCREEN.length];
    c.xor(1, word(nonce, 0), word(nonce, 4), word(nonce, 8), SUNSCREEN, 0, out, 0, SUNSCREEN.length);
    assertEquals("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
        + "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
        + "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
        + "5af90bbf74a35be6b40b8eedf2785e42874d", HEX.formatHex(out));
    // In place gives the same bytes, and a second pass decrypts.
    byte[] inPlace = SUNSCREEN.clone();
    c.xor(1, word(nonce, 0), word(nonce, 4), word(nonce, 8), inPlace, 0, inPlace, 0, inPlace.length);
    assertArrayEquals(out, inPlace);
    c.xor(1, word(nonce, 0), word(nonce, 4), word(nonce, 8), inPlace, 0, inPlace, 0, inPlace.length);
    assertArrayEquals(SUNSCREEN, inPlace);
  }

  private static String poly1305(String keyHex, byte[] msg) {
    Poly1305 p = new Poly1305();
    p.init(HEX.parseHex(keyHex), 0);
    p.update(msg, 0, msg.length, false);
    long[] tag = new long[2];
    p.finish(tag);
    byte[] out = new byte[16];
    VarHandle le = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    le.set(out, 0, tag[0]);
    le.set(out, 8, tag[1]);
    return HEX.formatHex(out);
  }

  @Test
  void poly1305MatchesRfc8439Section252() {
    assertEquals("a8061dc1305136c6c22b8baf0c0127a9",
        poly1305("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b",
            "Cryptographic Forum Research Group".getBytes(StandardCharsets.US_ASCII)));
  }

  /** RFC 8439 Appendix A.3 vectors #5 to #11: h >= p, the 2^130-5 wrap and long carries. */
  @ParameterizedTest
  @CsvSource({
    "0200000000000000000000000000000000000000000000000000000000000000, ffffffffffffffffffffffffffffffff,"
        + " 03000000000000000000000000000000",
    "02000000000000000000000000000000ffffffffffffffffffffffffffffffff, 02000000000000000000000000000000,"
        + " 03000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000000,"
        + " fffffffffffffffffffffffffffffffff0ffffffffffffffffffffffffffffff11000000000000000000000000000000,"
        + " 05000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000000,"
        + " fffffffffffffffffffffffffffffffffbfefefefefefefefefefefefefefefe01010101010101010101010101010101,"
        + " 00000000000000000000000000000000",
    "0200000000000000000000000000000000000000000000000000000000000000, fdffffffffffffffffffffffffffffff,"
        + " faffffffffffffffffffffffffffffff",
    "0100000000000000040000000000000000000000000000000000000000000000,"
        + " e33594d7505e43b900000000000000003394d7505e4379cd01000000000000000000000000000000000000000000000001000000000000000000000000000000,"
        + " 14000000000000005500000000000000",
    "0100000000000000040000000000000000000000000000000000000000000000,"
        + " e33594d7505e43b900000000000000003394d7505e4379cd010000000000000000000000000000000000000000000000,"
        + " 13000000000000000000000000000000",
  })
  void poly1305MatchesRfc8439AppendixA3EdgeCases(String keyHex, String msgHex, String tagHex) {
    assertEquals(tagHex, poly1305(keyHex, HEX.parseHex(msgHex)));
  }

  @Test
  void aeadMatchesRfc8439Section282() throws Exception {
    byte[] nonce = HEX.parseHex("070000004041424344454647");
    byte[] aad = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
    String expected = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
        + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
        + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
        + "3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691";
    // The RFC nonce is not of the Noise form (its first four bytes are not zero), so this vector
    // goes through the internal pieces the same way PureJavaChaChaPoly composes them.
    ChaCha20 c = new ChaCha20();
    c.init(key(0x80));
    int n0 = word(nonce, 0);
    int n1 = word(nonce, 4);
    int n2 = word(nonce, 8);
    byte[] out = new byte[SUNSCREEN.length + 16];
    c.xor(1, n0, n1, n2, SUNSCREEN, 0, out, 0, SUNSCREEN.length);
    int[] ks = new int[16];
    c.block(0, n0, n1, n2, ks);
    Poly1305 p = new Poly1305();
    p.init((ks[0] & 0xffffffffL) | ((long) ks[1] << 32), (ks[2] & 0xffffffffL) | ((long) ks[3] << 32),
        (ks[4] & 0xffffffffL) | ((long) ks[5] << 32), (ks[6] & 0xffffffffL) | ((long) ks[7] << 32));
    p.update(aad, 0, aad.length, true);
    p.update(out, 0, SUNSCREEN.length, true);
    p.block(aad.length, SUNSCREEN.length);
    long[] tag = new long[2];
    p.finish(tag);
    VarHandle le = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    le.set(out, SUNSCREEN.length, tag[0]);
    le.set(out, SUNSCREEN.length + 8, tag[1]);
    assertEquals(expected, HEX.formatHex(out));
    // The JDK agrees on the same vector, which anchors the randomized cross-check below.
    assertArrayEquals(out, jdkEncrypt(key(0x80), nonce, aad, SUNSCREEN));
  }

  private static byte[] jdkEncrypt(byte[] key, byte[] nonce, byte[] aad, byte[] plain) throws Exception {
    Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
    cipher.updateAAD(aad);
    return cipher.doFinal(plain);
  }

  private static byte[] noiseNonce(long counter) {
    byte[] n = new byte[12];
    ChaChaPolyAead.noiseNonce(counter, n);
    return n;
  }

  @Test
  void agreesWithTheJdkOverManyLengthsAdsAndCounters() throws Exception {
    SplittableRandom rnd = new SplittableRandom(8439);
    PureJavaChaChaPoly ours = new PureJavaChaChaPoly();
    // 0..2000, then around the half-width (2 KiB) and full-width (4 KiB) boundaries of the wide
    // keystream path, and the
    // largest Noise transport payload.
    int[] extra = {2047, 2048, 2049, 2111, 4095, 4096, 4097, 3 * 4096 + 65, 3 * 4096 + 2050, 65519, 65535 + 7};
    int[] lengths = new int[2001 + extra.length];
    for (int i = 0; i <= 2000; i++) {
      lengths[i] = i;
    }
    System.arraycopy(extra, 0, lengths, 2001, extra.length);
    for (int len : lengths) {
      byte[] key = new byte[32];
      rnd.nextBytes(key);
      byte[] ad = new byte[rnd.nextInt(70)];
      rnd.nextBytes(ad);
      byte[] plain = new byte[len];
      rnd.nextBytes(plain);
      long counter = switch (len % 4) {
        case 0 -> len;
        case 1 -> rnd.nextLong();
        case 2 -> 0xffffffffL + len; // crosses into the high nonce word
        default -> -2L;
      };
      ours.init(key);
      int off = rnd.nextInt(5);
      byte[] ct = new byte[off + len + 16 + 3];
      assertEquals(len + 16, ours.encrypt(counter, ad, plain, 0, len, ct, off));
      byte[] expected = jdkEncrypt(key, noiseNonce(counter), ad, plain);
      assertArrayEquals(expected, Arrays.copyOfRange(ct, off, off + len + 16), "length " + len);

      byte[] back = new byte[len + 1];
      assertEquals(len, ours.decrypt(counter, ad, ct, off, len + 16, back, 1));
      assertArrayEquals(plain, Arrays.copyOfRange(back, 1, len + 1), "length " + len);
    }
  }

  /**
   * The Vector API kernels (when the JVM has the incubator module, as the build's surefire runs do)
   * against the scalar code and the JDK: lengths around every step of both kernels (ChaCha20: one
   * block per int lane; Poly1305: one block per long lane and the minimum run), random ADs (so the
   * Poly1305 accumulator is non-zero when the lanes start), offsets and counters, in place and not.
   */
  @Test
  void vectorKernelsAgreeWithScalarCodeAndTheJdk() throws Exception {
    assertTrue(VectorSupport.AVAILABLE || System.getProperty("weft.noise.vector") != null
            || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty(),
        "the incubator module is present but the vector kernels are not used");
    Assumptions.assumeTrue(VectorSupport.AVAILABLE, "jdk.incubator.vector not available");
    VectorSupport.warmUp();
    assertTrue(VectorSupport.ready());
    int chachaStep = ChaCha20Vector.LANES * ChaCha20.BLOCK;
    int polyStep = Poly1305Vector.GROUP * Poly1305.BLOCK;
    int polyMin = Poly1305Vector.MIN_BYTES;
    List<Integer> lengths = new ArrayList<>();
    for (int base : new int[] {chachaStep, 2 * chachaStep, polyMin, polyMin + polyStep / 2, polyMin + polyStep, 3 * polyMin,
        65519 - 64, 65519}) {
      for (int d = -17; d <= 17; d++) {
        lengths.add(base + d);
      }
    }
    SplittableRandom rnd = new SplittableRandom(1305);
    for (int i = 0; i < 40; i++) {
      lengths.add(rnd.nextInt(70000));
    }
    PureJavaChaChaPoly vector = new PureJavaChaChaPoly(true);
    PureJavaChaChaPoly scalar = new PureJavaChaChaPoly(false);
    for (int len : lengths) {
      byte[] key = new byte[32];
      rnd.nextBytes(key);
      byte[] ad = new byte[rnd.nextInt(40)];
      rnd.nextBytes(ad);
      byte[] plain = new byte[len];
      rnd.nextBytes(plain);
      long counter = rnd.nextBoolean() ? rnd.nextLong() : 0xffffffffL - rnd.nextInt(3);
      vector.init(key);
      scalar.init(key);
      int off = rnd.nextInt(9);
      byte[] ct = new byte[off + len + 16];
      vector.encrypt(counter, ad, plain, 0, len, ct, off);
      byte[] scalarCt = new byte[len + 16];
      scalar.encrypt(counter, ad, plain, 0, len, scalarCt, 0);
      byte[] got = Arrays.copyOfRange(ct, off, off + len + 16);
      assertArrayEquals(scalarCt, got, "length " + len);
      assertArrayEquals(jdkEncrypt(key, noiseNonce(counter), ad, plain), got, "length " + len);
      // In place, and the tag is checked by the vector Poly1305 on decryption.
      assertEquals(len, vector.decrypt(counter, ad, ct, off, len + 16, ct, off));
      assertArrayEquals(plain, Arrays.copyOfRange(ct, off, off + len), "length " + len);
      if (len > 0) {
        got[rnd.nextInt(len)] ^= 1;
        byte[] tampered = got;
        assertThrows(NoiseException.class,
            () -> vector.decrypt(counter, ad, tampered, 0, len + 16, new byte[len], 0));
      }
    }
  }

  /** Poly1305 fed in uneven pieces takes the lane path mid-message and still matches the scalar code. */
  @Test
  void poly1305LanePathMatchesScalarWhenFedInPieces() {
    Assumptions.assumeTrue(VectorSupport.AVAILABLE, "jdk.incubator.vector not available");
    VectorSupport.warmUp();
    SplittableRandom rnd = new SplittableRandom(26);
    byte[] msg = new byte[200_000];
    rnd.nextBytes(msg);
    for (int trial = 0; trial < 30; trial++) {
      Poly1305 vector = new Poly1305(true);
      Poly1305 scalar = new Poly1305(false);
      long[] k = {rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong()};
      vector.init(k[0], k[1], k[2], k[3]);
      scalar.init(k[0], k[1], k[2], k[3]);
      int pos = 0;
      while (pos < msg.length - 70000) {
        int n = 16 * rnd.nextInt(4000);
        vector.update(msg, pos, n, true);
        scalar.update(msg, pos, n, true);
        pos += n;
      }
      int last = rnd.nextInt(5000);
      vector.update(msg, pos, last, false);
      scalar.update(msg, pos, last, false);
      long[] a = new long[2];
      long[] b = new long[2];
      vector.finish(a);
      scalar.finish(b);
      assertArrayEquals(b, a, "trial " + trial);
    }
  }

  @Test
  void encryptsAndDecryptsInPlace() throws Exception {
    SplittableRandom rnd = new SplittableRandom(7);
    PureJavaChaChaPoly ours = new PureJavaChaChaPoly();
    byte[] key = new byte[32];
    rnd.nextBytes(key);
    ours.init(key);
    for (int len : new int[] {0, 1, 63, 64, 65, 1000, 4096, 4161, 65519}) {
      byte[] plain = new byte[len];
      rnd.nextBytes(plain);
      byte[] buf = Arrays.copyOf(plain, len + 16);
      ours.encrypt(9, null, buf, 0, len, buf, 0);
      assertArrayEquals(jdkEncrypt(key, noiseNonce(9), new byte[0], plain), buf);
      assertEquals(len, ours.decrypt(9, null, buf, 0, len + 16, buf, 0));
      assertArrayEquals(plain, Arrays.copyOf(buf, len));
    }
  }

  @Test
  void rejectsEveryFlippedBitInCiphertextTagAndAdWithoutWritingPlaintext() throws Exception {
    SplittableRandom rnd = new SplittableRandom(3);
    PureJavaChaChaPoly ours = new PureJavaChaChaPoly();
    byte[] key = new byte[32];
    rnd.nextBytes(key);
    ours.init(key);
    for (int len : new int[] {0, 15, 16, 17, 100}) {
      byte[] ad = new byte[len % 3 == 0 ? 0 : 13];
      rnd.nextBytes(ad);
      byte[] plain = new byte[len];
      rnd.nextBytes(plain);
      byte[] ct = new byte[len + 16];
      ours.encrypt(42, ad, plain, 0, len, ct, 0);
      byte[] out = new byte[len];
      for (int bit = 0; bit < 8 * (ct.length + ad.length); bit++) {
        byte[] c2 = ct.clone();
        byte[] a2 = ad.clone();
        if (bit < 8 * ct.length) {
          c2[bit / 8] ^= (byte) (1 << (bit % 8));
        } else {
          int b = bit - 8 * ct.length;
          a2[b / 8] ^= (byte) (1 << (b % 8));
        }
        Arrays.fill(out, (byte) 0x5a);
        int fixedBit = bit;
        assertThrows(NoiseException.class, () -> ours.decrypt(42, a2, c2, 0, c2.length, out, 0),
            "bit " + fixedBit);
        for (byte b : out) {
          assertEquals((byte) 0x5a, b, "plaintext written despite a bad tag");
        }
      }
      // The wrong counter (nonce) fails too; the right one succeeds.
      assertThrows(NoiseException.class, () -> ours.decrypt(43, ad, ct, 0, ct.length, out, 0));
      assertEquals(len, ours.decrypt(42, ad, ct, 0, ct.length, out, 0));
      assertArrayEquals(plain, out);
    }
    assertThrows(NoiseException.class, () -> ours.decrypt(0, null, new byte[15], 0, 15, new byte[0], 0));
  }

  @Test
  void noiseNonceIsTheLittleEndianCounterInTheLastEightBytes() throws Exception {
    // A counter above 2^32 must reach the third nonce word; compare with the JDK on that nonce.
    long counter = 0x0102030405060708L;
    assertEquals("000000000807060504030201", HEX.formatHex(noiseNonce(counter)));
    PureJavaChaChaPoly ours = new PureJavaChaChaPoly();
    byte[] key = key(5);
    ours.init(key);
    byte[] ct = new byte[5 + 16];
    ours.encrypt(counter, new byte[0], "hello".getBytes(StandardCharsets.US_ASCII), 0, 5, ct, 0);
    assertArrayEquals(jdkEncrypt(key, noiseNonce(counter), new byte[0],
        "hello".getBytes(StandardCharsets.US_ASCII)), ct);
    CipherState a = new CipherState(new PureJavaChaChaPoly());
    CipherState b = new CipherState(new ChaChaPolyAead.Jdk());
    a.initializeKey(key);
    b.initializeKey(key);
    for (int i = 0; i < 5; i++) {
      byte[] msg = new byte[i * 100];
      assertArrayEquals(b.encryptWithAd(new byte[3], msg), a.encryptWithAd(new byte[3], msg));
    }
  }
}
