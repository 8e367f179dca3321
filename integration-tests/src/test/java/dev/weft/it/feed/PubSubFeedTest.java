package dev.weft.it.feed;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.feed.FeedHeader;
import dev.weft.core.feed.FeedMessageIdFn;
import dev.weft.core.gossip.GossipRouter;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.MessageIdFn;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostConfig;
import dev.weft.net.pubsub.PubSub;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Feeds through the Netty driver on loopback: priority send queues and IWANT-by-ID recovery. */
class PubSubFeedTest {
  private static final String TOPIC = "md";
  private static final byte[] FEED = {42};
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private record Node(Host host, PubSub pubsub, Set<Long> seqs) {}

  private Node node() throws Exception {
    Host h = new Host(HostConfig.builder(Ed25519Keys.generate(new SecureRandom()))
        .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).build());
    closeables.add(h);
    h.start();
    PubSub ps = new PubSub(h, PubSub.Config.defaults(), null,
        new FeedMessageIdFn(MessageIdFn.goDefault()));
    closeables.add(ps);
    Set<Long> seqs = ConcurrentHashMap.newKeySet();
    ps.addListener(d -> seqs.add(FeedHeader.decode(d.message().data()).header().seq()));
    return new Node(h, ps, seqs);
  }

  private static void dial(Node a, Node b) throws Exception {
    a.host.dial(b.host.listenAddrs().get(0).withPeerId(b.host.peerId())).get(20, TimeUnit.SECONDS);
  }

  private static byte[] msg(long seq) {
    return new FeedHeader(FEED, seq, 0, null).encode(("v" + seq).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldDeliverThroughPrioritySendQueuesAndRecoverMissedMessagesById() throws Exception {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      nodes.add(node());
    }
    for (int i = 0; i < 4; i++) {
      dial(nodes.get(i), nodes.get((i + 1) % 4));
    }
    dial(nodes.get(0), nodes.get(2));
    Node late = nodes.get(3);
    for (int i = 0; i < 3; i++) {
      nodes.get(i).pubsub.subscribe(TOPIC).get(5, TimeUnit.SECONDS);
    }
    Node pub = nodes.get(0);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        pub.pubsub.meshPeers(TOPIC).get().size() == 2
            && nodes.get(2).pubsub.meshPeers(TOPIC).get().size() == 2);
    for (long seq = 1; seq <= 200; seq++) {
      assertEquals(GossipRouter.PublishStatus.PUBLISHED,
          pub.pubsub.publish(TOPIC, msg(seq)).get(5, TimeUnit.SECONDS).status());
    }
    for (int i = 1; i < 3; i++) {
      Node n = nodes.get(i);
      await().atMost(Duration.ofSeconds(30)).until(() -> n.seqs.size() == 200);
    }
    assertTrue(late.seqs.isEmpty(), "not subscribed yet");

    // the late node joins and asks its mesh for what it missed, by derived ID
    late.pubsub.subscribe(TOPIC).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        !late.pubsub.meshPeers(TOPIC).get().isEmpty());
    List<MessageId> ids = new ArrayList<>();
    for (long seq = 191; seq <= 200; seq++) {
      ids.add(FeedMessageIdFn.idOf(TOPIC, FEED, seq));
    }
    assertTrue(late.pubsub.requestMessages(TOPIC, ids, 2).get(5, TimeUnit.SECONDS) >= 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> late.seqs.size() == 10);
    assertEquals(191L, late.seqs.stream().mapToLong(Long::longValue).min().orElseThrow());
    for (Node n : nodes) {
      assertTrue(n.pubsub.sendDrops().isEmpty() || n.pubsub.sendDrops().keySet().stream()
          .allMatch(r -> r.name().equals("PEER_GONE")), n.pubsub.sendDrops().toString());
    }
  }
}
