package dev.weft.core.events;

import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;

/** Forwards each event to every listener, in order. */
final class CompositeEvents implements OverlayEvents {
  private final OverlayEvents[] ls;

  CompositeEvents(OverlayEvents[] listeners) {
    this.ls = listeners.clone();
  }

  @Override
  public void onPeerAdded(long nowNs, PeerId peer, String protocolId, boolean outbound) {
    for (OverlayEvents l : ls) {
      l.onPeerAdded(nowNs, peer, protocolId, outbound);
    }
  }

  @Override
  public void onPeerRemoved(long nowNs, PeerId peer) {
    for (OverlayEvents l : ls) {
      l.onPeerRemoved(nowNs, peer);
    }
  }

  @Override
  public void onJoin(long nowNs, String topic) {
    for (OverlayEvents l : ls) {
      l.onJoin(nowNs, topic);
    }
  }

  @Override
  public void onLeave(long nowNs, String topic) {
    for (OverlayEvents l : ls) {
      l.onLeave(nowNs, topic);
    }
  }

  @Override
  public void onPeerSubscription(long nowNs, PeerId peer, String topic, boolean subscribed) {
    for (OverlayEvents l : ls) {
      l.onPeerSubscription(nowNs, peer, topic, subscribed);
    }
  }

  @Override
  public void onGraft(long nowNs, PeerId peer, String topic) {
    for (OverlayEvents l : ls) {
      l.onGraft(nowNs, peer, topic);
    }
  }

  @Override
  public void onPrune(long nowNs, PeerId peer, String topic, PruneReason reason) {
    for (OverlayEvents l : ls) {
      l.onPrune(nowNs, peer, topic, reason);
    }
  }

  @Override
  public void onGraftBackoffViolation(long nowNs, PeerId peer, String topic, boolean flood) {
    for (OverlayEvents l : ls) {
      l.onGraftBackoffViolation(nowNs, peer, topic, flood);
    }
  }

  @Override
  public void onFirstSeen(long nowNs, MessageId id, PubMessage message, PeerId from) {
    for (OverlayEvents l : ls) {
      l.onFirstSeen(nowNs, id, message, from);
    }
  }

  @Override
  public void onDeliver(long nowNs, MessageId id, PubMessage message, PeerId from) {
    for (OverlayEvents l : ls) {
      l.onDeliver(nowNs, id, message, from);
    }
  }

  @Override
  public void onDuplicate(long nowNs, MessageId id, String topic, PeerId from) {
    for (OverlayEvents l : ls) {
      l.onDuplicate(nowNs, id, topic, from);
    }
  }

  @Override
  public void onReject(long nowNs, MessageId id, String topic, PeerId from, RejectReason reason) {
    for (OverlayEvents l : ls) {
      l.onReject(nowNs, id, topic, from, reason);
    }
  }

  @Override
  public void onIgnore(long nowNs, MessageId id, String topic, PeerId from, IgnoreReason reason) {
    for (OverlayEvents l : ls) {
      l.onIgnore(nowNs, id, topic, from, reason);
    }
  }

  @Override
  public void onPublish(long nowNs, MessageId id, String topic, int recipients) {
    for (OverlayEvents l : ls) {
      l.onPublish(nowNs, id, topic, recipients);
    }
  }

  @Override
  public void onIHaveSent(long nowNs, PeerId peer, String topic, int count) {
    for (OverlayEvents l : ls) {
      l.onIHaveSent(nowNs, peer, topic, count);
    }
  }

  @Override
  public void onIHaveReceived(long nowNs, PeerId peer, String topic, int count) {
    for (OverlayEvents l : ls) {
      l.onIHaveReceived(nowNs, peer, topic, count);
    }
  }

  @Override
  public void onIWantSent(long nowNs, PeerId peer, int count) {
    for (OverlayEvents l : ls) {
      l.onIWantSent(nowNs, peer, count);
    }
  }

  @Override
  public void onIWantReceived(long nowNs, PeerId peer, int count, int served) {
    for (OverlayEvents l : ls) {
      l.onIWantReceived(nowNs, peer, count, served);
    }
  }

  @Override
  public void onIDontWantSent(long nowNs, PeerId peer, int count) {
    for (OverlayEvents l : ls) {
      l.onIDontWantSent(nowNs, peer, count);
    }
  }

  @Override
  public void onIDontWantReceived(long nowNs, PeerId peer, int count) {
    for (OverlayEvents l : ls) {
      l.onIDontWantReceived(nowNs, peer, count);
    }
  }

  @Override
  public void onBrokenPromise(long nowNs, PeerId peer, int count) {
    for (OverlayEvents l : ls) {
      l.onBrokenPromise(nowNs, peer, count);
    }
  }

  @Override
  public void onThrottled(long nowNs, PeerId peer, ThrottleReason reason) {
    for (OverlayEvents l : ls) {
      l.onThrottled(nowNs, peer, reason);
    }
  }

  @Override
  public void onMalformedRpc(long nowNs, PeerId peer, MalformedReason reason) {
    for (OverlayEvents l : ls) {
      l.onMalformedRpc(nowNs, peer, reason);
    }
  }

  @Override
  public void onPeerExchange(long nowNs, PeerId pruner, String topic, int dials) {
    for (OverlayEvents l : ls) {
      l.onPeerExchange(nowNs, pruner, topic, dials);
    }
  }

  @Override
  public void onHeartbeat(long nowNs, long heartbeatTicks) {
    for (OverlayEvents l : ls) {
      l.onHeartbeat(nowNs, heartbeatTicks);
    }
  }
}
