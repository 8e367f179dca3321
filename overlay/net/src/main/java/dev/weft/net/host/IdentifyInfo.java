package dev.weft.net.host;

import dev.weft.core.identity.Multiaddr;
import java.util.List;
import java.util.Optional;

/**
 * What a peer told us about itself through identify.
 *
 * @param protocols protocols the peer accepts inbound streams for
 * @param listenAddrs the peer's listen addresses (without /p2p)
 * @param observedAddr our address as the peer sees it, if sent
 * @param signedPeerRecord verified signed peer record envelope bytes, if sent
 */
public record IdentifyInfo(
    String protocolVersion,
    String agentVersion,
    List<String> protocols,
    List<Multiaddr> listenAddrs,
    Optional<Multiaddr> observedAddr,
    Optional<byte[]> signedPeerRecord) {
  public IdentifyInfo {
    protocols = List.copyOf(protocols);
    listenAddrs = List.copyOf(listenAddrs);
  }

  public boolean supports(String protocol) {
    return protocols.contains(protocol);
  }
}
