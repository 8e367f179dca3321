package dev.weft.sim.engine;

import dev.weft.core.identity.PeerId;
import java.util.SplittableRandom;

/**
 * Deterministic node identities: an Ed25519-shaped public key protobuf whose 32 key bytes come
 * from (seed, node), inlined as an identity-multihash peer ID. No cryptography is simulated
 * (topics run StrictNoSign), so the key needs only to be unique and stable.
 */
public final class SimIdentity {
  private SimIdentity() {}

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
