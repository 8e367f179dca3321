package dev.weft.core.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A libp2p peer ID: the multihash of the peer's serialised {@code PublicKey} protobuf.
 *
 * <p>Keys whose protobuf is at most 42 bytes (Ed25519, secp256k1) use the identity multihash
 * {@code 0x00 len key}; longer ones (RSA, ECDSA) use sha2-256 {@code 0x12 0x20 digest}. The binary
 * form (the multihash bytes) is what goes on the wire; {@link #toBase58()} is the usual text form.
 * Immutable; equality is by bytes.
 */
public final class PeerId implements Comparable<PeerId> {
  /** Largest multihash we accept for a peer ID (sha2-512 with headroom); bounds parsing. */
  public static final int MAX_BYTES = 128;

  private static final int IDENTITY_MAX_KEY_BYTES = 42;
  private static final byte CID_VERSION_1 = 0x01;
  private static final int LIBP2P_KEY_CODEC = 0x72;

  private final byte[] bytes;
  private final int hash;

  private PeerId(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** Wraps multihash bytes after checking that they are a well-formed identity or sha2-256 hash. */
  public static PeerId fromBytes(byte[] multihash) {
    if (multihash == null || multihash.length < 2 || multihash.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "peer ID must be a multihash of 2.." + MAX_BYTES + " bytes, got "
              + (multihash == null ? "null" : multihash.length + " bytes"));
    }
    int code = multihash[0] & 0xFF;
    if (code != 0x00 && code != 0x12) {
      throw new IllegalArgumentException(
          "peer ID multihash must be identity (0x00) or sha2-256 (0x12), got 0x"
              + Integer.toHexString(code));
    }
    int len = multihash[1] & 0xFF;
    if ((len & 0x80) != 0 || len != multihash.length - 2) {
      throw new IllegalArgumentException(
          "peer ID multihash length byte " + len + " does not match " + (multihash.length - 2)
              + " digest bytes");
    }
    if (code == 0x12 && len != 32) {
      throw new IllegalArgumentException("sha2-256 peer ID digest must be 32 bytes, got " + len);
    }
    return new PeerId(multihash.clone());
  }

  /** Derives the peer ID from a serialised libp2p {@code PublicKey} protobuf. */
  public static PeerId fromPublicKeyProtobuf(byte[] publicKeyProtobuf) {
    if (publicKeyProtobuf.length <= IDENTITY_MAX_KEY_BYTES) {
      byte[] mh = new byte[2 + publicKeyProtobuf.length];
      mh[0] = 0x00;
      mh[1] = (byte) publicKeyProtobuf.length;
      System.arraycopy(publicKeyProtobuf, 0, mh, 2, publicKeyProtobuf.length);
      return new PeerId(mh);
    }
    byte[] mh = new byte[34];
    mh[0] = 0x12;
    mh[1] = 0x20;
    System.arraycopy(sha256(publicKeyProtobuf), 0, mh, 2, 32);
    return new PeerId(mh);
  }

  /** Parses the base58btc text form ({@code 12D3KooW…}, {@code Qm…}, {@code 16Uiu2…}). */
  public static PeerId fromBase58(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("peer ID text is empty");
    }
    if (text.length() > 2 * MAX_BYTES) {
      throw new IllegalArgumentException("peer ID text is too long (" + text.length() + " chars)");
    }
    try {
      return fromBytes(Base58.decode(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid peer ID '" + text + "': " + e.getMessage(), e);
    }
  }

  /**
   * Parses any text form of a peer ID: text starting with {@code 1} or {@code Qm} is a base58btc
   * multihash; anything else is a multibase-encoded CIDv1 whose codec must be libp2p-key (0x72).
   */
  public static PeerId parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("peer ID text is empty");
    }
    if (text.startsWith("1") || text.startsWith("Qm")) {
      return fromBase58(text);
    }
    if (text.length() > 4 * MAX_BYTES) {
      throw new IllegalArgumentException("peer ID text is too long (" + text.length() + " chars)");
    }
    try {
      return fromCidBytes(Multibase.decode(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid peer ID '" + text + "': " + e.getMessage(), e);
    }
  }

  /** Parses binary CIDv1 {@code 0x01 0x72 multihash}; rejects other versions and codecs. */
  public static PeerId fromCidBytes(byte[] cid) {
    if (cid == null || cid.length < 4) {
      throw new IllegalArgumentException("CID too short to be a peer ID");
    }
    if (cid[0] != CID_VERSION_1) {
      throw new IllegalArgumentException(
          "peer ID CID must be version 1, got first byte 0x" + Integer.toHexString(cid[0] & 0xFF));
    }
    if ((cid[1] & 0xFF) != LIBP2P_KEY_CODEC) {
      throw new IllegalArgumentException(
          "peer ID CID codec must be libp2p-key (0x72), got 0x" + Integer.toHexString(cid[1] & 0xFF));
    }
    return fromBytes(Arrays.copyOfRange(cid, 2, cid.length));
  }

  /** Binary CIDv1 form: {@code 0x01 0x72 || multihash}. */
  public byte[] toCidBytes() {
    byte[] out = new byte[bytes.length + 2];
    out[0] = CID_VERSION_1;
    out[1] = (byte) LIBP2P_KEY_CODEC;
    System.arraycopy(bytes, 0, out, 2, bytes.length);
    return out;
  }

  /** CIDv1 text form, multibase base32 lower-case unpadded ({@code bafz…}), as js/go print it. */
  public String toCidString() {
    return Multibase.encodeBase32(toCidBytes());
  }

  /** CIDv1 text form in multibase base36 ({@code k51…}), as used in IPNS names. */
  public String toCidBase36() {
    return Multibase.encodeBase36(toCidBytes());
  }

  /** True when the public key is inlined (identity multihash), so it can be recovered from the ID. */
  public boolean isIdentity() {
    return bytes[0] == 0x00;
  }

  /** The inlined public key protobuf of an identity peer ID; throws for sha2-256 IDs. */
  public byte[] inlinedPublicKeyProtobuf() {
    if (!isIdentity()) {
      throw new IllegalStateException("peer ID " + this + " does not inline its public key");
    }
    return Arrays.copyOfRange(bytes, 2, bytes.length);
  }

  /** The multihash bytes (a copy). */
  public byte[] toBytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  public String toBase58() {
    return Base58.encode(bytes);
  }

  @Override
  public String toString() {
    return toBase58();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId other && hash == other.hash && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(PeerId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  private static byte[] sha256(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(in);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
