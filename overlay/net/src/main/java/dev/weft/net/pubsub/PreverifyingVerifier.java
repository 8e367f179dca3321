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
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Moves signature checks off the core's event loop: the connection's event loop verifies each
 * message of a decoded RPC ({@link #preverify}) and the results travel with the RPC; when the core
 * asks ({@link #verify}) the answer is a map lookup. A signature the core asks about that was not
 * pre-verified (it should not happen) is verified on the spot.
 *
 * <p>In a mesh every message arrives about D times, before the core can tell it is a duplicate,
 * so verdicts are cached: each distinct message is verified once per node, whichever connection it
 * arrives on first. The cache is keyed by (signature, key) and keeps the signed bytes; a hit counts
 * only when the bytes are equal too (a plain array compare, cheaper than hashing them), so a forged
 * copy that reuses a genuine signature is verified (and refused) on its own. Parsed author keys are
 * cached too. Both caches are bounded (verdicts by the bytes they hold).
 */
final class PreverifyingVerifier implements SignatureVerifier {
  /** Bytes of signed data (plus per-entry overhead) the verdict cache may hold. */
  static final long MAX_VERDICT_BYTES = 16L << 20;

  /** The signed bytes a verdict was reached for. */
  record Verdict(byte[] data, boolean ok) {}

  private final Cache<ByteBuffer, Verdict> verdicts = Caffeine.newBuilder()
      .maximumWeight(MAX_VERDICT_BYTES)
      .weigher((ByteBuffer k, Verdict v) -> v.data().length + k.capacity() + 64)
      .build();
  private final Cache<ByteBuffer, PubKey> authorKeys =
      Caffeine.newBuilder().maximumSize(10_000).build();
  private final java.util.concurrent.atomic.AtomicLong verifications =
      new java.util.concurrent.atomic.AtomicLong();
  /** Results for the RPC being handed to the core; touched only on the core loop. */
  private Map<ByteBuffer, Verdict> current = Map.of();

  /** Verifies every signed message of {@code messages}; safe on any thread. */
  Map<ByteBuffer, Verdict> preverify(Iterable<PubMessage> messages) {
    Map<ByteBuffer, Verdict> results = null;
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
      ByteBuffer k = key(pub, m.signature());
      results.put(k, new Verdict(data, verdict(k, pub, data, m.signature())));
    }
    return results == null ? Map.of() : results;
  }

  void use(Map<ByteBuffer, Verdict> results) {
    current = results;
  }

  @Override
  public boolean verify(byte[] publicKeyProtobuf, byte[] data, byte[] signature) {
    if (signature == null) {
      return false;
    }
    ByteBuffer k = key(publicKeyProtobuf, signature);
    Verdict r = current.get(k);
    return r != null && Arrays.equals(r.data(), data) ? r.ok()
        : verdict(k, publicKeyProtobuf, data, signature);
  }

  /** The cached verdict for exactly these bytes, or a fresh check (then cached). */
  private boolean verdict(ByteBuffer k, byte[] pub, byte[] data, byte[] sig) {
    Verdict v = verdicts.getIfPresent(k);
    if (v != null && Arrays.equals(v.data(), data)) {
      return v.ok();
    }
    boolean ok = verifyNow(pub, data, sig);
    verdicts.put(k, new Verdict(data, ok));
    return ok;
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

  /** (signature, key) with the signature's length first, so no two pairs share a key. */
  private static ByteBuffer key(byte[] pub, byte[] sig) {
    return ByteBuffer.allocate(4 + sig.length + pub.length).putInt(sig.length).put(sig).put(pub)
        .flip();
  }

  /** Signature checks actually run (cache misses), since start. */
  long verifications() {
    return verifications.get();
  }

  private boolean verifyNow(byte[] publicKeyProtobuf, byte[] data, byte[] signature) {
    verifications.incrementAndGet();
    try {
      PubKey k = authorKeys.get(ByteBuffer.wrap(publicKeyProtobuf.clone()),
          x -> Keys.unmarshalPublicKey(publicKeyProtobuf));
      return k.verify(data, signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
