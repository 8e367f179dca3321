package dev.weft.routing.tree;

import dev.weft.core.identity.PeerId;
import dev.weft.core.util.Varint;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One tree control message between weft peers, carried on the {@value #PROTOCOL_ID} stream: the
 * receiver of {@link Kind#LAZY} stops pushing full messages of (topic, source) to the sender and
 * sends IHAVE instead (Plumtree's PRUNE; the GossipSub mesh is untouched); {@link Kind#EAGER}
 * reverses it (Plumtree's GRAFT). {@code source} is null for the whole topic.
 *
 * <p>Wire form (one length-prefixed frame each): {@code kind(1 byte) varint(topicLen) topic
 * varint(sourceLen) source}, topic UTF-8 of at most {@link #MAX_TOPIC_BYTES}, source a peer ID
 * multihash of at most {@link PeerId#MAX_BYTES} (length 0: none).
 */
public record TreeControl(Kind kind, String topic, PeerId source) {
  /** The stream protocol weft peers negotiate for tree control. */
  public static final String PROTOCOL_ID = "/weft/tree/1.0.0";
  /** Longest topic accepted. */
  public static final int MAX_TOPIC_BYTES = 1024;
  /** Longest frame {@link #decode} accepts. */
  public static final int MAX_FRAME_BYTES = 1 + 2 * Varint.MAX_BYTES + MAX_TOPIC_BYTES
      + PeerId.MAX_BYTES;

  /** What the receiver should do with its push to the sender. */
  public enum Kind {
    /** Push lazily (IHAVE only). */
    LAZY,
    /** Push full messages eagerly. */
    EAGER
  }

  /** Checks fields. */
  public TreeControl {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(topic, "topic");
    if (topic.getBytes(StandardCharsets.UTF_8).length > MAX_TOPIC_BYTES) {
      throw new IllegalArgumentException("topic longer than " + MAX_TOPIC_BYTES + " bytes");
    }
  }

  /** Encodes this message (without the length prefix). */
  public byte[] encode() {
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    byte[] s = source == null ? new byte[0] : source.toBytes();
    byte[] out = new byte[1 + Varint.size(t.length) + t.length + Varint.size(s.length) + s.length];
    out[0] = (byte) kind.ordinal();
    int o = Varint.write(t.length, out, 1);
    System.arraycopy(t, 0, out, o, t.length);
    o = Varint.write(s.length, out, o + t.length);
    System.arraycopy(s, 0, out, o, s.length);
    return out;
  }

  /**
   * Decodes one frame.
   *
   * @throws IllegalArgumentException naming what is wrong, for any malformed input
   */
  public static TreeControl decode(byte[] in) {
    if (in.length < 3 || in.length > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("tree control frame of " + in.length + " bytes");
    }
    int k = in[0];
    if (k < 0 || k >= Kind.values().length) {
      throw new IllegalArgumentException("unknown tree control kind " + k);
    }
    Varint.Decoded tl = Varint.decode(in, 1, in.length);
    int o = 1 + tl.length();
    if (tl.value() < 0 || tl.value() > MAX_TOPIC_BYTES || tl.value() > in.length - o) {
      throw new IllegalArgumentException("bad topic length " + tl.value());
    }
    String topic = new String(in, o, (int) tl.value(), StandardCharsets.UTF_8);
    o += (int) tl.value();
    Varint.Decoded sl = Varint.decode(in, o, in.length);
    o += sl.length();
    if (sl.value() < 0 || sl.value() > PeerId.MAX_BYTES || sl.value() != in.length - o) {
      throw new IllegalArgumentException("bad source length " + sl.value());
    }
    PeerId source = null;
    if (sl.value() > 0) {
      byte[] s = new byte[(int) sl.value()];
      System.arraycopy(in, o, s, 0, s.length);
      source = PeerId.fromBytes(s);
    }
    return new TreeControl(Kind.values()[k], topic, source);
  }
}
