package dev.weft.core.wire;

import java.nio.charset.StandardCharsets;

/**
 * The bytes a StrictSign author signs (digest §6.4): UTF-8 {@code "libp2p-pubsub:"} followed by the
 * protobuf encoding of the message restricted to {@code from, data, seqno, topic}. Both
 * {@code signature} and {@code key} are excluded, as go and js do (the spec text mentions only
 * {@code signature}).
 */
public final class SigningBytes {
  /** The domain-separation prefix. */
  public static final String PREFIX = "libp2p-pubsub:";

  private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.UTF_8);

  private SigningBytes() {}

  /** Bytes to sign or verify for {@code m}. */
  public static byte[] of(PubMessage m) {
    byte[] body = GossipProto.encodeForSigning(m);
    byte[] out = new byte[PREFIX_BYTES.length + body.length];
    System.arraycopy(PREFIX_BYTES, 0, out, 0, PREFIX_BYTES.length);
    System.arraycopy(body, 0, out, PREFIX_BYTES.length, body.length);
    return out;
  }
}
