package dev.weft.net.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.core.identity.PeerId;
import dev.weft.net.pb.CryptoProto;
import java.security.SecureRandom;

/** Marshalling between libp2p key protobufs and key objects; the one place key bytes are parsed. */
public final class Keys {
  /** Upper bound on a serialised key protobuf we will parse (RSA-4096 SPKI is ~550 bytes). */
  public static final int MAX_KEY_PROTOBUF_BYTES = 4096;

  private Keys() {}

  public static byte[] marshalPublicKey(PubKey key) {
    return CryptoProto.PublicKey.newBuilder()
        .setType(CryptoProto.KeyType.forNumber(key.type().code()))
        .setData(ByteString.copyFrom(key.raw()))
        .build()
        .toByteArray();
  }

  public static byte[] marshalPrivateKey(PrivKey key) {
    return CryptoProto.PrivateKey.newBuilder()
        .setType(CryptoProto.KeyType.forNumber(key.type().code()))
        .setData(ByteString.copyFrom(key.raw()))
        .build()
        .toByteArray();
  }

  /** Parses a {@code PublicKey} protobuf; throws {@link IllegalArgumentException} with the reason. */
  public static PubKey unmarshalPublicKey(byte[] protobuf) {
    checkSize(protobuf);
    CryptoProto.PublicKey pb;
    try {
      pb = CryptoProto.PublicKey.parseFrom(protobuf);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed PublicKey protobuf: " + e.getMessage(), e);
    }
    byte[] data = pb.getData().toByteArray();
    return switch (KeyType.fromCode(pb.getType().getNumber())) {
      case ED25519 -> Ed25519Keys.unmarshalPublic(data);
      case SECP256K1 -> Secp256k1Keys.unmarshalPublic(data);
      case RSA -> PkixPublicKeys.unmarshalRsa(data);
      case ECDSA -> PkixPublicKeys.unmarshalEcdsa(data);
    };
  }

  /** Parses a {@code PrivateKey} protobuf; throws {@link IllegalArgumentException} with the reason. */
  public static PrivKey unmarshalPrivateKey(byte[] protobuf) {
    checkSize(protobuf);
    CryptoProto.PrivateKey pb;
    try {
      pb = CryptoProto.PrivateKey.parseFrom(protobuf);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed PrivateKey protobuf: " + e.getMessage(), e);
    }
    byte[] data = pb.getData().toByteArray();
    return switch (KeyType.fromCode(pb.getType().getNumber())) {
      case ED25519 -> Ed25519Keys.unmarshalPrivate(data);
      case SECP256K1 -> Secp256k1Keys.unmarshalPrivate(data);
      default -> throw new IllegalArgumentException(
          "unsupported private key type " + pb.getType() + " (RSA/ECDSA are verify-only)");
    };
  }

  /**
   * Generates a fresh key pair. Only {@link KeyType#ED25519} (recommended) and
   * {@link KeyType#SECP256K1} can be generated; RSA and ECDSA are verify-only.
   */
  public static PrivKey generate(KeyType type, SecureRandom random) {
    return switch (type) {
      case ED25519 -> Ed25519Keys.generate(random);
      case SECP256K1 -> Secp256k1Keys.generate(random);
      default -> throw new IllegalArgumentException(
          "cannot generate " + type + " keys (verify-only); use ED25519 or SECP256K1");
    };
  }

  /** The public key inlined in an identity peer ID (Ed25519, secp256k1). */
  public static PubKey publicKeyOf(PeerId peerId) {
    return unmarshalPublicKey(peerId.inlinedPublicKeyProtobuf());
  }

  private static void checkSize(byte[] protobuf) {
    if (protobuf == null || protobuf.length > MAX_KEY_PROTOBUF_BYTES) {
      throw new IllegalArgumentException(
          "key protobuf must be at most " + MAX_KEY_PROTOBUF_BYTES + " bytes, got "
              + (protobuf == null ? "null" : protobuf.length));
    }
  }
}
