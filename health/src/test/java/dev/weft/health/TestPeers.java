package dev.weft.health;

import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Deterministic peer IDs and message IDs for health tests. */
public final class TestPeers {
  private TestPeers() {}

  /** The peer ID of test node {@code i} (an identity ID over a fake Ed25519 key). */
  public static PeerId peer(int i) {
    byte[] raw = sha256(ByteBuffer.allocate(8).putInt(0x5eed).putInt(i).array());
    byte[] pb = new byte[36];
    pb[0] = 0x08;
    pb[1] = 0x01;
    pb[2] = 0x12;
    pb[3] = 0x20;
    System.arraycopy(raw, 0, pb, 4, 32);
    return PeerId.fromPublicKeyProtobuf(pb);
  }

  /** Message ID number {@code i}. */
  public static MessageId msg(int i) {
    return MessageId.of(ByteBuffer.allocate(4).putInt(i).array());
  }

  static byte[] sha256(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(in);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
