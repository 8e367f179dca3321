package dev.weft.core.wire;

import dev.weft.core.identity.PeerId;

/**
 * SPI: signs messages this node publishes under StrictSign. Declared in core, implemented in
 * {@code dev.weft.net} with the node's real private key (and by fakes in tests and the simulator).
 * Must be deterministic for a given key and input when used in the simulator.
 */
public interface MessageSigner {
  /** The author peer ID put in {@code from}. */
  PeerId peerId();

  /** The author's serialised {@code PublicKey} protobuf, put in {@code key} when it is needed. */
  byte[] publicKeyProtobuf();

  /** Signs {@code signingBytes} (see {@link SigningBytes}). */
  byte[] sign(byte[] signingBytes);
}
