package dev.weft.net.host;

import dev.weft.core.identity.Multiaddr;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/** Conversions between multiaddrs and socket addresses for the TCP transport. */
public final class Addrs {
  private Addrs() {}

  /** {@code /ip4|ip6/<addr>/tcp/<port>} for a socket address. */
  public static Multiaddr toMultiaddr(SocketAddress address) {
    InetSocketAddress isa = (InetSocketAddress) address;
    InetAddress ip = isa.getAddress();
    String proto = ip instanceof Inet6Address ? "ip6" : "ip4";
    String host = ip.getHostAddress();
    int zone = host.indexOf('%');
    if (zone >= 0) {
      host = host.substring(0, zone);
    }
    return Multiaddr.fromString("/" + proto + "/" + host + "/tcp/" + isa.getPort());
  }

  /**
   * The TCP socket address a multiaddr names. {@code /dns*} names are resolved here (blocking);
   * call it off the event loop.
   *
   * @throws IllegalArgumentException when the address is not a dialable TCP address
   */
  public static InetSocketAddress toSocketAddress(Multiaddr addr) {
    String host = addr.host();
    Integer port = addr.tcpPort();
    if (host == null || port == null) {
      throw new IllegalArgumentException(
          "not a TCP address (need /ip4|/ip6|/dns*/<host>/tcp/<port>): " + addr);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve host '" + host + "' in " + addr, e);
    }
  }
}
