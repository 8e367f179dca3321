package dev.weft.core.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A published message ({@code Message} in the GossipSub protobuf). Absent optional fields are
 * {@code null} (absent, not empty: StrictNoSign distinguishes them). Immutable: arrays are copied
 * in and out; {@code *Length()} accessors avoid copies on hot paths.
 *
 * @param from author peer-ID multihash bytes, or null
 * @param data payload, never null (empty when absent on the wire)
 * @param seqno 8-byte big-endian sequence number, or null
 * @param topic topic ID, never null
 * @param signature author's signature over {@link SigningBytes}, or null
 * @param key author's PublicKey protobuf, or null
 */
public record PubMessage(
    byte[] from, byte[] data, byte[] seqno, String topic, byte[] signature, byte[] key) {

  /** Copies every array and checks data and topic are present. */
  public PubMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(data, "data");
    from = copy(from);
    data = data.clone();
    seqno = copy(seqno);
    signature = copy(signature);
    key = copy(key);
  }

  /** An unsigned message with only data and topic (StrictNoSign shape). */
  public static PubMessage unsigned(String topic, byte[] data) {
    return new PubMessage(null, data, null, topic, null, null);
  }

  @Override
  public byte[] from() {
    return copy(from);
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public byte[] seqno() {
    return copy(seqno);
  }

  @Override
  public byte[] signature() {
    return copy(signature);
  }

  @Override
  public byte[] key() {
    return copy(key);
  }

  /** Payload length in bytes. */
  public int dataLength() {
    return data.length;
  }

  /**
   * A read-only view of the payload without copying it (for ID functions and drivers that look at
   * large payloads per received copy, such as the simulator).
   */
  public java.nio.ByteBuffer dataView() {
    return java.nio.ByteBuffer.wrap(data).asReadOnlyBuffer();
  }

  /** True when the {@code from} field is present. */
  public boolean hasFrom() {
    return from != null;
  }

  /** True when the {@code seqno} field is present. */
  public boolean hasSeqno() {
    return seqno != null;
  }

  /** True when the {@code signature} field is present. */
  public boolean hasSignature() {
    return signature != null;
  }

  /** True when the {@code key} field is present. */
  public boolean hasKey() {
    return key != null;
  }

  /** The seqno as an unsigned 64-bit value; only meaningful when it is exactly 8 bytes. */
  public long seqnoAsLong() {
    if (seqno == null || seqno.length != 8) {
      throw new IllegalStateException("seqno is not 8 bytes");
    }
    long v = 0;
    for (byte b : seqno) {
      v = (v << 8) | (b & 0xFF);
    }
    return v;
  }

  /** Encodes {@code v} as the 8-byte big-endian seqno. */
  public static byte[] seqnoBytes(long v) {
    byte[] out = new byte[8];
    for (int i = 7; i >= 0; i--) {
      out[i] = (byte) v;
      v >>>= 8;
    }
    return out;
  }

  // package-private zero-copy access for encoders in this package
  byte[] fromUnsafe() {
    return from;
  }

  byte[] dataUnsafe() {
    return data;
  }

  byte[] seqnoUnsafe() {
    return seqno;
  }

  byte[] signatureUnsafe() {
    return signature;
  }

  byte[] keyUnsafe() {
    return key;
  }

  private static byte[] copy(byte[] b) {
    return b == null ? null : b.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PubMessage m
        && topic.equals(m.topic)
        && Arrays.equals(from, m.from)
        && Arrays.equals(data, m.data)
        && Arrays.equals(seqno, m.seqno)
        && Arrays.equals(signature, m.signature)
        && Arrays.equals(key, m.key);
  }

  @Override
  public int hashCode() {
    int h = topic.hashCode();
    h = 31 * h + Arrays.hashCode(from);
    h = 31 * h + Arrays.hashCode(data);
    h = 31 * h + Arrays.hashCode(seqno);
    h = 31 * h + Arrays.hashCode(signature);
    return 31 * h + Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "PubMessage[topic=" + topic + ", data=" + data.length + "B"
        + (from == null ? "" : ", from=" + hex.formatHex(from))
        + (seqno == null ? "" : ", seqno=" + hex.formatHex(seqno))
        + (signature == null ? "" : ", signed")
        + (key == null ? "" : ", key") + "]";
  }
}
