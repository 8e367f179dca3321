package dev.weft.net.crypto;

/** A libp2p private key. Implementations are immutable and thread-safe. */
public interface PrivKey {
  KeyType type();

  /** The raw key bytes as carried in the protobuf {@code Data} field. */
  byte[] raw();

  /** Signs {@code message} with the libp2p signing rules of this type. */
  byte[] sign(byte[] message);

  PubKey publicKey();

  /** The deterministic {@code PrivateKey} protobuf bytes. */
  default byte[] toProtobuf() {
    return Keys.marshalPrivateKey(this);
  }
}
