package dev.weft.net.crypto;

import dev.weft.core.identity.PeerId;

/** A libp2p public key. Implementations are immutable and thread-safe. */
public interface PubKey {
  KeyType type();

  /** The raw key bytes as carried in the protobuf {@code Data} field. */
  byte[] raw();

  /** Verifies {@code signature} over {@code message} with the libp2p signing rules of this type. */
  boolean verify(byte[] message, byte[] signature);

  /** The deterministic {@code PublicKey} protobuf bytes ({@code 08 type 12 len data}). */
  default byte[] toProtobuf() {
    return Keys.marshalPublicKey(this);
  }

  default PeerId peerId() {
    return PeerId.fromPublicKeyProtobuf(toProtobuf());
  }
}
