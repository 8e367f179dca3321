package dev.weft.net.noise;

import dev.weft.net.crypto.PrivKey;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's Noise credentials: its libp2p identity key, an X25519 static key pair and the signed
 * handshake payload. js keeps one static key per node and so can we: building this once and sharing
 * it across connections saves one signature per handshake. Immutable and thread-safe. The static
 * key is never persisted.
 */
public final class NoiseIdentity {
  private final PrivKey identity;
  private final X25519Keys.KeyPair staticKey;
  private final List<String> muxers;
  private final byte[] payload;

  public NoiseIdentity(PrivKey identity, X25519Keys.KeyPair staticKey, List<String> muxers) {
    this.identity = identity;
    this.staticKey = staticKey;
    this.muxers = List.copyOf(muxers);
    this.payload = NoiseHandshakePayloads.encode(identity, staticKey.pub(), this.muxers);
  }

  /** Most (identity, muxer list) pairs {@link #shared} remembers (simulators run many nodes). */
  private static final int SHARED_CACHE_SIZE = 4096;
  private static final Map<CacheKey, NoiseIdentity> SHARED = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<CacheKey, NoiseIdentity> eldest) {
      return size() > SHARED_CACHE_SIZE;
    }
  };

  /** Identity of the key object (not its bytes) plus the muxer list. */
  private record CacheKey(PrivKey identity, List<String> muxers) {
    @Override
    public boolean equals(Object o) {
      return o instanceof CacheKey k && k.identity == identity && k.muxers.equals(muxers);
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(identity) * 31 + muxers.hashCode();
    }
  }

  /**
   * The process-wide credentials for this identity key object and muxer list, created on first use:
   * one static key per node, as js does, so each handshake costs no extra signature.
   */
  public static NoiseIdentity shared(PrivKey identity, List<String> muxers, SecureRandom random) {
    CacheKey key = new CacheKey(identity, List.copyOf(muxers));
    synchronized (SHARED) {
      return SHARED.computeIfAbsent(key, k -> create(identity, k.muxers(), random));
    }
  }

  /** Fresh static key; muxer list as given (default callers pass {@code ["/yamux/1.0.0"]}). */
  public static NoiseIdentity create(PrivKey identity, List<String> muxers, SecureRandom random) {
    return new NoiseIdentity(identity, X25519Keys.KeyPair.generate(random), muxers);
  }

  public PrivKey identity() {
    return identity;
  }

  public X25519Keys.KeyPair staticKey() {
    return staticKey;
  }

  public List<String> muxers() {
    return muxers;
  }

  /** Our encoded payload (a copy). */
  public byte[] payload() {
    return payload.clone();
  }

  byte[] payloadUnsafe() {
    return payload;
  }
}
