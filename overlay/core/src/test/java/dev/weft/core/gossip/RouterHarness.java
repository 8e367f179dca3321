package dev.weft.core.gossip;

import dev.weft.core.identity.PeerId;
import dev.weft.core.node.Effect;
import dev.weft.core.node.Outbox;
import dev.weft.core.testkit.TestKeys;
import dev.weft.core.testkit.TraceEvents;
import dev.weft.core.wire.ControlMessage;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.MessageIdFn;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import dev.weft.core.wire.SigningBytes;
import dev.weft.core.wire.SubOpts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** One router under test (node 0) with scripted remote peers 1..n; time moves only by advance(). */
final class RouterHarness {
  static final long SEED = 77;
  static final String T = "t";

  final GossipParams params;
  final GossipRouter router;
  final TraceEvents trace = new TraceEvents();
  final Map<PeerId, Double> scores = new HashMap<>();
  final List<Effect> effects = new ArrayList<>();
  long nowNs = 0;

  RouterHarness(GossipParams params) {
    this(params, PeerScoreThresholds.neutral(), Set.of());
  }

  RouterHarness(GossipParams params, PeerScoreThresholds thresholds, Set<PeerId> direct) {
    this.params = params;
    PeerScorer scorer = (peer, now) -> scores.getOrDefault(peer, 0.0);
    this.router = new GossipRouter(new GossipRouter.Config(peer(0), params, thresholds, scorer,
        trace, MessageIdFn.goDefault(), TestKeys.signer(SEED, 0), TestKeys.verifier(),
        new SplittableRandom(5), 100, direct, 0));
  }

  static PeerId peer(int i) {
    return TestKeys.peerId(SEED, i);
  }


  private void drain(Outbox o) {
    effects.addAll(o.drain());
  }

  PeerId connect(int i, String protocol, boolean outbound) {
    Outbox o = new Outbox();
    router.peerConnected(nowNs, peer(i), protocol, outbound, o);
    drain(o);
    return peer(i);
  }

  /** Connects peers from..to inclusive (1.2, outbound) and has them subscribe to T. */
  void connectSubscribed(int from, int to) {
    for (int i = from; i <= to; i++) {
      connect(i, "/meshsub/1.2.0", true);
      rpc(i, Rpc.ofSubscriptions(List.of(new SubOpts(true, T))));
    }
  }

  void rpc(int i, Rpc rpc) {
    Outbox o = new Outbox();
    router.rpcReceived(nowNs, peer(i), rpc, o);
    drain(o);
  }

  void control(int i, ControlMessage c) {
    rpc(i, Rpc.ofControl(c));
  }

  void subscribe(String topic) {
    Outbox o = new Outbox();
    router.subscribe(nowNs, topic, o);
    drain(o);
  }

  void unsubscribe(String topic) {
    Outbox o = new Outbox();
    router.unsubscribe(nowNs, topic, o);
    drain(o);
  }

  GossipRouter.PublishResult publish(String topic, byte[] data) {
    Outbox o = new Outbox();
    GossipRouter.PublishResult r = router.publish(nowNs, topic, data, o);
    drain(o);
    return r;
  }

  void validated(MessageId id, ValidationResult r) {
    Outbox o = new Outbox();
    router.validationCompleted(nowNs, id, r, o);
    drain(o);
  }

  /** Moves time forward, running every heartbeat that falls due. */
  void advance(Duration d) {
    long end = nowNs + d.toNanos();
    while (router.nextDeadlineNs() - end <= 0) {
      nowNs = router.nextDeadlineNs();
      Outbox o = new Outbox();
      router.tick(nowNs, o);
      drain(o);
    }
    nowNs = end;
  }

  /** RPCs sent to peer i since the last clear. */
  List<Rpc> sentTo(int i) {
    List<Rpc> out = new ArrayList<>();
    for (Effect e : effects) {
      if (e instanceof Effect.SendRpc s && s.peer().equals(peer(i))) {
        out.add(s.rpc());
      }
    }
    return out;
  }

  List<PubMessage> messagesTo(int i) {
    List<PubMessage> out = new ArrayList<>();
    sentTo(i).forEach(r -> out.addAll(r.messages()));
    return out;
  }

  List<ControlMessage.Graft> graftsTo(int i) {
    List<ControlMessage.Graft> out = new ArrayList<>();
    sentTo(i).forEach(r -> out.addAll(r.controlOrEmpty().graft()));
    return out;
  }

  List<ControlMessage.Prune> prunesTo(int i) {
    List<ControlMessage.Prune> out = new ArrayList<>();
    sentTo(i).forEach(r -> out.addAll(r.controlOrEmpty().prune()));
    return out;
  }

  List<ControlMessage.IHave> ihavesTo(int i) {
    List<ControlMessage.IHave> out = new ArrayList<>();
    sentTo(i).forEach(r -> out.addAll(r.controlOrEmpty().ihave()));
    return out;
  }

  List<ControlMessage.IWant> iwantsTo(int i) {
    List<ControlMessage.IWant> out = new ArrayList<>();
    sentTo(i).forEach(r -> out.addAll(r.controlOrEmpty().iwant()));
    return out;
  }

  List<ControlMessage.IDontWant> idontwantsTo(int i) {
    List<ControlMessage.IDontWant> out = new ArrayList<>();
    sentTo(i).forEach(r -> out.addAll(r.controlOrEmpty().idontwant()));
    return out;
  }

  <T extends Effect> List<T> effectsOf(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Effect e : effects) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }

  void clear() {
    effects.clear();
  }

  /** A message authored and validly signed by remote node {@code author}. */
  static PubMessage signed(int author, String topic, byte[] data, long seqno) {
    byte[] from = peer(author).toBytes();
    PubMessage unsigned = new PubMessage(from, data, PubMessage.seqnoBytes(seqno), topic, null, null);
    byte[] sig = TestKeys.signer(SEED, author).sign(SigningBytes.of(unsigned));
    return new PubMessage(from, data, PubMessage.seqnoBytes(seqno), topic, sig, null);
  }

  static MessageId idOf(PubMessage m) {
    return MessageIdFn.goDefault().apply(m);
  }

  int meshSize() {
    return router.meshPeers(T).size();
  }

  static Duration secs(long s) {
    return Duration.ofSeconds(s);
  }
}
