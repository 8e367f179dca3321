package dev.weft.core.gossip;

/**
 * The pubsub protocol a peer's stream negotiated; features are gated on it (digest §6.1): no
 * control messages to floodsub peers, no PRUNE backoff/PX to 1.0 peers, IDONTWANT only to ≥1.2.
 * {@code /meshsub/1.3.0} peers are treated as 1.2 (weft advertises no v1.3 extension).
 */
public enum PeerProtocol {
  /** {@code /floodsub/1.0.0}: messages and subscriptions only. */
  FLOODSUB("/floodsub/1.0.0", 0),
  /** {@code /meshsub/1.0.0}: mesh, IHAVE/IWANT, GRAFT/PRUNE. */
  MESHSUB_1_0("/meshsub/1.0.0", 10),
  /** {@code /meshsub/1.1.0}: PRUNE backoff and PX, scoring. */
  MESHSUB_1_1("/meshsub/1.1.0", 11),
  /** {@code /meshsub/1.2.0}: IDONTWANT. */
  MESHSUB_1_2("/meshsub/1.2.0", 12),
  /** {@code /meshsub/1.3.0}: extensions (none used by weft; behaves as 1.2). */
  MESHSUB_1_3("/meshsub/1.3.0", 13);

  private final String id;
  private final int level;

  PeerProtocol(String id, int level) {
    this.id = id;
    this.level = level;
  }

  /** The multistream protocol ID. */
  public String id() {
    return id;
  }

  /** Parses a negotiated protocol ID; throws IllegalArgumentException for anything else. */
  public static PeerProtocol fromId(String protocolId) {
    for (PeerProtocol p : values()) {
      if (p.id.equals(protocolId)) {
        return p;
      }
    }
    throw new IllegalArgumentException("not a pubsub protocol: " + protocolId);
  }

  /** True for meshsub (any version): the peer understands control messages and can be meshed. */
  public boolean supportsMesh() {
    return level >= 10;
  }

  /** True for ≥1.1: PRUNE carries backoff and PX. */
  public boolean supportsBackoffAndPx() {
    return level >= 11;
  }

  /** True for ≥1.2: IDONTWANT. */
  public boolean supportsIDontWant() {
    return level >= 12;
  }
}
