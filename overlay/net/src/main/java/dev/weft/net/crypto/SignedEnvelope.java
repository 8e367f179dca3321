package dev.weft.net.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.core.identity.PeerId;
import dev.weft.core.util.Varint;
import dev.weft.net.pb.EnvelopeProto;
import java.nio.charset.StandardCharsets;

/**
 * A libp2p signed envelope (RFC 0002): a payload, its multicodec payload type, the signer's public
 * key and a signature over {@code uvarint-prefixed(domain) || uvarint-prefixed(payloadType) ||
 * uvarint-prefixed(payload)}. The domain is never transmitted; both sides must agree on it.
 *
 * <p>{@link #open} is bounded ({@link #MAX_BYTES}) and only returns envelopes whose signature
 * verifies for the expected domain; the payload is kept exactly as received. Immutable.
 */
public final class SignedEnvelope {
  /** Largest envelope we parse (identify messages, which carry them, are capped at 8 KiB in js). */
  public static final int MAX_BYTES = 16 * 1024;

  private final PubKey publicKey;
  private final byte[] payloadType;
  private final byte[] payload;
  private final byte[] signature;
  private final byte[] encoded;

  private SignedEnvelope(PubKey publicKey, byte[] publicKeyBytes, byte[] payloadType,
      byte[] payload, byte[] signature) {
    this.publicKey = publicKey;
    this.payloadType = payloadType;
    this.payload = payload;
    this.signature = signature;
    this.encoded = EnvelopeProto.Envelope.newBuilder()
        .setPublicKey(ByteString.copyFrom(publicKeyBytes))
        .setPayloadType(ByteString.copyFrom(payloadType))
        .setPayload(ByteString.copyFrom(payload))
        .setSignature(ByteString.copyFrom(signature))
        .build()
        .toByteArray();
  }

  /** Signs {@code payload} under {@code domain} and wraps it. */
  public static SignedEnvelope seal(PrivKey key, String domain, byte[] payloadType, byte[] payload) {
    checkDomain(domain);
    if (payloadType.length == 0) {
      throw new IllegalArgumentException("envelope payload type must not be empty");
    }
    byte[] sig = key.sign(signingBuffer(domain, payloadType, payload));
    PubKey pub = key.publicKey();
    return new SignedEnvelope(pub, pub.toProtobuf(), payloadType.clone(), payload.clone(), sig);
  }

  /**
   * Parses an envelope and verifies its signature for {@code expectedDomain}.
   *
   * @throws IllegalArgumentException if oversized, malformed, or the signature does not verify
   */
  public static SignedEnvelope open(byte[] data, String expectedDomain) {
    checkDomain(expectedDomain);
    if (data == null || data.length == 0 || data.length > MAX_BYTES) {
      throw new IllegalArgumentException("envelope must be 1.." + MAX_BYTES + " bytes, got "
          + (data == null ? "null" : data.length));
    }
    EnvelopeProto.Envelope pb;
    try {
      pb = EnvelopeProto.Envelope.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed envelope protobuf: " + e.getMessage(), e);
    }
    if (pb.getPublicKey().isEmpty() || pb.getPayloadType().isEmpty()
        || pb.getSignature().isEmpty()) {
      throw new IllegalArgumentException(
          "envelope is missing its public key, payload type or signature");
    }
    byte[] keyBytes = pb.getPublicKey().toByteArray();
    PubKey key;
    try {
      key = Keys.unmarshalPublicKey(keyBytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("envelope public key is invalid: " + e.getMessage(), e);
    }
    byte[] type = pb.getPayloadType().toByteArray();
    byte[] payload = pb.getPayload().toByteArray();
    byte[] sig = pb.getSignature().toByteArray();
    if (!key.verify(signingBuffer(expectedDomain, type, payload), sig)) {
      throw new IllegalArgumentException(
          "envelope signature does not verify for domain '" + expectedDomain + "'");
    }
    return new SignedEnvelope(key, keyBytes, type, payload, sig);
  }

  /** The bytes that are signed: each part prefixed with its uvarint length. */
  static byte[] signingBuffer(String domain, byte[] payloadType, byte[] payload) {
    byte[] d = domain.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[Varint.size(d.length) + d.length + Varint.size(payloadType.length)
        + payloadType.length + Varint.size(payload.length) + payload.length];
    int pos = 0;
    for (byte[] part : new byte[][] {d, payloadType, payload}) {
      pos = Varint.write(part.length, out, pos);
      System.arraycopy(part, 0, out, pos, part.length);
      pos += part.length;
    }
    return out;
  }

  private static void checkDomain(String domain) {
    if (domain == null || domain.isEmpty()) {
      throw new IllegalArgumentException("envelope domain must not be empty");
    }
  }

  public PubKey publicKey() {
    return publicKey;
  }

  /** The signer's peer ID, derived from the public key bytes carried in the envelope. */
  public PeerId signer() {
    return publicKey.peerId();
  }

  public byte[] payloadType() {
    return payloadType.clone();
  }

  /** The payload exactly as signed. */
  public byte[] payload() {
    return payload.clone();
  }

  public byte[] signature() {
    return signature.clone();
  }

  /** The serialised {@code Envelope} protobuf. */
  public byte[] toBytes() {
    return encoded.clone();
  }
}
