package dev.weft.net.noise;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * ChaCha20-Poly1305 (RFC 8439) with the Noise nonce layout: 4 zero bytes followed by the 64-bit
 * counter little-endian. One instance holds one key and is not thread-safe; it is reused for every
 * message so that per-frame work allocates as little as possible.
 *
 * <p>Three back ends exist so the benchmark ({@code NoiseCipherBenchmark}) can compare them;
 * {@link #create()} returns {@link PureJavaChaChaPoly}, the fastest measured on JDK 17 (numbers in
 * docs/benchmarks.md). The JDK and BouncyCastle ones serve as references in tests and benchmarks.
 */
public interface ChaChaPolyAead {
  /** Authentication tag length in bytes. */
  int TAG_LENGTH = 16;

  /** Sets the 32-byte key. */
  void init(byte[] key);

  /** Encrypts {@code len} bytes into {@code out}; returns the ciphertext length ({@code len + 16}). */
  int encrypt(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff);

  /** Decrypts and authenticates; returns the plaintext length ({@code len - 16}). */
  int decrypt(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
      throws NoiseException;

  /** The default (fastest measured) implementation. */
  static ChaChaPolyAead create() {
    return new PureJavaChaChaPoly();
  }

  /** Writes the 12-byte Noise nonce for {@code counter} into {@code nonce12}. */
  static void noiseNonce(long counter, byte[] nonce12) {
    nonce12[0] = 0;
    nonce12[1] = 0;
    nonce12[2] = 0;
    nonce12[3] = 0;
    for (int i = 0; i < 8; i++) {
      nonce12[4 + i] = (byte) (counter >>> (8 * i));
    }
  }

  /** BouncyCastle lightweight {@link ChaCha20Poly1305}; the key schedule is kept across messages. */
  final class BouncyCastle implements ChaChaPolyAead {
    private final ChaCha20Poly1305 cipher = new ChaCha20Poly1305();
    private final byte[] nonce = new byte[12];
    private KeyParameter key;
    private boolean keyLoaded;
    private Boolean lastDirection;

    @Override
    public void init(byte[] key) {
      if (key.length != 32) {
        throw new IllegalArgumentException("ChaChaPoly key must be 32 bytes");
      }
      this.key = new KeyParameter(key);
      this.keyLoaded = false;
    }

    private void start(boolean encrypt, long counter, byte[] ad) {
      ChaChaPolyAead.noiseNonce(counter, nonce);
      // Passing a null key re-uses the already loaded key (no key re-expansion, no allocation of
      // key material); the first use and any direction change load it explicitly.
      boolean reuse = keyLoaded && lastDirection != null && lastDirection == encrypt;
      cipher.init(encrypt, new ParametersWithIV(reuse ? null : key, nonce));
      keyLoaded = true;
      lastDirection = encrypt;
      if (ad != null && ad.length > 0) {
        cipher.processAADBytes(ad, 0, ad.length);
      }
    }

    @Override
    public int encrypt(long counter, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
      start(true, counter, ad);
      int n = cipher.processBytes(in, inOff, len, out, outOff);
      try {
        return n + cipher.doFinal(out, outOff + n);
      } catch (InvalidCipherTextException e) {
        throw new IllegalStateException("encryption cannot fail", e);
      }
    }

    @Override
    public int decrypt(long counter, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
        throws NoiseException {
      if (len < TAG_LENGTH) {
        throw new NoiseException("ciphertext shorter than the tag: " + len);
      }
      start(false, counter, ad);
      try {
        int n = cipher.processBytes(in, inOff, len, out, outOff);
        return n + cipher.doFinal(out, outOff + n);
      } catch (InvalidCipherTextException e) {
        throw new NoiseException("decryption failed: bad tag");
      }
    }
  }

  /** JDK 11+ "ChaCha20-Poly1305" {@link Cipher}; re-initialised per message as the JCA demands. */
  final class Jdk implements ChaChaPolyAead {
    private final Cipher cipher;
    private final byte[] nonce = new byte[12];
    private SecretKeySpec key;

    public Jdk() {
      try {
        cipher = Cipher.getInstance("ChaCha20-Poly1305");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("JDK lacks ChaCha20-Poly1305", e);
      }
    }

    @Override
    public void init(byte[] key) {
      this.key = new SecretKeySpec(key, "ChaCha20");
    }

    @Override
    public int encrypt(long counter, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
      try {
        ChaChaPolyAead.noiseNonce(counter, nonce);
        cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
        if (ad != null && ad.length > 0) {
          cipher.updateAAD(ad);
        }
        return cipher.doFinal(in, inOff, len, out, outOff);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("encryption failed", e);
      }
    }

    @Override
    public int decrypt(long counter, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
        throws NoiseException {
      if (len < TAG_LENGTH) {
        throw new NoiseException("ciphertext shorter than the tag: " + len);
      }
      try {
        ChaChaPolyAead.noiseNonce(counter, nonce);
        cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce));
        if (ad != null && ad.length > 0) {
          cipher.updateAAD(ad);
        }
        return cipher.doFinal(in, inOff, len, out, outOff);
      } catch (AEADBadTagException e) {
        throw new NoiseException("decryption failed: bad tag");
      } catch (GeneralSecurityException e) {
        throw new NoiseException("decryption failed: " + e.getMessage(), e);
      }
    }
  }
}
