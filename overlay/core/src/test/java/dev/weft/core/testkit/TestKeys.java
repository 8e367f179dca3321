package dev.weft.core.testkit;

import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageSigner;
import dev.weft.core.wire.SignatureVerifier;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Deterministic fake identities for tests and simulations: an "Ed25519-shaped" public key protobuf
 * derived from (seed, index), an identity peer ID, and a keyed-hash "signature"
 * (SHA-256(key || data)). Forgeable by design; exercises every code path of StrictSign except the
 * cryptography, which the net module's real keys cover.
 */
public final class TestKeys {
  private TestKeys() {}

  /** The fake public key protobuf of node {@code index}. */
  public static byte[] publicKey(long seed, int index) {
    byte[] raw = sha256(ByteBuffer.allocate(12).putLong(seed).putInt(index).array());
    byte[] pb = new byte[36];
    pb[0] = 0x08;
    pb[1] = 0x01;
    pb[2] = 0x12;
    pb[3] = 0x20;
    System.arraycopy(raw, 0, pb, 4, 32);
    return pb;
  }

  /** The peer ID of node {@code index}. */
  public static PeerId peerId(long seed, int index) {
    return PeerId.fromPublicKeyProtobuf(publicKey(seed, index));
  }

  /** A signer for node {@code index}. */
  public static MessageSigner signer(long seed, int index) {
    byte[] key = publicKey(seed, index);
    PeerId id = PeerId.fromPublicKeyProtobuf(key);
    return new MessageSigner() {
      @Override
      public PeerId peerId() {
        return id;
      }

      @Override
      public byte[] publicKeyProtobuf() {
        return key.clone();
      }

      @Override
      public byte[] sign(byte[] signingBytes) {
        return fakeSignature(key, signingBytes);
      }
    };
  }

  /** Verifies signatures made by {@link #signer}. */
  public static SignatureVerifier verifier() {
    return (key, data, sig) -> Arrays.equals(fakeSignature(key, data), sig);
  }

  static byte[] fakeSignature(byte[] key, byte[] data) {
    byte[] in = new byte[key.length + data.length];
    System.arraycopy(key, 0, in, 0, key.length);
    System.arraycopy(data, 0, in, key.length, data.length);
    return sha256(in);
  }

  static byte[] sha256(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(in);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
