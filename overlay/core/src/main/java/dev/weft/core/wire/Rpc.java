package dev.weft.core.wire;

import java.util.List;

/**
 * One GossipSub RPC frame in domain form: subscription changes, published messages, and optional
 * control. The codec in {@code dev.weft.net} converts to and from the protobuf; the core never sees
 * protobuf classes.
 *
 * @param subscriptions subscription changes
 * @param messages published messages ({@code publish} field on the wire)
 * @param control control messages, or null when absent
 */
public record Rpc(List<SubOpts> subscriptions, List<PubMessage> messages, ControlMessage control) {

  /** Copies the lists; an empty control message is normalised to null. */
  public Rpc {
    subscriptions = subscriptions == null ? List.of() : List.copyOf(subscriptions);
    messages = messages == null ? List.of() : List.copyOf(messages);
    if (control != null && control.isEmpty()) {
      control = null;
    }
  }

  /** An RPC carrying only {@code messages}. */
  public static Rpc ofMessages(List<PubMessage> messages) {
    return new Rpc(List.of(), messages, null);
  }

  /** An RPC carrying only {@code control}. */
  public static Rpc ofControl(ControlMessage control) {
    return new Rpc(List.of(), List.of(), control);
  }

  /** An RPC carrying only subscription changes. */
  public static Rpc ofSubscriptions(List<SubOpts> subscriptions) {
    return new Rpc(subscriptions, List.of(), null);
  }

  /** True when the RPC carries nothing. */
  public boolean isEmpty() {
    return subscriptions.isEmpty() && messages.isEmpty() && control == null;
  }

  /** Control entries, never null. */
  public ControlMessage controlOrEmpty() {
    return control == null ? ControlMessage.EMPTY : control;
  }
}
