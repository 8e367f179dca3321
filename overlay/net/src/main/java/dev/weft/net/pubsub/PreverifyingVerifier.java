package dev.weft.net.pubsub;

import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.SignatureVerifier;
import dev.weft.core.wire.SigningBytes;
import dev.weft.net.crypto.Keys;
import dev.weft.net.crypto.PubKey;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Moves signature checks off the core's event loop: the connection's event loop verifies each
 * message of a decoded RPC ({@link #preverify}) and the results travel with the RPC; when the core
 * asks ({@link #verify}) the answer is a map lookup. A signature the core asks about that was not
 * pre-verified (it should not happen) is verified on the spot.
 */
final class PreverifyingVerifier implements SignatureVerifier {
  /** Results for the RPC being handed to the core; touched only on the core loop. */
  private Map<ByteBuffer, Boolean> current = Map.of();

  /** Verifies every signed message of {@code messages}; safe on any thread. */
  static Map<ByteBuffer, Boolean> preverify(Iterable<PubMessage> messages) {
    Map<ByteBuffer, Boolean> results = null;
    for (PubMessage m : messages) {
      if (!m.hasSignature() || !m.hasFrom()) {
        continue;
      }
      byte[] pub = authorKey(m);
      if (pub == null) {
        continue;
      }
      if (results == null) {
        results = new HashMap<>();
      }
      results.put(key(pub, m.signature()), verifyNow(pub, SigningBytes.of(m), m.signature()));
    }
    return results == null ? Map.of() : results;
  }

  void use(Map<ByteBuffer, Boolean> results) {
    current = results;
  }

  @Override
  public boolean verify(byte[] publicKeyProtobuf, byte[] data, byte[] signature) {
    Boolean r = current.get(key(publicKeyProtobuf, signature));
    return r != null ? r : verifyNow(publicKeyProtobuf, data, signature);
  }

  private static byte[] authorKey(PubMessage m) {
    if (m.hasKey()) {
      return m.key();
    }
    try {
      PeerId from = PeerId.fromBytes(m.from());
      return from.isIdentity() ? from.inlinedPublicKeyProtobuf() : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static ByteBuffer key(byte[] pub, byte[] sig) {
    ByteBuffer b = ByteBuffer.allocate(pub.length + sig.length);
    b.put(pub).put(sig).flip();
    return b;
  }

  static boolean verifyNow(byte[] publicKeyProtobuf, byte[] data, byte[] signature) {
    try {
      PubKey k = Keys.unmarshalPublicKey(publicKeyProtobuf);
      return k.verify(data, signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
