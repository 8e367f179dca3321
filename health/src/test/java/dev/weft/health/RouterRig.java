package dev.weft.health;

import dev.weft.core.events.OverlayEvents;
import dev.weft.core.events.ThrottleReason;
import dev.weft.core.gossip.GossipParams;
import dev.weft.core.gossip.GossipRouter;
import dev.weft.core.gossip.PeerScoreThresholds;
import dev.weft.core.gossip.PeerScorer;
import dev.weft.core.gossip.SignaturePolicy;
import dev.weft.core.identity.PeerId;
import dev.weft.core.node.Effect;
import dev.weft.core.node.Outbox;
import dev.weft.core.wire.ControlMessage;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.MessageIdFn;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import dev.weft.core.wire.SubOpts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One router under test (node 0, StrictNoSign, content-hash IDs) with scripted remote peers, in
 * virtual time: {@link #at} schedules remote behaviour, {@link #advance} runs heartbeats and
 * scheduled actions in time order.
 */
public final class RouterRig {
  public static final String T = "t";
  public static final MessageIdFn ID_FN = MessageIdFn.contentSha256();

  public final GossipRouter router;
  public final List<Effect> effects = new ArrayList<>();
  public final Map<PeerId, Integer> graylistedRpcs = new HashMap<>();
  public long nowNs;

  private record Scheduled(long atNs, long seq, Runnable action) {}

  private final PriorityQueue<Scheduled> queue = new PriorityQueue<>((a, b) ->
      a.atNs != b.atNs ? Long.compare(a.atNs, b.atNs) : Long.compare(a.seq, b.seq));
  private long seq;

  public RouterRig(GossipParams params, PeerScoreThresholds thresholds, PeerScorer scorer) {
    OverlayEvents rec = new OverlayEvents() {
      @Override
      public void onThrottled(long nowNs, PeerId peer, ThrottleReason reason) {
        if (reason == ThrottleReason.GRAYLISTED) {
          graylistedRpcs.merge(peer, 1, Integer::sum);
        }
      }
    };
    this.router = new GossipRouter(new GossipRouter.Config(TestPeers.peer(0),
        params.toBuilder().signaturePolicy(SignaturePolicy.STRICT_NO_SIGN).build(), thresholds,
        scorer, rec, ID_FN, null, null, new SplittableRandom(5), 1, Set.of(), 0));
  }

  public static GossipParams params() {
    return GossipParams.builder().signaturePolicy(SignaturePolicy.STRICT_NO_SIGN).build();
  }

  public PeerId connect(int i) {
    Outbox o = new Outbox();
    router.peerConnected(nowNs, TestPeers.peer(i), "/meshsub/1.2.0", true, o);
    effects.addAll(o.drain());
    return TestPeers.peer(i);
  }

  public void disconnect(int i) {
    Outbox o = new Outbox();
    router.peerDisconnected(nowNs, TestPeers.peer(i), o);
    effects.addAll(o.drain());
  }

  /** Subscribes node 0 to T and connects peers from..to subscribed to T. */
  public void start(int from, int to) {
    Outbox o = new Outbox();
    router.subscribe(nowNs, T, o);
    effects.addAll(o.drain());
    for (int i = from; i <= to; i++) {
      connect(i);
      rpc(i, Rpc.ofSubscriptions(List.of(new SubOpts(true, T))));
    }
  }

  public void rpc(int i, Rpc rpc) {
    Outbox o = new Outbox();
    router.rpcReceived(nowNs, TestPeers.peer(i), rpc, o);
    effects.addAll(o.drain());
  }

  public void send(int i, PubMessage m) {
    rpc(i, Rpc.ofMessages(List.of(m)));
  }

  public void control(int i, ControlMessage c) {
    rpc(i, Rpc.ofControl(c));
  }

  /** A valid StrictNoSign message on T with payload {@code n}. */
  public static PubMessage msg(long n) {
    return PubMessage.unsigned(T, java.nio.ByteBuffer.allocate(8).putLong(n).array());
  }

  /** A message StrictNoSign rejects (it carries a signature). */
  public static PubMessage invalid(long n) {
    return new PubMessage(null, java.nio.ByteBuffer.allocate(8).putLong(n).array(), null, T,
        new byte[] {1, 2, 3}, null);
  }

  public static MessageId id(PubMessage m) {
    return ID_FN.apply(m);
  }

  /** Schedules an action at absolute virtual time {@code atNs}. */
  public void at(long atNs, Runnable action) {
    queue.add(new Scheduled(atNs, seq++, action));
  }

  /** Runs heartbeats and scheduled actions, in time order, until now + d. */
  public void advance(Duration d) {
    long end = nowNs + d.toNanos();
    while (true) {
      long hb = router.nextDeadlineNs();
      Scheduled s = queue.peek();
      long next = s != null && s.atNs - hb < 0 ? s.atNs : hb;
      if (next - end > 0) {
        break;
      }
      nowNs = Math.max(nowNs, next);
      if (s != null && s.atNs == next && s.atNs - hb < 0) {
        queue.poll();
        s.action.run();
      } else {
        Outbox o = new Outbox();
        router.tick(nowNs, o);
        effects.addAll(o.drain());
      }
    }
    nowNs = end;
  }

  /** Peers in node 0's mesh for T. */
  public List<PeerId> mesh() {
    return router.meshPeers(T);
  }

  public List<PubMessage> messagesTo(int i) {
    List<PubMessage> out = new ArrayList<>();
    for (Effect e : effects) {
      if (e instanceof Effect.SendRpc s && s.peer().equals(TestPeers.peer(i))) {
        out.addAll(s.rpc().messages());
      }
    }
    return out;
  }

  public List<ControlMessage.IWant> iwantsTo(int i) {
    List<ControlMessage.IWant> out = new ArrayList<>();
    for (Effect e : effects) {
      if (e instanceof Effect.SendRpc s && s.peer().equals(TestPeers.peer(i))) {
        out.addAll(s.rpc().controlOrEmpty().iwant());
      }
    }
    return out;
  }

  public void clear() {
    effects.clear();
  }
}
