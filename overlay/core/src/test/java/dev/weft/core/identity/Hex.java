package dev.weft.core.identity;

import java.util.HexFormat;

final class Hex {
  private Hex() {}

  static byte[] b(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  static String s(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
