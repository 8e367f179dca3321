package dev.weft.core.identity;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The few multibase encodings needed for peer IDs and multiaddr values: base32 lower-case without
 * padding (prefix {@code b}), base36 lower-case (prefix {@code k}), base58btc (prefix {@code z}) and
 * base64url without padding (prefix {@code u}).
 *
 * <p>Decoding accepts only these prefixes and throws {@link IllegalArgumentException} naming the
 * offending character or prefix. Upper-case base32/base36 ({@code B}/{@code K}) are accepted on
 * decode as the multibase table allows; encoding always uses the lower-case forms.
 */
public final class Multibase {
  /** Refuse multibase text longer than this; bounds decoding work (peer IDs are ~60 chars). */
  public static final int MAX_TEXT_CHARS = 4096;

  private static final String B32 = "abcdefghijklmnopqrstuvwxyz234567";
  private static final String B36 = "0123456789abcdefghijklmnopqrstuvwxyz";
  private static final BigInteger THIRTY_SIX = BigInteger.valueOf(36);

  private Multibase() {}

  /** Multibase base32 lower-case, unpadded, with prefix {@code b}. */
  public static String encodeBase32(byte[] data) {
    StringBuilder sb = new StringBuilder(1 + (data.length * 8 + 4) / 5);
    sb.append('b');
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        sb.append(B32.charAt((buffer >>> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(B32.charAt((buffer << (5 - bits)) & 31));
    }
    return sb.toString();
  }

  /** Multibase base36 lower-case with prefix {@code k} (leading zero bytes become '0'). */
  public static String encodeBase36(byte[] data) {
    int zeros = 0;
    while (zeros < data.length && data[zeros] == 0) {
      zeros++;
    }
    StringBuilder sb = new StringBuilder();
    sb.append('k');
    sb.append("0".repeat(zeros));
    if (zeros < data.length) {
      sb.append(new BigInteger(1, Arrays.copyOfRange(data, zeros, data.length)).toString(36));
    }
    return sb.toString();
  }

  /** Decodes multibase text with one of the supported prefixes ({@code b B k K z u}). */
  public static byte[] decode(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("multibase text is empty");
    }
    if (text.length() > MAX_TEXT_CHARS) {
      throw new IllegalArgumentException(
          "multibase text too long: " + text.length() + " chars, max " + MAX_TEXT_CHARS);
    }
    char prefix = text.charAt(0);
    String body = text.substring(1);
    return switch (prefix) {
      case 'b' -> decodeBase32(body);
      case 'B' -> decodeBase32(body.toLowerCase(java.util.Locale.ROOT));
      case 'k' -> decodeBase36(body);
      case 'K' -> decodeBase36(body.toLowerCase(java.util.Locale.ROOT));
      case 'z' -> Base58.decode(body);
      case 'u' -> decodeBase64Url(body);
      default -> throw new IllegalArgumentException(
          "unsupported multibase prefix '" + prefix + "' (supported: b, k, z, u)");
    };
  }

  private static byte[] decodeBase32(String body) {
    byte[] out = new byte[body.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int pos = 0;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      int v = B32.indexOf(c);
      if (v < 0) {
        throw new IllegalArgumentException(
            "invalid base32 character '" + c + "' at position " + (i + 1));
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out[pos++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0) {
      throw new IllegalArgumentException("base32 text has non-canonical trailing bits");
    }
    return out;
  }

  private static byte[] decodeBase36(String body) {
    if (body.isEmpty()) {
      return new byte[0];
    }
    int zeros = 0;
    while (zeros < body.length() && body.charAt(zeros) == '0') {
      zeros++;
    }
    for (int i = 0; i < body.length(); i++) {
      if (B36.indexOf(body.charAt(i)) < 0) {
        throw new IllegalArgumentException(
            "invalid base36 character '" + body.charAt(i) + "' at position " + (i + 1));
      }
    }
    byte[] rest = new byte[0];
    if (zeros < body.length()) {
      BigInteger n = BigInteger.ZERO;
      for (int i = zeros; i < body.length(); i++) {
        n = n.multiply(THIRTY_SIX).add(BigInteger.valueOf(B36.indexOf(body.charAt(i))));
      }
      rest = n.toByteArray();
      if (rest.length > 1 && rest[0] == 0) {
        rest = Arrays.copyOfRange(rest, 1, rest.length);
      }
    }
    byte[] out = new byte[zeros + rest.length];
    System.arraycopy(rest, 0, out, zeros, rest.length);
    return out;
  }

  private static byte[] decodeBase64Url(String body) {
    if (body.indexOf('=') >= 0 || body.indexOf('+') >= 0 || body.indexOf('/') >= 0) {
      throw new IllegalArgumentException("base64url multibase text must be unpadded and url-safe");
    }
    try {
      return java.util.Base64.getUrlDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid base64url text: " + e.getMessage(), e);
    }
  }

  /** Multibase base64url, unpadded, with prefix {@code u}. */
  public static String encodeBase64Url(byte[] data) {
    return "u" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(data);
  }
}
