package dev.weft.core.feed;

import dev.weft.core.wire.ControlMessage;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits an outgoing RPC into parts by {@link SendPriority}: subscriptions, GRAFT, PRUNE,
 * IDONTWANT and IWANT are CONTROL; messages authored by this node are PUBLISH; other messages
 * FORWARD; IHAVE GOSSIP. Each part is a valid RPC on its own (peers accept any split).
 */
public final class SendClassifier {
  /** One part of an RPC and its class. */
  public record Part(SendPriority priority, Rpc rpc) {}

  private SendClassifier() {}

  /** The non-empty parts of {@code rpc}, highest priority first. */
  public static List<Part> split(Rpc rpc, byte[] selfPeerIdBytes) {
    ControlMessage c = rpc.controlOrEmpty();
    List<Part> out = new ArrayList<>(4);
    ControlMessage control = new ControlMessage(List.of(), c.iwant(), c.graft(), c.prune(),
        c.idontwant());
    if (!rpc.subscriptions().isEmpty() || !control.isEmpty()) {
      out.add(new Part(SendPriority.CONTROL, new Rpc(rpc.subscriptions(), List.of(),
          control.isEmpty() ? null : control)));
    }
    List<PubMessage> own = new ArrayList<>();
    List<PubMessage> fwd = new ArrayList<>();
    for (PubMessage m : rpc.messages()) {
      (m.hasFrom() && Arrays.equals(m.from(), selfPeerIdBytes) ? own : fwd).add(m);
    }
    if (!own.isEmpty()) {
      out.add(new Part(SendPriority.PUBLISH, Rpc.ofMessages(own)));
    }
    if (!fwd.isEmpty()) {
      out.add(new Part(SendPriority.FORWARD, Rpc.ofMessages(fwd)));
    }
    if (!c.ihave().isEmpty()) {
      out.add(new Part(SendPriority.GOSSIP, Rpc.ofControl(new ControlMessage(c.ihave(), List.of(),
          List.of(), List.of(), List.of()))));
    }
    return out;
  }
}
