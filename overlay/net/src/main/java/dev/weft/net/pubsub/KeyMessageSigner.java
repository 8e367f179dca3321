package dev.weft.net.pubsub;

import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageSigner;
import dev.weft.net.crypto.PrivKey;

/** Signs our publishes with the node's identity key (StrictSign). */
public final class KeyMessageSigner implements MessageSigner {
  private final PrivKey key;
  private final PeerId peerId;
  private final byte[] publicKeyProtobuf;

  public KeyMessageSigner(PrivKey key) {
    this.key = key;
    this.publicKeyProtobuf = key.publicKey().toProtobuf();
    this.peerId = PeerId.fromPublicKeyProtobuf(publicKeyProtobuf);
  }

  @Override
  public PeerId peerId() {
    return peerId;
  }

  @Override
  public byte[] publicKeyProtobuf() {
    return publicKeyProtobuf.clone();
  }

  @Override
  public byte[] sign(byte[] signingBytes) {
    return key.sign(signingBytes);
  }
}
