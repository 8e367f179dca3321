package dev.weft.net.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 keys (RFC 8032, no pre-hash). The libp2p private key encoding is seed(32) || public(32);
 * the legacy 96-byte form seed || pub || pub is accepted when both public copies agree.
 */
public final class Ed25519Keys {
  private Ed25519Keys() {}

  public static PrivKey generate(SecureRandom random) {
    return new Priv(new Ed25519PrivateKeyParameters(random));
  }

  /** A private key from a 32-byte seed (deterministic; tests and simulator identities). */
  public static PrivKey fromSeed(byte[] seed) {
    if (seed.length != Ed25519.SECRET_KEY_SIZE) {
      throw new IllegalArgumentException("Ed25519 seed must be 32 bytes, got " + seed.length);
    }
    return new Priv(new Ed25519PrivateKeyParameters(seed, 0));
  }

  static PrivKey unmarshalPrivate(byte[] data) {
    if (data.length != 64 && data.length != 96) {
      throw new IllegalArgumentException(
          "Ed25519 private key must be 64 (seed||pub) or 96 bytes, got " + data.length);
    }
    Priv key = new Priv(new Ed25519PrivateKeyParameters(data, 0));
    byte[] claimedPub = Arrays.copyOfRange(data, 32, 64);
    if (!Arrays.equals(claimedPub, key.pub.raw())
        || (data.length == 96 && !Arrays.equals(claimedPub, Arrays.copyOfRange(data, 64, 96)))) {
      throw new IllegalArgumentException("Ed25519 private key: embedded public key does not match the seed");
    }
    return key;
  }

  static PubKey unmarshalPublic(byte[] data) {
    if (data.length != Ed25519.PUBLIC_KEY_SIZE) {
      throw new IllegalArgumentException("Ed25519 public key must be 32 bytes, got " + data.length);
    }
    return new Pub(new Ed25519PublicKeyParameters(data, 0));
  }

  static final class Priv implements PrivKey {
    private final Ed25519PrivateKeyParameters params;
    private final Pub pub;

    Priv(Ed25519PrivateKeyParameters params) {
      this.params = params;
      this.pub = new Pub(params.generatePublicKey());
    }

    @Override
    public KeyType type() {
      return KeyType.ED25519;
    }

    @Override
    public byte[] raw() {
      byte[] out = new byte[64];
      params.encode(out, 0);
      System.arraycopy(pub.raw, 0, out, 32, 32);
      return out;
    }

    @Override
    public byte[] sign(byte[] message) {
      byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
      params.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, sig, 0);
      return sig;
    }

    @Override
    public PubKey publicKey() {
      return pub;
    }
  }

  static final class Pub implements PubKey {
    private final Ed25519PublicKeyParameters params;
    private final byte[] raw;

    Pub(Ed25519PublicKeyParameters params) {
      this.params = params;
      this.raw = params.getEncoded();
    }

    @Override
    public KeyType type() {
      return KeyType.ED25519;
    }

    @Override
    public byte[] raw() {
      return raw.clone();
    }

    @Override
    public boolean verify(byte[] message, byte[] signature) {
      if (signature == null || signature.length != Ed25519.SIGNATURE_SIZE) {
        return false;
      }
      return params.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Pub other && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(raw);
    }
  }
}
