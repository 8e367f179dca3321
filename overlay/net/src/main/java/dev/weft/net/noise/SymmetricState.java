package dev.weft.net.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Noise SymmetricState for SHA-256: chaining key, handshake hash and the handshake CipherState. */
final class SymmetricState {
  static final int HASH_LEN = 32;

  private final MessageDigest sha256;
  private final Mac hmac;
  private final CipherState cipher = new CipherState();
  private byte[] ck;
  private byte[] h;

  SymmetricState(String protocolName) {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
      hmac = Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK lacks SHA-256/HmacSHA256", e);
    }
    byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
    // A name of at most HASHLEN bytes is zero-padded; a longer one is hashed.
    h = name.length <= HASH_LEN ? Arrays.copyOf(name, HASH_LEN) : sha256.digest(name);
    ck = h.clone();
  }

  void mixHash(byte[] data) {
    mixHash(data, 0, data.length);
  }

  void mixHash(byte[] data, int off, int len) {
    sha256.update(h);
    sha256.update(data, off, len);
    h = sha256.digest();
  }

  void mixKey(byte[] ikm) {
    byte[][] out = hkdf2(ikm);
    ck = out[0];
    cipher.initializeKey(out[1]);
  }

  byte[] encryptAndHash(byte[] plaintext) throws NoiseException {
    byte[] ct = cipher.encryptWithAd(h, plaintext);
    mixHash(ct);
    return ct;
  }

  byte[] decryptAndHash(byte[] ciphertext, int off, int len) throws NoiseException {
    byte[] ct = Arrays.copyOfRange(ciphertext, off, off + len);
    byte[] pt = cipher.decryptWithAd(h, ct);
    mixHash(ct);
    return pt;
  }

  boolean hasKey() {
    return cipher.hasKey();
  }

  byte[] handshakeHash() {
    return h.clone();
  }

  /** Split(): (c1 for initiator-to-responder, c2 for responder-to-initiator). */
  CipherState[] split() {
    byte[][] keys = hkdf2(new byte[0]);
    CipherState c1 = new CipherState();
    c1.initializeKey(keys[0]);
    CipherState c2 = new CipherState();
    c2.initializeKey(keys[1]);
    Arrays.fill(ck, (byte) 0);
    return new CipherState[] {c1, c2};
  }

  /** Noise HKDF with two outputs, chaining key as salt. */
  private byte[][] hkdf2(byte[] ikm) {
    try {
      hmac.init(new SecretKeySpec(ck, "HmacSHA256"));
      byte[] tempKey = hmac.doFinal(ikm);
      hmac.init(new SecretKeySpec(tempKey, "HmacSHA256"));
      hmac.update((byte) 1);
      byte[] out1 = hmac.doFinal();
      hmac.update(out1);
      hmac.update((byte) 2);
      byte[] out2 = hmac.doFinal();
      Arrays.fill(tempKey, (byte) 0);
      return new byte[][] {out1, out2};
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
