package dev.weft.core.wire;

import dev.weft.core.util.Varint;
import java.nio.charset.StandardCharsets;

/**
 * Hand-rolled protobuf encoder and size calculator for the GossipSub RPC schema (digest §6.3).
 *
 * <p>The core needs exact encoded sizes to split RPCs below the peer's frame limit, and the exact
 * {@code Message(from, data, seqno, topic)} bytes to sign, without depending on protobuf-java.
 * Fields are written in ascending field-number order with minimal varints, which is also what
 * protobuf-java, go and js produce, so sizes match their encoders byte for byte. Decoding is the
 * net codec's job (it must bound lengths before allocating).
 */
public final class GossipProto {
  private GossipProto() {}

  private static final int WT_VARINT = 0;
  private static final int WT_LEN = 2;

  // ---------------------------------------------------------------- sizes

  /** Encoded size of {@code rpc} (without the outer uvarint length prefix). */
  public static int encodedSize(Rpc rpc) {
    int n = 0;
    for (SubOpts s : rpc.subscriptions()) {
      n += lenField(1, subOptsSize(s));
    }
    for (PubMessage m : rpc.messages()) {
      n += lenField(2, messageSize(m));
    }
    if (rpc.control() != null) {
      n += lenField(3, controlSize(rpc.control()));
    }
    return n;
  }

  /** Size of an RPC field holding one published message: what a message adds to an RPC. */
  public static int messageFieldSize(PubMessage m) {
    return lenField(2, messageSize(m));
  }

  /** Size of an RPC field holding one subscription. */
  public static int subscriptionFieldSize(SubOpts s) {
    return lenField(1, subOptsSize(s));
  }

  /** Size of the RPC field holding {@code c}. */
  public static int controlFieldSize(ControlMessage c) {
    return lenField(3, controlSize(c));
  }

  static int subOptsSize(SubOpts s) {
    return 2 + bytesField(2, utf8Length(s.topic()));
  }

  static int messageSize(PubMessage m) {
    int n = 0;
    n += optBytes(1, m.fromUnsafe());
    n += bytesField(2, m.dataLength());
    n += optBytes(3, m.seqnoUnsafe());
    n += bytesField(4, utf8Length(m.topic()));
    n += optBytes(5, m.signatureUnsafe());
    n += optBytes(6, m.keyUnsafe());
    return n;
  }

  static int controlSize(ControlMessage c) {
    int n = 0;
    for (ControlMessage.IHave h : c.ihave()) {
      n += lenField(1, ihaveSize(h));
    }
    for (ControlMessage.IWant w : c.iwant()) {
      n += lenField(2, idsSize(1, w.messageIds()));
    }
    for (ControlMessage.Graft g : c.graft()) {
      n += lenField(3, bytesField(1, utf8Length(g.topic())));
    }
    for (ControlMessage.Prune p : c.prune()) {
      n += lenField(4, pruneSize(p));
    }
    for (ControlMessage.IDontWant d : c.idontwant()) {
      n += lenField(5, idsSize(1, d.messageIds()));
    }
    return n;
  }

  static int ihaveSize(ControlMessage.IHave h) {
    return bytesField(1, utf8Length(h.topic())) + idsSize(2, h.messageIds());
  }

  static int pruneSize(ControlMessage.Prune p) {
    int n = bytesField(1, utf8Length(p.topic()));
    for (PeerInfo pi : p.peers()) {
      n += lenField(2, peerInfoSize(pi));
    }
    if (p.backoffSeconds() != null) {
      n += 1 + Varint.size(p.backoffSeconds());
    }
    return n;
  }

  static int peerInfoSize(PeerInfo pi) {
    int n = bytesField(1, pi.peerId().length());
    int r = pi.signedPeerRecordLength();
    if (r >= 0) {
      n += bytesField(2, r);
    }
    return n;
  }

  static int idsSize(int field, java.util.List<MessageId> ids) {
    int n = 0;
    for (MessageId id : ids) {
      n += bytesField(field, id.length());
    }
    return n;
  }

  /** Size of a length-delimited field (tag + length + body) with a 1-byte tag. */
  static int lenField(int field, int bodySize) {
    return tagSize(field) + Varint.size(bodySize) + bodySize;
  }

  static int bytesField(int field, int len) {
    return lenField(field, len);
  }

  private static int optBytes(int field, byte[] b) {
    return b == null ? 0 : bytesField(field, b.length);
  }

  private static int tagSize(int field) {
    return Varint.size((long) field << 3);
  }

  static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  // ---------------------------------------------------------------- encoding

  /** Encodes {@code rpc} to protobuf bytes (no length prefix). */
  public static byte[] encode(Rpc rpc) {
    Writer w = new Writer(encodedSize(rpc));
    for (SubOpts s : rpc.subscriptions()) {
      w.tag(1, WT_LEN).varint(subOptsSize(s));
      w.tag(1, WT_VARINT).varint(s.subscribe() ? 1 : 0);
      w.string(2, s.topic());
    }
    for (PubMessage m : rpc.messages()) {
      w.tag(2, WT_LEN).varint(messageSize(m));
      writeMessage(w, m, true);
    }
    if (rpc.control() != null) {
      ControlMessage c = rpc.control();
      w.tag(3, WT_LEN).varint(controlSize(c));
      for (ControlMessage.IHave h : c.ihave()) {
        w.tag(1, WT_LEN).varint(ihaveSize(h));
        w.string(1, h.topic());
        w.ids(2, h.messageIds());
      }
      for (ControlMessage.IWant iw : c.iwant()) {
        w.tag(2, WT_LEN).varint(idsSize(1, iw.messageIds()));
        w.ids(1, iw.messageIds());
      }
      for (ControlMessage.Graft g : c.graft()) {
        w.tag(3, WT_LEN).varint(bytesField(1, utf8Length(g.topic())));
        w.string(1, g.topic());
      }
      for (ControlMessage.Prune p : c.prune()) {
        w.tag(4, WT_LEN).varint(pruneSize(p));
        w.string(1, p.topic());
        for (PeerInfo pi : p.peers()) {
          w.tag(2, WT_LEN).varint(peerInfoSize(pi));
          w.bytes(1, pi.peerId().toBytes());
          if (pi.signedPeerRecordUnsafe() != null) {
            w.bytes(2, pi.signedPeerRecordUnsafe());
          }
        }
        if (p.backoffSeconds() != null) {
          w.tag(3, WT_VARINT).varint(p.backoffSeconds());
        }
      }
      for (ControlMessage.IDontWant d : c.idontwant()) {
        w.tag(5, WT_LEN).varint(idsSize(1, d.messageIds()));
        w.ids(1, d.messageIds());
      }
    }
    return w.done();
  }

  /**
   * Encodes only {@code from, data, seqno, topic} of {@code m} (fields 1–4, ascending): the body
   * that StrictSign signs after the {@code "libp2p-pubsub:"} prefix.
   */
  public static byte[] encodeForSigning(PubMessage m) {
    int size = optBytes(1, m.fromUnsafe()) + bytesField(2, m.dataLength())
        + optBytes(3, m.seqnoUnsafe()) + bytesField(4, utf8Length(m.topic()));
    Writer w = new Writer(size);
    writeMessage(w, m, false);
    return w.done();
  }

  private static void writeMessage(Writer w, PubMessage m, boolean withSignatureAndKey) {
    if (m.fromUnsafe() != null) {
      w.bytes(1, m.fromUnsafe());
    }
    w.bytes(2, m.dataUnsafe());
    if (m.seqnoUnsafe() != null) {
      w.bytes(3, m.seqnoUnsafe());
    }
    w.string(4, m.topic());
    if (withSignatureAndKey) {
      if (m.signatureUnsafe() != null) {
        w.bytes(5, m.signatureUnsafe());
      }
      if (m.keyUnsafe() != null) {
        w.bytes(6, m.keyUnsafe());
      }
    }
  }

  private static final class Writer {
    private final byte[] out;
    private int pos;

    Writer(int size) {
      out = new byte[size];
    }

    Writer tag(int field, int wireType) {
      return varint(((long) field << 3) | wireType);
    }

    Writer varint(long v) {
      pos = Varint.write(v, out, pos);
      return this;
    }

    void bytes(int field, byte[] b) {
      tag(field, WT_LEN).varint(b.length);
      System.arraycopy(b, 0, out, pos, b.length);
      pos += b.length;
    }

    void string(int field, String s) {
      bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    void ids(int field, java.util.List<MessageId> ids) {
      for (MessageId id : ids) {
        tag(field, WT_LEN).varint(id.length());
        id.copyTo(out, pos);
        pos += id.length();
      }
    }

    byte[] done() {
      if (pos != out.length) {
        throw new IllegalStateException("encoder size mismatch: wrote " + pos + " of " + out.length);
      }
      return out;
    }
  }
}
