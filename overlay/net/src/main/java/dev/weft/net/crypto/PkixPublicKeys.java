package dev.weft.net.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Verify-only RSA and ECDSA public keys (DER SubjectPublicKeyInfo), so signatures of older peers
 * (go-ipfs RSA identities, ECDSA test peers) can be checked. weft never creates these keys and
 * cannot parse their private halves.
 *
 * <p>RSA: PKCS#1 v1.5 with SHA-256, modulus 2048..8192 bits (go-libp2p's bounds). ECDSA: DER
 * signature over SHA-256 on P-256, P-384 or P-521 (the curves go supports). The raw bytes are
 * kept exactly as received so the peer ID derived from them matches the sender's.
 */
public final class PkixPublicKeys {
  static final int MIN_RSA_BITS = 2048;
  static final int MAX_RSA_BITS = 8192;
  private static final int MAX_DER_BYTES = 2048;

  private PkixPublicKeys() {}

  static PubKey unmarshalRsa(byte[] der) {
    PublicKey key = decode("RSA", der);
    if (!(key instanceof RSAPublicKey rsa)) {
      throw new IllegalArgumentException("RSA public key is not an RSA SubjectPublicKeyInfo");
    }
    int bits = rsa.getModulus().bitLength();
    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
      throw new IllegalArgumentException(
          "RSA key has " + bits + " bits, allowed " + MIN_RSA_BITS + ".." + MAX_RSA_BITS);
    }
    return new Pub(KeyType.RSA, der, key, "SHA256withRSA");
  }

  static PubKey unmarshalEcdsa(byte[] der) {
    PublicKey key = decode("EC", der);
    if (!(key instanceof ECPublicKey ec)) {
      throw new IllegalArgumentException("ECDSA public key is not an EC SubjectPublicKeyInfo");
    }
    int bits = ec.getParams().getCurve().getField().getFieldSize();
    if (bits != 256 && bits != 384 && bits != 521) {
      throw new IllegalArgumentException("ECDSA curve of " + bits + " bits is not P-256/384/521");
    }
    if (!onCurve(ec)) {
      throw new IllegalArgumentException("ECDSA public key is not a point on its curve");
    }
    return new Pub(KeyType.ECDSA, der, key, "SHA256withECDSA");
  }

  /** The JDK's KeyFactory does not check this; an off-curve point enables invalid-curve tricks. */
  private static boolean onCurve(ECPublicKey key) {
    if (!(key.getParams().getCurve().getField() instanceof ECFieldFp field)) {
      return false;
    }
    BigInteger p = field.getP();
    BigInteger x = key.getW().getAffineX();
    BigInteger y = key.getW().getAffineY();
    if (x == null || y == null || x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0
        || y.compareTo(p) >= 0) {
      return false;
    }
    BigInteger a = key.getParams().getCurve().getA();
    BigInteger b = key.getParams().getCurve().getB();
    BigInteger lhs = y.multiply(y).mod(p);
    BigInteger rhs = x.pow(3).add(a.multiply(x)).add(b).mod(p);
    return lhs.equals(rhs);
  }

  private static PublicKey decode(String algorithm, byte[] der) {
    if (der.length == 0 || der.length > MAX_DER_BYTES) {
      throw new IllegalArgumentException(
          algorithm + " public key DER must be 1.." + MAX_DER_BYTES + " bytes, got " + der.length);
    }
    try {
      return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "malformed " + algorithm + " SubjectPublicKeyInfo: " + e.getMessage(), e);
    }
  }

  static final class Pub implements PubKey {
    private final KeyType type;
    private final byte[] raw;
    private final PublicKey key;
    private final String algorithm;

    Pub(KeyType type, byte[] raw, PublicKey key, String algorithm) {
      this.type = type;
      this.raw = raw.clone();
      this.key = key;
      this.algorithm = algorithm;
    }

    @Override
    public KeyType type() {
      return type;
    }

    @Override
    public byte[] raw() {
      return raw.clone();
    }

    @Override
    public boolean verify(byte[] message, byte[] signature) {
      if (message == null || signature == null || signature.length == 0
          || signature.length > 1024) {
        return false;
      }
      try {
        Signature v = Signature.getInstance(algorithm);
        v.initVerify(key);
        v.update(message);
        return v.verify(signature);
      } catch (GeneralSecurityException | RuntimeException e) {
        return false;
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Pub other && type == other.type && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
      return type.hashCode() * 31 + Arrays.hashCode(raw);
    }
  }
}
