package dev.weft.net.crypto;

/** libp2p key types, numbered as in the key protobuf. */
public enum KeyType {
  RSA(0),
  ED25519(1),
  SECP256K1(2),
  ECDSA(3);

  private final int code;

  KeyType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static KeyType fromCode(int code) {
    for (KeyType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown libp2p key type " + code);
  }
}
