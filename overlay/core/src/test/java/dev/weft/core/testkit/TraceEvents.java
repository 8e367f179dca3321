package dev.weft.core.testkit;

import dev.weft.core.events.IgnoreReason;
import dev.weft.core.events.OverlayEvents;
import dev.weft.core.events.PruneReason;
import dev.weft.core.events.RejectReason;
import dev.weft.core.events.ThrottleReason;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import java.util.ArrayList;
import java.util.List;

/** Records overlay events as text lines, for assertions and determinism checks. */
public final class TraceEvents implements OverlayEvents {
  private final String node;
  private final List<String> sink;

  /** Records into {@code sink}, prefixing lines with {@code node}. */
  public TraceEvents(String node, List<String> sink) {
    this.node = node;
    this.sink = sink;
  }

  /** Records into its own list. */
  public TraceEvents() {
    this("", new ArrayList<>());
  }

  /** Recorded lines. */
  public List<String> lines() {
    return sink;
  }

  /** Lines starting with {@code prefix} (after the node label). */
  public List<String> matching(String prefix) {
    List<String> out = new ArrayList<>();
    for (String s : sink) {
      int i = s.indexOf(' ', s.indexOf(' ') + 1);
      String body = s.substring(i + 1);
      if (body.startsWith(prefix)) {
        out.add(body);
      }
    }
    return out;
  }

  private void rec(long nowNs, String s) {
    sink.add(nowNs + " " + node + " " + s);
  }

  @Override
  public void onGraft(long nowNs, PeerId peer, String topic) {
    rec(nowNs, "graft " + peer + " " + topic);
  }

  @Override
  public void onPrune(long nowNs, PeerId peer, String topic, PruneReason reason) {
    rec(nowNs, "prune " + peer + " " + topic + " " + reason);
  }

  @Override
  public void onGraftBackoffViolation(long nowNs, PeerId peer, String topic, boolean flood) {
    rec(nowNs, "backoffViolation " + peer + " " + topic + " " + flood);
  }

  @Override
  public void onDeliver(long nowNs, MessageId id, PubMessage message, PeerId from) {
    rec(nowNs, "deliver " + id + " " + from);
  }

  @Override
  public void onDuplicate(long nowNs, MessageId id, String topic, PeerId from) {
    rec(nowNs, "duplicate " + id + " " + from);
  }

  @Override
  public void onReject(long nowNs, MessageId id, String topic, PeerId from, RejectReason reason) {
    rec(nowNs, "reject " + reason + " " + id + " " + from);
  }

  @Override
  public void onIgnore(long nowNs, MessageId id, String topic, PeerId from, IgnoreReason reason) {
    rec(nowNs, "ignore " + reason + " " + id + " " + from);
  }

  @Override
  public void onIHaveSent(long nowNs, PeerId peer, String topic, int count) {
    rec(nowNs, "ihaveSent " + peer + " " + count);
  }

  @Override
  public void onIWantSent(long nowNs, PeerId peer, int count) {
    rec(nowNs, "iwantSent " + peer + " " + count);
  }

  @Override
  public void onIWantReceived(long nowNs, PeerId peer, int count, int served) {
    rec(nowNs, "iwantReceived " + peer + " " + count + " " + served);
  }

  @Override
  public void onIDontWantSent(long nowNs, PeerId peer, int count) {
    rec(nowNs, "idontwantSent " + peer + " " + count);
  }

  @Override
  public void onBrokenPromise(long nowNs, PeerId peer, int count) {
    rec(nowNs, "brokenPromise " + peer + " " + count);
  }

  @Override
  public void onThrottled(long nowNs, PeerId peer, ThrottleReason reason) {
    rec(nowNs, "throttled " + reason + " " + peer);
  }

  @Override
  public void onMalformedRpc(long nowNs, PeerId peer, dev.weft.core.events.MalformedReason reason) {
    rec(nowNs, "malformed " + reason + " " + peer);
  }

  @Override
  public void onPeerExchange(long nowNs, PeerId pruner, String topic, int dials) {
    rec(nowNs, "px " + pruner + " " + dials);
  }

  @Override
  public void onPublish(long nowNs, MessageId id, String topic, int recipients) {
    rec(nowNs, "publish " + id + " " + recipients);
  }
}
