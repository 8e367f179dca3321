package dev.weft.net.pubsub;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.ControlMessage;
import dev.weft.core.wire.GossipProto;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PeerInfo;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import dev.weft.core.wire.SubOpts;
import dev.weft.net.pb.RpcProto;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place pubsub wire bytes become domain records and back. Decoding first walks the frame
 * with a {@link CodedInputStream} counting repeated entries (subscriptions, messages, IHAVE/IWANT/
 * IDONTWANT ids, PX peers) and refuses a frame over any limit before protobuf objects are built;
 * then it parses and converts. Encoding uses the core's exact encoder ({@link GossipProto}).
 */
public final class RpcCodec {
  private RpcCodec() {}

  /** Per-RPC bounds (js decode caps by default; 5000 entries, 512 IDONTWANT ids, 16 PX peers). */
  public record Limits(int maxSubscriptions, int maxMessages, int maxControlEntries,
      int maxIHaveIds, int maxIWantIds, int maxIDontWantIds, int maxPeerExchange) {
    public static Limits defaults() {
      return new Limits(5000, 5000, 5000, 5000, 5000, 512, 16);
    }
  }

  /** A frame that breaks the protobuf grammar or a limit; the message says which. */
  public static final class DecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean limitExceeded;

    public DecodeException(String message) {
      this(message, false);
    }

    private DecodeException(String message, boolean limitExceeded) {
      super(message);
      this.limitExceeded = limitExceeded;
    }

    /** A well-formed frame with more entries than {@link Limits} allow. */
    static DecodeException limit(String message) {
      return new DecodeException(message, true);
    }

    /** True when a {@link Limits} bound was exceeded (rather than the grammar broken). */
    public boolean limitExceeded() {
      return limitExceeded;
    }
  }

  /**
   * Largest PRUNE backoff kept, in seconds: the most that still converts to nanoseconds in a long.
   * The wire field is a uint64; larger values (including those above 2^63, which protobuf-java
   * hands over as negative longs) saturate to this instead of overflowing.
   */
  public static final long MAX_BACKOFF_SECONDS = Long.MAX_VALUE / 1_000_000_000L;

  public static byte[] encode(Rpc rpc) {
    return GossipProto.encode(rpc);
  }

  /**
   * Decodes one RPC frame. Every malformed or over-limit input ends in {@link DecodeException};
   * nothing else escapes.
   */
  public static Rpc decode(byte[] frame, Limits limits) throws DecodeException {
    try {
      return decodeChecked(frame, limits);
    } catch (IllegalArgumentException e) {
      // a domain record refused a decoded value (e.g. an empty topic); report it as a bad frame
      throw new DecodeException("invalid RPC: " + e.getMessage());
    }
  }

  private static Rpc decodeChecked(byte[] frame, Limits limits) throws DecodeException {
    precheck(frame, limits);
    RpcProto.RPC pb;
    try {
      pb = RpcProto.RPC.parseFrom(frame);
    } catch (InvalidProtocolBufferException e) {
      throw new DecodeException("malformed RPC protobuf: " + e.getMessage());
    }
    List<SubOpts> subs = new ArrayList<>(pb.getSubscriptionsCount());
    for (RpcProto.RPC.SubOpts s : pb.getSubscriptionsList()) {
      if (!s.hasTopicid()) {
        throw new DecodeException("subscription without topic");
      }
      subs.add(new SubOpts(s.getSubscribe(), s.getTopicid()));
    }
    List<PubMessage> msgs = new ArrayList<>(pb.getPublishCount());
    for (RpcProto.Message m : pb.getPublishList()) {
      if (!m.hasTopic()) {
        throw new DecodeException("message without topic");
      }
      msgs.add(new PubMessage(
          m.hasFrom() ? m.getFrom().toByteArray() : null,
          m.getData().toByteArray(),
          m.hasSeqno() ? m.getSeqno().toByteArray() : null,
          m.getTopic(),
          m.hasSignature() ? m.getSignature().toByteArray() : null,
          m.hasKey() ? m.getKey().toByteArray() : null));
    }
    ControlMessage control = null;
    if (pb.hasControl()) {
      control = control(pb.getControl());
    }
    return new Rpc(subs, msgs, control);
  }

  private static ControlMessage control(RpcProto.ControlMessage c) throws DecodeException {
    List<ControlMessage.IHave> ihave = new ArrayList<>(c.getIhaveCount());
    for (RpcProto.ControlIHave h : c.getIhaveList()) {
      ihave.add(new ControlMessage.IHave(h.getTopicID(), ids(h.getMessageIDsList())));
    }
    List<ControlMessage.IWant> iwant = new ArrayList<>(c.getIwantCount());
    for (RpcProto.ControlIWant w : c.getIwantList()) {
      iwant.add(new ControlMessage.IWant(ids(w.getMessageIDsList())));
    }
    List<ControlMessage.Graft> graft = new ArrayList<>(c.getGraftCount());
    for (RpcProto.ControlGraft g : c.getGraftList()) {
      graft.add(new ControlMessage.Graft(g.getTopicID()));
    }
    List<ControlMessage.Prune> prune = new ArrayList<>(c.getPruneCount());
    for (RpcProto.ControlPrune p : c.getPruneList()) {
      List<PeerInfo> px = new ArrayList<>(p.getPeersCount());
      for (RpcProto.PeerInfo pi : p.getPeersList()) {
        if (!pi.hasPeerID()) {
          continue;
        }
        try {
          PeerId id = PeerId.fromBytes(pi.getPeerID().toByteArray());
          px.add(new PeerInfo(id, pi.hasSignedPeerRecord() ? pi.getSignedPeerRecord().toByteArray() : null));
        } catch (IllegalArgumentException e) {
          // an unparseable PX entry is dropped, as go does; the rest of the PRUNE stands
        }
      }
      prune.add(new ControlMessage.Prune(p.getTopicID(), px,
          p.hasBackoff() ? clampBackoff(p.getBackoff()) : null));
    }
    List<ControlMessage.IDontWant> idw = new ArrayList<>(c.getIdontwantCount());
    for (RpcProto.ControlIDontWant d : c.getIdontwantList()) {
      idw.add(new ControlMessage.IDontWant(ids(d.getMessageIDsList())));
    }
    return new ControlMessage(ihave, iwant, graft, prune, idw);
  }

  /** Saturates a uint64 backoff (negative here when above 2^63) at {@link #MAX_BACKOFF_SECONDS}. */
  static long clampBackoff(long uint64Seconds) {
    return uint64Seconds < 0 || uint64Seconds > MAX_BACKOFF_SECONDS ? MAX_BACKOFF_SECONDS : uint64Seconds;
  }

  private static List<MessageId> ids(List<ByteString> raw) throws DecodeException {
    List<MessageId> out = new ArrayList<>(raw.size());
    for (ByteString b : raw) {
      if (b.isEmpty()) {
        throw new DecodeException("empty message id");
      }
      out.add(MessageId.of(b.toByteArray()));
    }
    return out;
  }

  /** Counts repeated entries without building objects; throws on the first limit exceeded. */
  static void precheck(byte[] frame, Limits limits) throws DecodeException {
    try {
      CodedInputStream in = CodedInputStream.newInstance(frame);
      int subs = 0;
      int msgs = 0;
      // protobuf merges repeated occurrences of the control field into one message, so the
      // counts run over all of them
      ControlCounts counts = new ControlCounts();
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        int field = WireFormat.getTagFieldNumber(tag);
        if (field == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          if (++subs > limits.maxSubscriptions()) {
            throw DecodeException.limit("more than " + limits.maxSubscriptions() + " subscriptions");
          }
          in.skipField(tag);
        } else if (field == 2 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          if (++msgs > limits.maxMessages()) {
            throw DecodeException.limit("more than " + limits.maxMessages() + " messages");
          }
          in.skipField(tag);
        } else if (field == 3 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          precheckControl(in.readByteArray(), limits, counts);
        } else if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (IOException e) {
      throw new DecodeException("malformed RPC protobuf: " + e.getMessage());
    }
  }

  /** Entry and id counts over every control field of one frame. */
  private static final class ControlCounts {
    int entries;
    int ihaveIds;
    int iwantIds;
    int idontwantIds;
  }

  private static void precheckControl(byte[] control, Limits limits, ControlCounts c)
      throws IOException, DecodeException {
    CodedInputStream in = CodedInputStream.newInstance(control);
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      int field = WireFormat.getTagFieldNumber(tag);
      if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED || field < 1 || field > 5) {
        if (!in.skipField(tag)) {
          break;
        }
        continue;
      }
      if (++c.entries > limits.maxControlEntries()) {
        throw DecodeException.limit("more than " + limits.maxControlEntries() + " control entries");
      }
      byte[] entry = in.readByteArray();
      switch (field) {
        case 1 -> c.ihaveIds += countField(entry, 2);
        case 2 -> c.iwantIds += countField(entry, 1);
        case 4 -> {
          if (countField(entry, 2) > limits.maxPeerExchange()) {
            throw DecodeException.limit("PRUNE carries more than " + limits.maxPeerExchange() + " PX peers");
          }
        }
        case 5 -> c.idontwantIds += countField(entry, 1);
        default -> { }
      }
      if (c.ihaveIds > limits.maxIHaveIds()) {
        throw DecodeException.limit("more than " + limits.maxIHaveIds() + " IHAVE message ids");
      }
      if (c.iwantIds > limits.maxIWantIds()) {
        throw DecodeException.limit("more than " + limits.maxIWantIds() + " IWANT message ids");
      }
      if (c.idontwantIds > limits.maxIDontWantIds()) {
        throw DecodeException.limit("more than " + limits.maxIDontWantIds() + " IDONTWANT message ids");
      }
    }
  }

  private static int countField(byte[] message, int wanted) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(message);
    int n = 0;
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (WireFormat.getTagFieldNumber(tag) == wanted) {
        n++;
      }
      if (!in.skipField(tag)) {
        break;
      }
    }
    return n;
  }
}
