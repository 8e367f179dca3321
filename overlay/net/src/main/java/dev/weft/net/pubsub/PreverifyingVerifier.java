package dev.weft.net.pubsub;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.SignatureVerifier;
import dev.weft.core.wire.SigningBytes;
import dev.weft.net.crypto.Keys;
import dev.weft.net.crypto.PubKey;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * Moves signature checks off the core's event loop: the connection's event loop verifies each
 * message of a decoded RPC ({@link #preverify}) and the results travel with the RPC; when the core
 * asks ({@link #verify}) the answer is a map lookup. A signature the core asks about that was not
 * pre-verified (it should not happen) is verified on the spot.
 *
 * <p>In a mesh every message arrives about D times, before the core can tell it is a duplicate,
 * so verdicts are cached by SHA-256 of (key, signed bytes, signature): each distinct message is
 * verified once per node, whichever connection it arrives on first. Parsed author keys are cached
 * too. Both caches are bounded.
 */
final class PreverifyingVerifier implements SignatureVerifier {
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  private final Cache<ByteBuffer, Boolean> verdicts =
      Caffeine.newBuilder().maximumSize(200_000).build();
  private final Cache<ByteBuffer, PubKey> authorKeys =
      Caffeine.newBuilder().maximumSize(10_000).build();
  /** Results for the RPC being handed to the core; touched only on the core loop. */
  private Map<ByteBuffer, Boolean> current = Map.of();

  /** Verifies every signed message of {@code messages}; safe on any thread. */
  Map<ByteBuffer, Boolean> preverify(Iterable<PubMessage> messages) {
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
      byte[] data = SigningBytes.of(m);
      ByteBuffer k = key(pub, data, m.signature());
      results.put(k, verdicts.get(k, x -> verifyNow(pub, data, m.signature())));
    }
    return results == null ? Map.of() : results;
  }

  void use(Map<ByteBuffer, Boolean> results) {
    current = results;
  }

  @Override
  public boolean verify(byte[] publicKeyProtobuf, byte[] data, byte[] signature) {
    ByteBuffer k = key(publicKeyProtobuf, data, signature);
    Boolean r = current.get(k);
    return r != null ? r : verdicts.get(k, x -> verifyNow(publicKeyProtobuf, data, signature));
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

  private static ByteBuffer key(byte[] pub, byte[] data, byte[] sig) {
    MessageDigest d = SHA256.get();
    d.update(ByteBuffer.allocate(8).putInt(pub.length).putInt(sig.length).array());
    d.update(pub);
    d.update(sig);
    d.update(data);
    return ByteBuffer.wrap(d.digest());
  }

  private boolean verifyNow(byte[] publicKeyProtobuf, byte[] data, byte[] signature) {
    try {
      PubKey k = authorKeys.get(ByteBuffer.wrap(publicKeyProtobuf.clone()),
          x -> Keys.unmarshalPublicKey(publicKeyProtobuf));
      return k.verify(data, signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
