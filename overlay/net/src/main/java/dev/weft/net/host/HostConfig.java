package dev.weft.net.host;

import dev.weft.core.identity.Multiaddr;
import dev.weft.net.crypto.PrivKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Immutable host settings; {@link Builder#build()} checks every rule and names the field.
 *
 * @param identity the node's libp2p identity key (Ed25519 by default)
 * @param listenAddrs TCP addresses to listen on ({@code /ip4|ip6/…/tcp/port}; port 0 = ephemeral)
 * @param agentVersion sent in identify; default {@code weft/<version>}
 * @param protocolVersion sent in identify; {@code ipfs/0.1.0} as js and go send
 * @param muxers muxers in preference order; the first must be {@code /yamux/1.0.0}
 *     because it is the only one offered through Noise early negotiation
 * @param maxInboundConnections accepted connections beyond this are closed at once (default 512)
 * @param maxOutboundConnections dials beyond this fail (default 512)
 * @param dialTimeout TCP connect plus full upgrade for an outbound connection (default 10 s)
 * @param handshakeTimeout multistream + Noise + muxer negotiation (default 10 s, as js)
 * @param dialBackoffBase first backoff after a failed dial; doubles per failure (default 1 s)
 * @param dialBackoffMax backoff ceiling (default 5 min)
 * @param yamuxKeepAlive interval of yamux keepalive pings (default 30 s, as js)
 * @param ioThreads Netty event-loop threads for connections (default 2)
 * @param gater admission policy (health's ban list plugs in here)
 * @param emulation in-process link emulator registry, or null (tests and the demo shape this
 *     node's outbound bytes per remote peer: latency, jitter, loss, bandwidth, partitions)
 * @param streamNegotiationTimeout multistream negotiation of one stream, inbound or outbound; an
 *     unfinished one is reset with a logged reason (default 10 s, as js)
 */
public record HostConfig(
    PrivKey identity,
    List<Multiaddr> listenAddrs,
    String agentVersion,
    String protocolVersion,
    List<String> muxers,
    int maxInboundConnections,
    int maxOutboundConnections,
    Duration dialTimeout,
    Duration handshakeTimeout,
    Duration dialBackoffBase,
    Duration dialBackoffMax,
    Duration yamuxKeepAlive,
    int ioThreads,
    ConnectionGater gater,
    dev.weft.net.emulation.LinkEmulatorRegistry emulation,
    Duration streamNegotiationTimeout) {

  public static final String YAMUX = "/yamux/1.0.0";
  public static final String MPLEX = "/mplex/6.7.0";
  public static final String DEFAULT_AGENT = "weft/0.1.0";

  public static Builder builder(PrivKey identity) {
    return new Builder(identity);
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private final PrivKey identity;
    private final List<Multiaddr> listenAddrs = new ArrayList<>();
    private String agentVersion = DEFAULT_AGENT;
    private String protocolVersion = "ipfs/0.1.0";
    private List<String> muxers = List.of(YAMUX, MPLEX);
    private int maxInboundConnections = 512;
    private int maxOutboundConnections = 512;
    private Duration dialTimeout = Duration.ofSeconds(10);
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration dialBackoffBase = Duration.ofSeconds(1);
    private Duration dialBackoffMax = Duration.ofMinutes(5);
    private Duration yamuxKeepAlive = Duration.ofSeconds(30);
    private Duration streamNegotiationTimeout = Duration.ofSeconds(10);
    private int ioThreads = 2;
    private ConnectionGater gater = ConnectionGater.ALLOW_ALL;
    private dev.weft.net.emulation.LinkEmulatorRegistry emulation;

    private Builder(PrivKey identity) {
      this.identity = identity;
    }

    public Builder listen(Multiaddr addr) {
      listenAddrs.add(addr);
      return this;
    }

    public Builder agentVersion(String v) {
      agentVersion = v;
      return this;
    }

    public Builder protocolVersion(String v) {
      protocolVersion = v;
      return this;
    }

    public Builder muxers(List<String> v) {
      muxers = List.copyOf(v);
      return this;
    }

    public Builder maxInboundConnections(int v) {
      maxInboundConnections = v;
      return this;
    }

    public Builder maxOutboundConnections(int v) {
      maxOutboundConnections = v;
      return this;
    }

    public Builder dialTimeout(Duration v) {
      dialTimeout = v;
      return this;
    }

    public Builder handshakeTimeout(Duration v) {
      handshakeTimeout = v;
      return this;
    }

    public Builder dialBackoff(Duration base, Duration max) {
      dialBackoffBase = base;
      dialBackoffMax = max;
      return this;
    }

    public Builder streamNegotiationTimeout(Duration v) {
      streamNegotiationTimeout = v;
      return this;
    }

    public Builder yamuxKeepAlive(Duration v) {
      yamuxKeepAlive = v;
      return this;
    }

    public Builder ioThreads(int v) {
      ioThreads = v;
      return this;
    }

    public Builder gater(ConnectionGater v) {
      gater = v;
      return this;
    }

    /** Shapes this node's links through {@code registry}, keyed by peer ID (base58). */
    public Builder emulation(dev.weft.net.emulation.LinkEmulatorRegistry registry) {
      emulation = registry;
      return this;
    }

    public HostConfig build() {
      Objects.requireNonNull(identity, "identity must be set");
      require(!agentVersion.isBlank(), "agentVersion must not be blank");
      require(!muxers.isEmpty(), "muxers must list at least one muxer");
      for (String m : muxers) {
        require(m.equals(YAMUX) || m.equals(MPLEX),
            "muxers: unknown muxer '" + m + "' (supported: " + YAMUX + ", " + MPLEX + ")");
      }
      require(maxInboundConnections >= 0, "maxInboundConnections=" + maxInboundConnections + " must be >= 0");
      require(maxOutboundConnections >= 0, "maxOutboundConnections=" + maxOutboundConnections + " must be >= 0");
      positive("dialTimeout", dialTimeout);
      positive("handshakeTimeout", handshakeTimeout);
      positive("dialBackoffBase", dialBackoffBase);
      require(dialBackoffMax.compareTo(dialBackoffBase) >= 0,
          "dialBackoffMax=" + dialBackoffMax + " must be >= dialBackoffBase=" + dialBackoffBase);
      positive("yamuxKeepAlive", yamuxKeepAlive);
      positive("streamNegotiationTimeout", streamNegotiationTimeout);
      require(ioThreads >= 1 && ioThreads <= 64, "ioThreads=" + ioThreads + " must be in 1..64");
      return new HostConfig(identity, List.copyOf(listenAddrs), agentVersion, protocolVersion,
          List.copyOf(muxers), maxInboundConnections, maxOutboundConnections, dialTimeout,
          handshakeTimeout, dialBackoffBase, dialBackoffMax, yamuxKeepAlive, ioThreads, gater,
          emulation, streamNegotiationTimeout);
    }

    private static void positive(String name, Duration d) {
      require(d != null && !d.isNegative() && !d.isZero(), name + "=" + d + " must be > 0");
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
