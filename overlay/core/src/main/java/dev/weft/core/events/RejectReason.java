package dev.weft.core.events;

/**
 * Why a received message was rejected. Rejections are invalid-message evidence (score P4 in the
 * spec) and the message is never forwarded.
 */
public enum RejectReason {
  /** StrictSign: signature, from or seqno absent. */
  MISSING_SIGNATURE,
  /** StrictSign: signature does not verify. */
  INVALID_SIGNATURE,
  /** StrictSign: {@code from} is not a valid peer-ID multihash. */
  INVALID_AUTHOR,
  /** StrictSign: {@code key} does not derive to {@code from}, or no key can be recovered. */
  KEY_MISMATCH,
  /** StrictSign: seqno is not exactly 8 bytes. */
  INVALID_SEQNO,
  /** StrictNoSign: the message carries from, seqno, signature or key. */
  UNEXPECTED_SIGNATURE_FIELDS,
  /** The application validator answered REJECT. */
  VALIDATOR_REJECTED
}
