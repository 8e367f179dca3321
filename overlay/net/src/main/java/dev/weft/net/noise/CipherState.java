package dev.weft.net.noise;

/**
 * Noise CipherState: a key (or none) plus a 64-bit message counter. Without a key, encryption and
 * decryption are the identity (handshake message 1). Not thread-safe; one per direction.
 *
 * <p>The counter value 2^64-1 is reserved by the Noise spec; reaching it fails every further call,
 * and the connection must then be closed (no rekeying is used by libp2p).
 */
public final class CipherState {
  /** Reserved nonce value 2^64-1 (as an unsigned long). */
  static final long EXHAUSTED = -1L;

  private final ChaChaPolyAead aead;
  private boolean hasKey;
  private long nonce;

  public CipherState() {
    this(ChaChaPolyAead.create());
  }

  public CipherState(ChaChaPolyAead aead) {
    this.aead = aead;
  }

  public void initializeKey(byte[] key) {
    aead.init(key);
    hasKey = true;
    nonce = 0;
  }

  public boolean hasKey() {
    return hasKey;
  }

  /** The next nonce (an unsigned 64-bit counter). */
  public long nonce() {
    return nonce;
  }

  /** Noise SetNonce; used by tests to reach the exhaustion boundary. */
  public void setNonce(long n) {
    nonce = n;
  }

  private void checkNonce() throws NoiseException {
    if (nonce == EXHAUSTED) {
      throw new NoiseException("nonce exhausted (2^64-1 messages); the session must be closed");
    }
  }

  /**
   * Encrypts {@code len} bytes of {@code in} into {@code out} (which must have room for
   * {@code len + 16} bytes, or {@code len} without a key); returns the bytes written.
   */
  public int encryptWithAd(byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
      throws NoiseException {
    if (!hasKey) {
      System.arraycopy(in, inOff, out, outOff, len);
      return len;
    }
    checkNonce();
    int n = aead.encrypt(nonce, ad, in, inOff, len, out, outOff);
    nonce++;
    return n;
  }

  /** Decrypts {@code len} bytes (ciphertext plus tag) into {@code out}; returns the plaintext length. */
  public int decryptWithAd(byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
      throws NoiseException {
    if (!hasKey) {
      System.arraycopy(in, inOff, out, outOff, len);
      return len;
    }
    checkNonce();
    int n = aead.decrypt(nonce, ad, in, inOff, len, out, outOff);
    nonce++;
    return n;
  }

  public byte[] encryptWithAd(byte[] ad, byte[] plaintext) throws NoiseException {
    byte[] out = new byte[plaintext.length + (hasKey ? ChaChaPolyAead.TAG_LENGTH : 0)];
    encryptWithAd(ad, plaintext, 0, plaintext.length, out, 0);
    return out;
  }

  public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws NoiseException {
    if (hasKey && ciphertext.length < ChaChaPolyAead.TAG_LENGTH) {
      throw new NoiseException("ciphertext shorter than the tag: " + ciphertext.length);
    }
    byte[] out = new byte[ciphertext.length - (hasKey ? ChaChaPolyAead.TAG_LENGTH : 0)];
    decryptWithAd(ad, ciphertext, 0, ciphertext.length, out, 0);
    return out;
  }
}
