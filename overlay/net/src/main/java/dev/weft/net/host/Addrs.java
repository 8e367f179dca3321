package dev.weft.net.host;

import dev.weft.core.identity.Multiaddr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.OptionalInt;

/** Conversions between multiaddrs and socket addresses for the TCP transport. */
public final class Addrs {
  private Addrs() {}

  /** {@code /ip4|ip6/<addr>/tcp/<port>} for a socket address. */
  public static Multiaddr toMultiaddr(SocketAddress address) {
    InetSocketAddress isa = (InetSocketAddress) address;
    return Multiaddr.ipTcp(isa.getAddress().getAddress(), isa.getPort());
  }

  /**
   * The TCP socket address a multiaddr names. {@code /dns*} names are resolved here (blocking).
   *
   * @throws IllegalArgumentException when the address is not a dialable TCP address
   */
  public static InetSocketAddress toSocketAddress(Multiaddr addr) {
    Optional<String> host = addr.host();
    OptionalInt port = addr.tcpPort();
    if (host.isEmpty() || port.isEmpty()) {
      throw new IllegalArgumentException(
          "not a TCP address (need /ip4|/ip6|/dns*/<host>/tcp/<port>): " + addr);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host.get()), port.getAsInt());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve host '" + host.get() + "' in " + addr, e);
    }
  }
}
