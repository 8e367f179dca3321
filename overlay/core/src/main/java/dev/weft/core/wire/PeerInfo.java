package dev.weft.core.wire;

import dev.weft.core.identity.PeerId;
import java.util.Arrays;
import java.util.Objects;

/**
 * A peer-exchange entry carried in a PRUNE (v1.1): the peer's ID and, when known, its signed peer
 * record envelope (opaque here; the net layer verifies it before dialling).
 *
 * @param peerId the suggested peer
 * @param signedPeerRecord serialised signed envelope, or {@code null} when unknown
 */
public record PeerInfo(PeerId peerId, byte[] signedPeerRecord) {
  /** Checks the peer ID and copies the record bytes. */
  public PeerInfo {
    Objects.requireNonNull(peerId, "peerId");
    signedPeerRecord = signedPeerRecord == null ? null : signedPeerRecord.clone();
  }

  /** A copy of the signed record, or {@code null}. */
  @Override
  public byte[] signedPeerRecord() {
    return signedPeerRecord == null ? null : signedPeerRecord.clone();
  }

  int signedPeerRecordLength() {
    return signedPeerRecord == null ? -1 : signedPeerRecord.length;
  }

  byte[] signedPeerRecordUnsafe() {
    return signedPeerRecord;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerInfo p && peerId.equals(p.peerId)
        && Arrays.equals(signedPeerRecord, p.signedPeerRecord);
  }

  @Override
  public int hashCode() {
    return 31 * peerId.hashCode() + Arrays.hashCode(signedPeerRecord);
  }

  @Override
  public String toString() {
    return "PeerInfo[" + peerId + (signedPeerRecord == null ? "" : ", record=" + signedPeerRecord.length + "B") + "]";
  }
}
