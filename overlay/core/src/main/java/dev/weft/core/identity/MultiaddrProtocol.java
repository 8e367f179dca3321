package dev.weft.core.identity;

import java.util.HashMap;
import java.util.Map;

/**
 * The multiaddr protocols weft understands, with their multicodec codes and value sizes.
 *
 * <p>{@link #size()} is the value size in bytes for fixed-size values, {@link #VARIABLE} for
 * length-prefixed values and {@code 0} for protocols without a value. {@code ipfs} is accepted as
 * a text alias of {@link #P2P} and never printed.
 */
public enum MultiaddrProtocol {
  IP4(4, "ip4", 4),
  TCP(6, "tcp", 2),
  UDP(273, "udp", 2),
  IP6(41, "ip6", 16),
  IP6ZONE(42, "ip6zone", MultiaddrProtocol.VARIABLE),
  DNS(53, "dns", MultiaddrProtocol.VARIABLE),
  DNS4(54, "dns4", MultiaddrProtocol.VARIABLE),
  DNS6(55, "dns6", MultiaddrProtocol.VARIABLE),
  DNSADDR(56, "dnsaddr", MultiaddrProtocol.VARIABLE),
  WEBRTC_DIRECT(280, "webrtc-direct", 0),
  WEBRTC(281, "webrtc", 0),
  P2P_CIRCUIT(290, "p2p-circuit", 0),
  P2P(421, "p2p", MultiaddrProtocol.VARIABLE),
  HTTPS(443, "https", 0),
  TLS(448, "tls", 0),
  SNI(449, "sni", MultiaddrProtocol.VARIABLE),
  NOISE(454, "noise", 0),
  QUIC(460, "quic", 0),
  QUIC_V1(461, "quic-v1", 0),
  WEBTRANSPORT(465, "webtransport", 0),
  CERTHASH(466, "certhash", MultiaddrProtocol.VARIABLE),
  WS(477, "ws", 0),
  WSS(478, "wss", 0),
  HTTP(480, "http", 0);

  /** Marker for length-prefixed values. */
  public static final int VARIABLE = -1;

  private static final Map<Integer, MultiaddrProtocol> BY_CODE = new HashMap<>();
  private static final Map<String, MultiaddrProtocol> BY_NAME = new HashMap<>();

  static {
    for (MultiaddrProtocol p : values()) {
      BY_CODE.put(p.code, p);
      BY_NAME.put(p.protocolName, p);
    }
    BY_NAME.put("ipfs", P2P);
  }

  private final int code;
  private final String protocolName;
  private final int size;

  MultiaddrProtocol(int code, String protocolName, int size) {
    this.code = code;
    this.protocolName = protocolName;
    this.size = size;
  }

  /** The multicodec code (written as an unsigned varint). */
  public int code() {
    return code;
  }

  /** The canonical text name ({@code p2p}, never {@code ipfs}). */
  public String protocolName() {
    return protocolName;
  }

  /** Value size in bytes, {@link #VARIABLE}, or 0 when the protocol has no value. */
  public int size() {
    return size;
  }

  public boolean hasValue() {
    return size != 0;
  }

  /** The protocol with this code, or {@code null}. */
  public static MultiaddrProtocol byCode(long code) {
    return code > Integer.MAX_VALUE ? null : BY_CODE.get((int) code);
  }

  /** The protocol with this text name (including the {@code ipfs} alias), or {@code null}. */
  public static MultiaddrProtocol byName(String name) {
    return BY_NAME.get(name);
  }
}
