package dev.weft.sim.engine;

import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageSigner;
import java.util.SplittableRandom;

/**
 * Deterministic node identities: an Ed25519-shaped public key protobuf whose 32 key bytes come
 * from (seed, node), inlined as an identity-multihash peer ID. No cryptography is simulated, so the
 * key needs only to be unique and stable. Under StrictSign a message carries a 64-byte signature
 * (the size of an Ed25519 one, so the bytes on the wire are right) that every node accepts: CPU
 * time is not modelled and simulated attackers never forge.
 */
public final class SimIdentity {
  private SimIdentity() {}

  /** Ed25519 signature length: what a signed message carries. */
  static final int SIGNATURE_BYTES = 64;

  /** A signer for {@code id}: deterministic 64-byte stand-in signatures. */
  static MessageSigner signer(PeerId id) {
    byte[] key = id.inlinedPublicKeyProtobuf();
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
        byte[] sig = new byte[SIGNATURE_BYTES];
        for (int k = 0; k < signingBytes.length; k++) {
          sig[k % SIGNATURE_BYTES] ^= signingBytes[k];
        }
        return sig;
      }
    };
  }

  /** Accepts any signature of the right length (see the class comment). */
  static boolean verify(byte[] publicKeyProtobuf, byte[] data, byte[] signature) {
    return signature.length == SIGNATURE_BYTES;
  }

  /** The peer ID of node {@code i} in a run seeded with {@code seed}. */
  public static PeerId peerId(long seed, int i) {
    SplittableRandom r = new SplittableRandom(seed ^ (0xA24BAED4963EE407L * (i + 1L)));
    byte[] pb = new byte[36];
    pb[0] = 0x08;
    pb[1] = 0x01;
    pb[2] = 0x12;
    pb[3] = 0x20;
    for (int k = 4; k < 36; k += 8) {
      long v = r.nextLong();
      for (int b = 0; b < 8; b++) {
        pb[k + b] = (byte) (v >>> (8 * b));
      }
    }
    pb[4] = (byte) (i >>> 24);
    pb[5] = (byte) (i >>> 16);
    pb[6] = (byte) (i >>> 8);
    pb[7] = (byte) i;
    return PeerId.fromPublicKeyProtobuf(pb);
  }
}
