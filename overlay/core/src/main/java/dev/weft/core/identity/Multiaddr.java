package dev.weft.core.identity;

import dev.weft.core.util.Varint;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An immutable multiaddr: a sequence of (protocol, value) components with a text form
 * {@code /ip4/1.2.3.4/tcp/4001/p2p/12D3KooW…} and a binary form (each component is
 * {@code uvarint(code)} followed by its value, length-prefixed when variable).
 *
 * <p>Parsing is strict and bounded: binary input is limited to {@link #MAX_BYTES}, every length is
 * checked against the remaining input before anything is allocated, and all failures are
 * {@link IllegalArgumentException}s naming the offending component and the rule it broke. Only the
 * protocols in {@link MultiaddrProtocol} are understood; unknown codes or names are rejected (js
 * and go know more protocols, e.g. {@code unix}, {@code onion}, {@code http-path}).
 *
 * <p>Equality is by binary form, so {@code /ipfs/Qm…} equals {@code /p2p/Qm…} and a peer ID written
 * as CID text equals the same ID written in base58. The text form always prints {@code p2p} with a
 * base58 peer ID.
 */
public final class Multiaddr {
  /** Largest binary multiaddr accepted (js/go have no fixed limit; real addresses are &lt; 300). */
  public static final int MAX_BYTES = 1024;
  /** Largest text multiaddr accepted. */
  public static final int MAX_TEXT_CHARS = 4096;
  /** Largest host name / SNI value in bytes (DNS limit). */
  public static final int MAX_NAME_BYTES = 255;

  private static final Multiaddr EMPTY = new Multiaddr(List.of(), new byte[0]);

  private final List<Component> components;
  private final byte[] bytes;
  private final int hash;

  private Multiaddr(List<Component> components, byte[] bytes) {
    this.components = components;
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** The empty multiaddr ({@code /}). */
  public static Multiaddr empty() {
    return EMPTY;
  }

  /** Parses the text form; throws {@link IllegalArgumentException} naming the bad component. */
  public static Multiaddr parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("multiaddr text is null");
    }
    if (text.length() > MAX_TEXT_CHARS) {
      throw new IllegalArgumentException(
          "multiaddr text too long: " + text.length() + " chars, max " + MAX_TEXT_CHARS);
    }
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("multiaddr must start with '/': " + quoteShort(text));
    }
    String body = text.substring(1);
    if (body.length() > 1 && body.endsWith("/")) {
      body = body.substring(0, body.length() - 1);
    }
    if (body.isEmpty()) {
      return EMPTY;
    }
    String[] parts = body.split("/", -1);
    List<Component> out = new ArrayList<>();
    int i = 0;
    while (i < parts.length) {
      String name = parts[i++];
      if (name.isEmpty()) {
        throw new IllegalArgumentException("empty protocol name (\"//\") in " + text);
      }
      MultiaddrProtocol p = MultiaddrProtocol.byName(name);
      if (p == null) {
        throw new IllegalArgumentException("unknown protocol '" + name + "' in " + text);
      }
      if (!p.hasValue()) {
        out.add(new Component(p, new byte[0]));
        continue;
      }
      if (i >= parts.length) {
        throw new IllegalArgumentException(
            "protocol '" + name + "' requires a value but none was given in " + text);
      }
      String value = parts[i++];
      try {
        out.add(new Component(p, valueFromText(p, value)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + " in " + text, e);
      }
    }
    return of(out);
  }

  /** Parses the binary form; throws {@link IllegalArgumentException} naming the bad byte offset. */
  public static Multiaddr fromBytes(byte[] data) {
    if (data == null) {
      throw new IllegalArgumentException("multiaddr bytes are null");
    }
    if (data.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "multiaddr too long: " + data.length + " bytes, max " + MAX_BYTES);
    }
    List<Component> out = new ArrayList<>();
    int pos = 0;
    while (pos < data.length) {
      int start = pos;
      Varint.Decoded code;
      try {
        code = Varint.decode(data, pos, data.length);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "bad protocol code at byte " + start + " of multiaddr: " + e.getMessage(), e);
      }
      pos += code.length();
      MultiaddrProtocol p = MultiaddrProtocol.byCode(code.value());
      if (p == null) {
        throw new IllegalArgumentException(
            "unknown multiaddr protocol code 0x" + Long.toHexString(code.value()) + " at byte "
                + start);
      }
      int len = p.size();
      if (len == MultiaddrProtocol.VARIABLE) {
        Varint.Decoded l;
        try {
          l = Varint.decode(data, pos, data.length);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "bad value length for /" + p.protocolName() + " at byte " + pos + ": " + e.getMessage(),
              e);
        }
        pos += l.length();
        if (l.value() > data.length - pos) {
          throw new IllegalArgumentException(
              "/" + p.protocolName() + " value length " + l.value() + " exceeds the remaining "
                  + (data.length - pos) + " bytes at byte " + pos);
        }
        len = (int) l.value();
      } else if (len > data.length - pos) {
        throw new IllegalArgumentException(
            "truncated /" + p.protocolName() + " value: needs " + len + " bytes, "
                + (data.length - pos) + " left at byte " + pos);
      }
      byte[] value = Arrays.copyOfRange(data, pos, pos + len);
      try {
        validateBinaryValue(p, value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + " at byte " + start, e);
      }
      out.add(new Component(p, value));
      pos += len;
    }
    return new Multiaddr(Collections.unmodifiableList(out), data.clone());
  }

  /** Builds a multiaddr from components (already validated by {@link Component#of}). */
  public static Multiaddr of(List<Component> components) {
    int size = 0;
    for (Component c : components) {
      size += c.encodedLength();
    }
    if (size > MAX_BYTES) {
      throw new IllegalArgumentException(
          "multiaddr too long: " + size + " bytes encoded, max " + MAX_BYTES);
    }
    byte[] out = new byte[size];
    int pos = 0;
    for (Component c : components) {
      pos = c.writeTo(out, pos);
    }
    return new Multiaddr(List.copyOf(components), out);
  }

  /** The binary form (a copy). */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The components in order (unmodifiable). */
  public List<Component> components() {
    return components;
  }

  public boolean isEmpty() {
    return components.isEmpty();
  }

  /** True if any component uses protocol {@code p}. */
  public boolean has(MultiaddrProtocol p) {
    return first(p).isPresent();
  }

  /** The first component with protocol {@code p}. */
  public Optional<Component> first(MultiaddrProtocol p) {
    for (Component c : components) {
      if (c.protocol() == p) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** Port of the first {@code /tcp} component. */
  public OptionalInt tcpPort() {
    return first(MultiaddrProtocol.TCP).map(c -> OptionalInt.of(c.port())).orElse(OptionalInt.empty());
  }

  /** Port of the first {@code /udp} component. */
  public OptionalInt udpPort() {
    return first(MultiaddrProtocol.UDP).map(c -> OptionalInt.of(c.port())).orElse(OptionalInt.empty());
  }

  /** Text value of the first ip4/ip6/dns/dns4/dns6/dnsaddr component (IPv6 without brackets). */
  public Optional<String> host() {
    for (Component c : components) {
      switch (c.protocol()) {
        case IP4, IP6, DNS, DNS4, DNS6, DNSADDR -> {
          return Optional.of(c.valueString());
        }
        default -> { }
      }
    }
    return Optional.empty();
  }

  /** The peer ID of the last {@code /p2p} component (the target, for circuit addresses). */
  public Optional<PeerId> peerId() {
    for (int i = components.size() - 1; i >= 0; i--) {
      if (components.get(i).protocol() == MultiaddrProtocol.P2P) {
        return Optional.of(PeerId.fromBytes(components.get(i).value()));
      }
    }
    return Optional.empty();
  }

  /**
   * {@code /ip4/<ip>/tcp/<port>} or {@code /ip6/<ip>/tcp/<port>} from raw address bytes (4 or 16, as
   * {@code InetAddress.getAddress()} returns them); lets the network layer build addresses without
   * this pure module touching {@code java.net}.
   */
  public static Multiaddr ipTcp(byte[] ip, int port) {
    if (ip == null || (ip.length != 4 && ip.length != 16)) {
      throw new IllegalArgumentException("IP address must be 4 or 16 bytes, got "
          + (ip == null ? "null" : ip.length));
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("tcp port " + port + " out of range 0..65535");
    }
    MultiaddrProtocol p = ip.length == 4 ? MultiaddrProtocol.IP4 : MultiaddrProtocol.IP6;
    return of(List.of(new Component(p, ip.clone()),
        new Component(MultiaddrProtocol.TCP, new byte[] {(byte) (port >>> 8), (byte) port})));
  }

  /** This address without a trailing {@code /p2p/<id>} (as sent in identify and peer records). */
  public Multiaddr withoutPeerId() {
    int n = components.size();
    if (n > 0 && components.get(n - 1).protocol() == MultiaddrProtocol.P2P) {
      return of(components.subList(0, n - 1));
    }
    return this;
  }

  /** This address ending in {@code /p2p/<peerId>}, replacing any trailing {@code /p2p} component. */
  public Multiaddr withPeerId(PeerId peerId) {
    List<Component> out = new ArrayList<>(withoutPeerId().components);
    out.add(Component.p2p(peerId));
    return of(out);
  }

  /** This address followed by {@code other}'s components. */
  public Multiaddr encapsulate(Multiaddr other) {
    List<Component> out = new ArrayList<>(components);
    out.addAll(other.components);
    return of(out);
  }

  /** This address followed by the components parsed from {@code text}. */
  public Multiaddr encapsulate(String text) {
    return encapsulate(parse(text));
  }

  @Override
  public String toString() {
    if (components.isEmpty()) {
      return "/";
    }
    StringBuilder sb = new StringBuilder();
    for (Component c : components) {
      sb.append(c);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multiaddr other && hash == other.hash && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  // ---------------------------------------------------------------- value conversions

  static byte[] valueFromText(MultiaddrProtocol p, String v) {
    return switch (p) {
      case IP4 -> parseIp4(v);
      case IP6 -> parseIp6(v);
      case TCP, UDP -> parsePort(p, v);
      case DNS, DNS4, DNS6, DNSADDR, SNI -> nameBytes(p, v, MAX_NAME_BYTES);
      case IP6ZONE -> nameBytes(p, v, MAX_BYTES);
      case P2P -> {
        try {
          yield PeerId.parse(v).toBytes();
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("/p2p value: " + e.getMessage(), e);
        }
      }
      case CERTHASH -> {
        if (v.isEmpty()) {
          throw new IllegalArgumentException("empty /certhash value");
        }
        try {
          yield Multibase.decode(v);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "invalid multibase value '" + quoteShort(v) + "' for /certhash (" + e.getMessage()
                  + ")", e);
        }
      }
      default -> throw new IllegalStateException("protocol without value: " + p);
    };
  }

  static void validateBinaryValue(MultiaddrProtocol p, byte[] v) {
    switch (p) {
      case DNS, DNS4, DNS6, DNSADDR, SNI, IP6ZONE -> {
        String s = decodeUtf8(p, v);
        nameBytes(p, s, p == MultiaddrProtocol.IP6ZONE ? MAX_BYTES : MAX_NAME_BYTES);
      }
      case P2P -> {
        try {
          PeerId.fromBytes(v);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("invalid /p2p peer ID: " + e.getMessage(), e);
        }
      }
      case CERTHASH -> {
        if (v.length == 0) {
          throw new IllegalArgumentException("empty /certhash value");
        }
      }
      default -> { }
    }
  }

  static String valueToText(MultiaddrProtocol p, byte[] v) {
    return switch (p) {
      case IP4 -> (v[0] & 0xFF) + "." + (v[1] & 0xFF) + "." + (v[2] & 0xFF) + "." + (v[3] & 0xFF);
      case IP6 -> formatIp6(v);
      case TCP, UDP -> Integer.toString(((v[0] & 0xFF) << 8) | (v[1] & 0xFF));
      case DNS, DNS4, DNS6, DNSADDR, SNI, IP6ZONE -> new String(v, StandardCharsets.UTF_8);
      case P2P -> PeerId.fromBytes(v).toBase58();
      case CERTHASH -> Multibase.encodeBase64Url(v);
      default -> "";
    };
  }

  private static String decodeUtf8(MultiaddrProtocol p, byte[] v) {
    try {
      CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(v));
      return cb.toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("/" + p.protocolName() + " value is not valid UTF-8", e);
    }
  }

  private static byte[] nameBytes(MultiaddrProtocol p, String v, int max) {
    if (v.isEmpty()) {
      throw new IllegalArgumentException("empty /" + p.protocolName() + " value");
    }
    if (v.indexOf('/') >= 0) {
      throw new IllegalArgumentException("/" + p.protocolName() + " value must not contain '/'");
    }
    byte[] b = v.getBytes(StandardCharsets.UTF_8);
    if (b.length > max) {
      throw new IllegalArgumentException(
          "/" + p.protocolName() + " value is " + b.length + " bytes, max " + max);
    }
    return b;
  }

  private static byte[] parsePort(MultiaddrProtocol p, String v) {
    if (v.isEmpty() || v.length() > 5 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          p.protocolName() + " port '" + quoteShort(v) + "' is not a decimal number 0..65535");
    }
    int port = Integer.parseInt(v);
    if (port > 65535) {
      throw new IllegalArgumentException(
          p.protocolName() + " port " + port + " out of range 0..65535");
    }
    return new byte[] {(byte) (port >>> 8), (byte) port};
  }

  private static byte[] parseIp4(String v) {
    byte[] out = parseIp4OrNull(v);
    if (out == null) {
      throw new IllegalArgumentException(
          "ip4 address '" + quoteShort(v) + "' is not a dotted quad of 0..255 without leading zeros");
    }
    return out;
  }

  private static byte[] parseIp4OrNull(String v) {
    String[] parts = v.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String s = parts[i];
      if (s.isEmpty() || s.length() > 3 || (s.length() > 1 && s.charAt(0) == '0')
          || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int n = Integer.parseInt(s);
      if (n > 255) {
        return null;
      }
      out[i] = (byte) n;
    }
    return out;
  }

  private static byte[] parseIp6(String v) {
    byte[] out = parseIp6OrNull(v);
    if (out == null) {
      throw new IllegalArgumentException(
          "ip6 address '" + quoteShort(v) + "' is not a valid IPv6 literal (use /ip6zone for zones)");
    }
    return out;
  }

  private static byte[] parseIp6OrNull(String v) {
    if (v.isEmpty() || v.length() > 45) {
      return null;
    }
    int dbl = v.indexOf("::");
    if (dbl >= 0 && v.indexOf("::", dbl + 1) >= 0) {
      return null;
    }
    List<Integer> head = new ArrayList<>();
    List<Integer> tail = new ArrayList<>();
    if (dbl >= 0) {
      if (!parseGroups(v.substring(0, dbl), head, false)
          || !parseGroups(v.substring(dbl + 2), tail, true)) {
        return null;
      }
      if (head.size() + tail.size() > 7) {
        return null;
      }
    } else {
      if (!parseGroups(v, head, true) || head.size() != 8) {
        return null;
      }
    }
    byte[] out = new byte[16];
    for (int i = 0; i < head.size(); i++) {
      out[2 * i] = (byte) (head.get(i) >>> 8);
      out[2 * i + 1] = (byte) (int) head.get(i);
    }
    int off = 8 - tail.size();
    for (int i = 0; i < tail.size(); i++) {
      out[2 * (off + i)] = (byte) (tail.get(i) >>> 8);
      out[2 * (off + i) + 1] = (byte) (int) tail.get(i);
    }
    return out;
  }

  private static boolean parseGroups(String s, List<Integer> out, boolean allowIp4Tail) {
    if (s.isEmpty()) {
      return true;
    }
    String[] groups = s.split(":", -1);
    for (int i = 0; i < groups.length; i++) {
      String g = groups[i];
      if (i == groups.length - 1 && allowIp4Tail && g.indexOf('.') >= 0) {
        byte[] v4 = parseIp4OrNull(g);
        if (v4 == null) {
          return false;
        }
        out.add(((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF));
        out.add(((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF));
        continue;
      }
      if (g.isEmpty() || g.length() > 4) {
        return false;
      }
      int n = 0;
      for (int k = 0; k < g.length(); k++) {
        int d = Character.digit(g.charAt(k), 16);
        if (d < 0) {
          return false;
        }
        n = n * 16 + d;
      }
      out.add(n);
    }
    return true;
  }

  /** RFC 5952 canonical text: lower-case, longest run (&ge;2) of zero groups compressed. */
  private static String formatIp6(byte[] v) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((v[2 * i] & 0xFF) << 8) | (v[2 * i + 1] & 0xFF);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestLen < 2) {
      bestStart = -1;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  private static String quoteShort(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /** One multiaddr component: a protocol and its binary value (empty for value-less protocols). */
  public static final class Component {
    private final MultiaddrProtocol protocol;
    private final byte[] value;

    private Component(MultiaddrProtocol protocol, byte[] value) {
      this.protocol = protocol;
      this.value = value;
    }

    /** A component from a text value (ignored/null for value-less protocols). */
    public static Component of(MultiaddrProtocol protocol, String textValue) {
      if (!protocol.hasValue()) {
        return new Component(protocol, new byte[0]);
      }
      if (textValue == null) {
        throw new IllegalArgumentException("protocol '" + protocol.protocolName() + "' needs a value");
      }
      return new Component(protocol, valueFromText(protocol, textValue));
    }

    /** A {@code /p2p/<id>} component. */
    public static Component p2p(PeerId peerId) {
      return new Component(MultiaddrProtocol.P2P, peerId.toBytes());
    }

    public MultiaddrProtocol protocol() {
      return protocol;
    }

    /** The binary value (a copy). */
    public byte[] value() {
      return value.clone();
    }

    /** The value as printed in the text form ({@code ""} for value-less protocols). */
    public String valueString() {
      return valueToText(protocol, value);
    }

    int port() {
      return ((value[0] & 0xFF) << 8) | (value[1] & 0xFF);
    }

    int encodedLength() {
      int n = Varint.size(protocol.code()) + value.length;
      if (protocol.size() == MultiaddrProtocol.VARIABLE) {
        n += Varint.size(value.length);
      }
      return n;
    }

    int writeTo(byte[] out, int pos) {
      pos = Varint.write(protocol.code(), out, pos);
      if (protocol.size() == MultiaddrProtocol.VARIABLE) {
        pos = Varint.write(value.length, out, pos);
      }
      System.arraycopy(value, 0, out, pos, value.length);
      return pos + value.length;
    }

    @Override
    public String toString() {
      return protocol.hasValue()
          ? "/" + protocol.protocolName() + "/" + valueString()
          : "/" + protocol.protocolName();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Component c && c.protocol == protocol && Arrays.equals(c.value, value);
    }

    @Override
    public int hashCode() {
      return protocol.hashCode() * 31 + Arrays.hashCode(value);
    }
  }
}
