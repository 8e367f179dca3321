package dev.weft.net.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * secp256k1 keys as libp2p uses them: 32-byte private scalar, 33-byte compressed SEC1 public key,
 * signatures are ECDSA over SHA-256(message), DER-encoded.
 *
 * <p>Signing uses RFC 6979 deterministic nonces and always produces low-S signatures
 * ({@code s <= n/2}), like go (btcec) and js (@noble/curves). Verification accepts only strict DER
 * with low S, matching js/noble's default ({@code lowS: true}); go's btcec also accepts high-S, so
 * a high-S signature made by some other implementation would verify in go but not here or in js.
 * A 65-byte uncompressed public key is accepted on input and re-encoded compressed (as js does).
 */
public final class Secp256k1Keys {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  private static final BigInteger N = CURVE.getN();
  private static final BigInteger HALF_N = N.shiftRight(1);
  /** Longest DER signature: 30 44 (02 21 r) (02 21 s) = 72 bytes. */
  private static final int MAX_SIGNATURE_BYTES = 72;

  private Secp256k1Keys() {}

  public static PrivKey generate(SecureRandom random) {
    BigInteger d;
    do {
      d = new BigInteger(256, random);
    } while (d.signum() == 0 || d.compareTo(N) >= 0);
    return new Priv(d);
  }

  /** A private key from its 32-byte big-endian scalar (must be in 1..n-1). */
  public static PrivKey fromPrivateBytes(byte[] scalar) {
    return unmarshalPrivate(scalar);
  }

  static PrivKey unmarshalPrivate(byte[] data) {
    if (data.length != 32) {
      throw new IllegalArgumentException("secp256k1 private key must be 32 bytes, got " + data.length);
    }
    BigInteger d = new BigInteger(1, data);
    if (d.signum() == 0 || d.compareTo(N) >= 0) {
      throw new IllegalArgumentException("secp256k1 private key is not in range 1..n-1");
    }
    return new Priv(d);
  }

  static PubKey unmarshalPublic(byte[] data) {
    boolean compressed = data.length == 33 && (data[0] == 0x02 || data[0] == 0x03);
    boolean uncompressed = data.length == 65 && data[0] == 0x04;
    if (!compressed && !uncompressed) {
      throw new IllegalArgumentException(
          "secp256k1 public key must be 33 bytes compressed or 65 bytes uncompressed SEC1, got "
              + data.length + " bytes");
    }
    ECPoint point;
    try {
      point = CURVE.getCurve().decodePoint(data);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("secp256k1 public key is not a point on the curve", e);
    }
    if (point.isInfinity() || !point.isValid()) {
      throw new IllegalArgumentException("secp256k1 public key is not a valid curve point");
    }
    return new Pub(point.normalize());
  }

  private static byte[] sha256(byte[] message) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(message);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  static final class Priv implements PrivKey {
    private final ECPrivateKeyParameters params;
    private final Pub pub;

    Priv(BigInteger d) {
      this.params = new ECPrivateKeyParameters(d, DOMAIN);
      this.pub = new Pub(new FixedPointCombMultiplier().multiply(DOMAIN.getG(), d).normalize());
    }

    @Override
    public KeyType type() {
      return KeyType.SECP256K1;
    }

    @Override
    public byte[] raw() {
      byte[] b = params.getD().toByteArray();
      byte[] out = new byte[32];
      int n = Math.min(b.length, 32);
      System.arraycopy(b, b.length - n, out, 32 - n, n);
      return out;
    }

    @Override
    public byte[] sign(byte[] message) {
      ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
      signer.init(true, params);
      BigInteger[] rs = signer.generateSignature(sha256(message));
      BigInteger s = rs[1].compareTo(HALF_N) > 0 ? N.subtract(rs[1]) : rs[1];
      try {
        return new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(s)})
            .getEncoded(ASN1Encoding.DER);
      } catch (IOException e) {
        throw new IllegalStateException("DER encoding failed", e);
      }
    }

    @Override
    public PubKey publicKey() {
      return pub;
    }
  }

  static final class Pub implements PubKey {
    private final ECPublicKeyParameters params;
    private final byte[] raw;

    Pub(ECPoint point) {
      this.params = new ECPublicKeyParameters(point, DOMAIN);
      this.raw = point.getEncoded(true);
    }

    @Override
    public KeyType type() {
      return KeyType.SECP256K1;
    }

    @Override
    public byte[] raw() {
      return raw.clone();
    }

    @Override
    public boolean verify(byte[] message, byte[] signature) {
      if (message == null || signature == null || signature.length < 8
          || signature.length > MAX_SIGNATURE_BYTES) {
        return false;
      }
      BigInteger r;
      BigInteger s;
      try {
        ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(signature));
        if (seq.size() != 2) {
          return false;
        }
        r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
        s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
        byte[] canonical = new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)})
            .getEncoded(ASN1Encoding.DER);
        if (!Arrays.equals(canonical, signature)) {
          return false; // not strict DER (trailing bytes, long-form lengths, padding)
        }
      } catch (IOException | RuntimeException e) {
        return false;
      }
      if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(HALF_N) > 0) {
        return false;
      }
      ECDSASigner verifier = new ECDSASigner();
      verifier.init(false, params);
      return verifier.verifySignature(sha256(message), r, s);
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
