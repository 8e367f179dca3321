package dev.weft.core.wire;

import dev.weft.core.util.Varint;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an RPC into several whose encoded sizes are each at most a limit (go rejects frames above
 * 1 MiB, js above 4 MiB by default). Items keep their order. Long IHAVE/IWANT/IDONTWANT ID lists
 * are cut into several entries. A single published message that alone exceeds the limit cannot be
 * split: it is returned in an RPC of its own (callers refuse such messages at publish time, and
 * received messages were already within the limit of the link they came from).
 */
public final class RpcSplitter {
  private RpcSplitter() {}

  /** Splits {@code rpc} so each part encodes to at most {@code maxSize} bytes when possible. */
  public static List<Rpc> split(Rpc rpc, int maxSize) {
    if (maxSize < 64) {
      throw new IllegalArgumentException("maxSize must be >= 64 bytes: " + maxSize);
    }
    if (GossipProto.encodedSize(rpc) <= maxSize) {
      return List.of(rpc);
    }
    Builder b = new Builder(maxSize);
    for (SubOpts s : rpc.subscriptions()) {
      b.fit(GossipProto.subscriptionFieldSize(s));
      b.subs.add(s);
      b.plainSize += GossipProto.subscriptionFieldSize(s);
    }
    for (PubMessage m : rpc.messages()) {
      int sz = GossipProto.messageFieldSize(m);
      b.fit(sz);
      b.msgs.add(m);
      b.plainSize += sz;
    }
    ControlMessage c = rpc.control();
    if (c != null) {
      // Budget per ID-list entry so that one entry always fits into an otherwise empty RPC.
      int idBudget = maxSize - 32;
      for (ControlMessage.IHave h : c.ihave()) {
        for (List<MessageId> ids : chunk(h.messageIds(), idBudget - GossipProto.utf8Length(h.topic()))) {
          ControlMessage.IHave part = new ControlMessage.IHave(h.topic(), ids);
          b.addControl(GossipProto.lenField(1, GossipProto.ihaveSize(part)), part);
        }
      }
      for (ControlMessage.IWant w : c.iwant()) {
        for (List<MessageId> ids : chunk(w.messageIds(), idBudget)) {
          ControlMessage.IWant part = new ControlMessage.IWant(ids);
          b.addControl(GossipProto.lenField(2, GossipProto.idsSize(1, ids)), part);
        }
      }
      for (ControlMessage.Graft g : c.graft()) {
        b.addControl(GossipProto.lenField(3, GossipProto.bytesField(1, GossipProto.utf8Length(g.topic()))), g);
      }
      for (ControlMessage.Prune p : c.prune()) {
        b.addControl(GossipProto.lenField(4, GossipProto.pruneSize(p)), p);
      }
      for (ControlMessage.IDontWant d : c.idontwant()) {
        for (List<MessageId> ids : chunk(d.messageIds(), idBudget)) {
          ControlMessage.IDontWant part = new ControlMessage.IDontWant(ids);
          b.addControl(GossipProto.lenField(5, GossipProto.idsSize(1, ids)), part);
        }
      }
    }
    b.flush();
    return b.out;
  }

  private static List<List<MessageId>> chunk(List<MessageId> ids, int budget) {
    List<List<MessageId>> parts = new ArrayList<>();
    List<MessageId> cur = new ArrayList<>();
    int size = 0;
    for (MessageId id : ids) {
      int sz = GossipProto.bytesField(1, id.length());
      if (!cur.isEmpty() && size + sz > budget) {
        parts.add(cur);
        cur = new ArrayList<>();
        size = 0;
      }
      cur.add(id);
      size += sz;
    }
    if (!cur.isEmpty() || parts.isEmpty()) {
      parts.add(cur);
    }
    return parts;
  }

  private static final class Builder {
    final int max;
    final List<Rpc> out = new ArrayList<>();
    List<SubOpts> subs = new ArrayList<>();
    List<PubMessage> msgs = new ArrayList<>();
    List<ControlMessage.IHave> ihave = new ArrayList<>();
    List<ControlMessage.IWant> iwant = new ArrayList<>();
    List<ControlMessage.Graft> graft = new ArrayList<>();
    List<ControlMessage.Prune> prune = new ArrayList<>();
    List<ControlMessage.IDontWant> idontwant = new ArrayList<>();
    int plainSize;
    int controlBody;

    Builder(int max) {
      this.max = max;
    }

    int size() {
      return plainSize + (controlBody == 0 && ihave.isEmpty() && iwant.isEmpty() && graft.isEmpty()
          && prune.isEmpty() && idontwant.isEmpty() ? 0 : 1 + Varint.size(controlBody) + controlBody);
    }

    boolean isEmpty() {
      return subs.isEmpty() && msgs.isEmpty() && ihave.isEmpty() && iwant.isEmpty()
          && graft.isEmpty() && prune.isEmpty() && idontwant.isEmpty();
    }

    void fit(int extra) {
      if (!isEmpty() && size() + extra > max) {
        flush();
      }
    }

    void addControl(int fieldSize, Object entry) {
      int newBody = controlBody + fieldSize;
      int newSize = plainSize + 1 + Varint.size(newBody) + newBody;
      if (!isEmpty() && newSize > max) {
        flush();
        newBody = fieldSize;
      }
      controlBody = newBody;
      if (entry instanceof ControlMessage.IHave h) {
        ihave.add(h);
      } else if (entry instanceof ControlMessage.IWant w) {
        iwant.add(w);
      } else if (entry instanceof ControlMessage.Graft g) {
        graft.add(g);
      } else if (entry instanceof ControlMessage.Prune p) {
        prune.add(p);
      } else {
        idontwant.add((ControlMessage.IDontWant) entry);
      }
    }

    void flush() {
      if (isEmpty()) {
        return;
      }
      ControlMessage c = new ControlMessage(ihave, iwant, graft, prune, idontwant);
      out.add(new Rpc(subs, msgs, c));
      subs = new ArrayList<>();
      msgs = new ArrayList<>();
      ihave = new ArrayList<>();
      iwant = new ArrayList<>();
      graft = new ArrayList<>();
      prune = new ArrayList<>();
      idontwant = new ArrayList<>();
      plainSize = 0;
      controlBody = 0;
    }
  }
}
