package dev.weft.core.gossip;

import dev.weft.core.events.RejectReason;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.SignatureVerifier;
import dev.weft.core.wire.SigningBytes;

/**
 * Message signing policy (spec "Signature Policy Options"). Every node on a topic must agree. The
 * legacy Lax* modes are not offered: go and js default to StrictSign and js supports only the two
 * strict modes.
 */
public enum SignaturePolicy {
  /**
   * Authors set from, seqno (8 bytes), signature and, when the key cannot be recovered from an
   * identity peer ID, key. Receivers reject anything missing or not verifying.
   */
  STRICT_SIGN,
  /** Authors set none of from/seqno/signature/key; receivers reject messages carrying any. */
  STRICT_NO_SIGN;

  /**
   * Checks {@code m} against this policy.
   *
   * @return null when acceptable, otherwise the reason to reject
   */
  public RejectReason check(PubMessage m, SignatureVerifier verifier) {
    if (this == STRICT_NO_SIGN) {
      return m.hasFrom() || m.hasSeqno() || m.hasSignature() || m.hasKey()
          ? RejectReason.UNEXPECTED_SIGNATURE_FIELDS : null;
    }
    if (!m.hasSignature() || !m.hasFrom() || !m.hasSeqno()) {
      return RejectReason.MISSING_SIGNATURE;
    }
    if (m.seqno().length != 8) {
      return RejectReason.INVALID_SEQNO;
    }
    PeerId author;
    try {
      author = PeerId.fromBytes(m.from());
    } catch (IllegalArgumentException e) {
      return RejectReason.INVALID_AUTHOR;
    }
    byte[] key;
    if (m.hasKey()) {
      key = m.key();
      PeerId derived;
      try {
        derived = PeerId.fromPublicKeyProtobuf(key);
      } catch (RuntimeException e) {
        return RejectReason.KEY_MISMATCH;
      }
      if (!derived.equals(author)) {
        return RejectReason.KEY_MISMATCH;
      }
    } else if (author.isIdentity()) {
      key = author.inlinedPublicKeyProtobuf();
    } else {
      return RejectReason.KEY_MISMATCH;
    }
    boolean ok;
    try {
      ok = verifier.verify(key, SigningBytes.of(m), m.signature());
    } catch (RuntimeException e) {
      ok = false;
    }
    return ok ? null : RejectReason.INVALID_SIGNATURE;
  }

}
