package dev.weft.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.gossip.GossipParams;
import dev.weft.core.gossip.SignaturePolicy;
import dev.weft.core.gossip.ValidationResult;
import dev.weft.core.identity.PeerId;
import dev.weft.core.testkit.TestKeys;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import dev.weft.core.wire.SubOpts;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NodeCoreTest {
  static final PeerId SELF = TestKeys.peerId(1, 0);
  static final PeerId OTHER = TestKeys.peerId(1, 1);

  static NodeCore node() {
    return NodeCore.builder().self(SELF).random(new SplittableRandom(1))
        .signer(TestKeys.signer(1, 0)).verifier(TestKeys.verifier()).build();
  }

  @Test
  void shouldRequireSignerUnderStrictSign() {
    assertThrows(NullPointerException.class,
        () -> NodeCore.builder().self(SELF).random(new SplittableRandom(1)).build());
  }

  @Test
  void shouldBuildWithoutSignerUnderStrictNoSign() {
    NodeCore n = NodeCore.builder().self(SELF).random(new SplittableRandom(1))
        .params(GossipParams.builder().signaturePolicy(SignaturePolicy.STRICT_NO_SIGN).build())
        .build();
    Outbox out = new Outbox();
    n.subscribe(0, "t", out);
    n.peerConnected(0, OTHER, "/meshsub/1.1.0", true, out);
    n.rpcReceived(0, OTHER, Rpc.ofSubscriptions(List.of(new SubOpts(true, "t"))), out);
    out.drain();
    n.publish(0, "t", "x".getBytes(), out);
    Effect.SendRpc last = (Effect.SendRpc) out.drain().get(0);
    PubMessage m = last.rpc().messages().get(0);
    assertTrue(!m.hasFrom() && !m.hasSeqno() && !m.hasSignature() && !m.hasKey());
    assertEquals(dev.weft.core.gossip.GossipRouter.PublishStatus.PUBLISHED,
        n.publish(0, "t", "y".getBytes(), out).status(), "content IDs by default: distinct data");
  }

  @Test
  void shouldRejectSignerForAnotherPeer() {
    assertThrows(IllegalArgumentException.class, () -> NodeCore.builder().self(SELF)
        .random(new SplittableRandom(1)).signer(TestKeys.signer(1, 5))
        .verifier(TestKeys.verifier()).build());
  }

  @Test
  void shouldDisconnectPeerWithUnsupportedProtocol() {
    Outbox out = new Outbox();
    node().peerConnected(0, OTHER, "/chat/1.0.0", true, out);
    List<Effect> effects = out.drain();
    assertEquals(1, effects.size());
    assertInstanceOf(Effect.Disconnect.class, effects.get(0));
  }

  @Test
  void shouldHandleQueuedInputsLikeDirectCalls() {
    NodeCore a = node();
    NodeCore b = node();
    List<Input> inputs = List.of(
        new Input.Subscribe("t"),
        new Input.PeerConnected(OTHER, "/meshsub/1.2.0", true),
        new Input.RpcReceived(OTHER, Rpc.ofSubscriptions(List.of(new SubOpts(true, "t")))),
        new Input.Tick(),
        new Input.Publish("t", "hello".getBytes()),
        new Input.ValidationCompleted(dev.weft.core.wire.MessageId.of(new byte[1]),
            ValidationResult.ACCEPT),
        new Input.Unsubscribe("t"),
        new Input.PeerDisconnected(OTHER));
    Outbox outA = new Outbox();
    long now = 200_000_000L;
    for (Input in : inputs) {
      a.handle(now, in, outA);
    }
    Outbox outB = new Outbox();
    b.subscribe(now, "t", outB);
    b.peerConnected(now, OTHER, "/meshsub/1.2.0", true, outB);
    b.rpcReceived(now, OTHER, Rpc.ofSubscriptions(List.of(new SubOpts(true, "t"))), outB);
    b.tick(now, outB);
    b.publish(now, "t", "hello".getBytes(), outB);
    b.unsubscribe(now, "t", outB);
    b.peerDisconnected(now, OTHER, outB);
    assertEquals(outB.drain(), outA.drain());
  }

  @Test
  void shouldScheduleFirstHeartbeatAfterInitialDelay() {
    NodeCore n = node();
    assertEquals(100_000_000L, n.nextDeadlineNs());
    Outbox out = new Outbox();
    n.tick(50_000_000L, out);
    assertEquals(0, n.router().heartbeatTicks());
    n.tick(100_000_000L, out);
    assertEquals(1, n.router().heartbeatTicks());
    assertEquals(1_100_000_000L, n.nextDeadlineNs());
  }
}
