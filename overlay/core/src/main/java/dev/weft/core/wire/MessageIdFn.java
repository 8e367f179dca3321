package dev.weft.core.wire;

import dev.weft.core.identity.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Computes a message's ID. Every node on a topic must use the same function (digest §6.5), or
 * IHAVE/IWANT/IDONTWANT IDs never match and peers record broken promises. Implementations must be
 * total: malformed messages still get an ID (they are rejected later by the signature policy).
 */
@FunctionalInterface
public interface MessageIdFn {
  /** The ID of {@code m}. */
  MessageId apply(PubMessage m);

  /**
   * go-libp2p-pubsub's default: {@code from || seqno} (absent fields contribute nothing). Choose
   * this on mixed or go networks under StrictSign.
   */
  static MessageIdFn goDefault() {
    return m -> MessageId.wrap(concat(m.fromUnsafe(), m.seqnoUnsafe()));
  }

  /**
   * js-libp2p gossipsub (≥14) default under StrictSign: {@code PublicKey-protobuf(author) || seqno}.
   * The key is taken from {@code key} when present, else recovered from an identity-multihash
   * {@code from}; when neither works the raw {@code from} bytes are used (such a message fails
   * signature checks anyway).
   */
  static MessageIdFn jsDefault() {
    return m -> {
      byte[] key = m.keyUnsafe();
      if (key == null && m.fromUnsafe() != null) {
        try {
          PeerId author = PeerId.fromBytes(m.fromUnsafe());
          key = author.isIdentity() ? author.inlinedPublicKeyProtobuf() : m.fromUnsafe();
        } catch (IllegalArgumentException e) {
          key = m.fromUnsafe();
        }
      }
      return MessageId.wrap(concat(key, m.seqnoUnsafe()));
    };
  }

  /**
   * SHA-256 of the payload (32 raw bytes): js's default under StrictNoSign and the usual choice for
   * content-addressed topics (Ethereum consensus uses its own variant of this idea).
   */
  static MessageIdFn contentSha256() {
    return m -> {
      try {
        return MessageId.wrap(MessageDigest.getInstance("SHA-256").digest(m.dataUnsafe()));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required by every Java platform", e);
      }
    };
  }

  private static byte[] concat(byte[] a, byte[] b) {
    int la = a == null ? 0 : a.length;
    int lb = b == null ? 0 : b.length;
    byte[] out = new byte[la + lb];
    if (a != null) {
      System.arraycopy(a, 0, out, 0, la);
    }
    if (b != null) {
      System.arraycopy(b, 0, out, la, lb);
    }
    return out;
  }
}
