package dev.weft.net.pubsub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.gossip.GossipParams;
import dev.weft.core.gossip.GossipRouter;
import dev.weft.core.identity.Multiaddr;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostConfig;
import dev.weft.routing.block.BlockRelay;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Chunked blocks over real loopback connections, with a peer that does not speak the protocol. */
class BlockLinkTest {
  private static final String TOPIC = "blocks";
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private Host host() throws Exception {
    Host h = new Host(HostConfig.builder(Ed25519Keys.generate(new SecureRandom()))
        .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).build());
    closeables.add(h);
    h.start();
    return h;
  }

  private PubSub pubsub(Host h, boolean blocks) {
    PubSub.Config d = PubSub.Config.defaults();
    GossipParams params = GossipParams.specDefaults().toBuilder()
        .heartbeatInterval(Duration.ofMillis(100)).heartbeatInitialDelay(Duration.ofMillis(50))
        .build();
    PubSub ps = new PubSub(h, d.withParams(params), null, null,
        blocks ? BlockOptions.of(Set.of(TOPIC)) : null);
    closeables.add(ps);
    return ps;
  }

  private static Multiaddr addr(Host h) {
    return h.listenAddrs().get(0).withPeerId(h.peerId());
  }

  @Test
  void aOneMebibyteBlockReachesBlockPeersAsChunksAndAPlainPeerWhole() throws Exception {
    int n = 5; // nodes 0..3 speak /weft/block/1.0.0, node 4 does not
    Host[] hosts = new Host[n];
    PubSub[] ps = new PubSub[n];
    Map<Integer, byte[]> got = new ConcurrentHashMap<>();
    AtomicInteger deliveries = new AtomicInteger();
    for (int i = 0; i < n; i++) {
      hosts[i] = host();
      ps[i] = pubsub(hosts[i], i < 4);
      int self = i;
      ps[i].addListener(dlv -> {
        deliveries.incrementAndGet();
        got.put(self, dlv.message().data());
      });
      ps[i].subscribe(TOPIC).get(5, TimeUnit.SECONDS);
    }
    // a line 0-1-2-3 plus 4 hanging off 3, and 0-2 so chunks have two paths
    int[][] links = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {0, 2}};
    for (int[] l : links) {
      hosts[l[0]].dial(addr(hosts[l[1]])).get(20, TimeUnit.SECONDS);
    }
    await().atMost(Duration.ofSeconds(30)).until(() ->
        ps[0].blockCapable(hosts[1].peerId()).get() && ps[3].blockCapable(hosts[2].peerId()).get()
        && ps[2].meshPeers(TOPIC).get().size() == 3 && ps[4].meshPeers(TOPIC).get().size() == 1);
    assertTrue(!ps[3].blockCapable(hosts[4].peerId()).get(), "node 4 answered na");

    byte[] block = new byte[1 << 20];
    new SplittableRandom(1).nextBytes(block);
    assertEquals(GossipRouter.PublishStatus.PUBLISHED,
        ps[0].publish(TOPIC, block).get(5, TimeUnit.SECONDS).status());
    await().atMost(Duration.ofSeconds(60)).until(() -> got.size() == n - 1);
    for (int i = 1; i < n; i++) {
      assertArrayEquals(block, got.get(i), "node " + i);
    }
    Thread.sleep(500); // no second delivery shows up
    assertEquals(n - 1, deliveries.get(), "each node delivers the block once");
    for (int i = 1; i < 4; i++) {
      BlockRelay.Stats s = ps[i].blockStats().get(5, TimeUnit.SECONDS);
      assertEquals(1, s.blocksRebuilt(), "node " + i + " rebuilt it from chunks: " + s);
      assertEquals(0, s.verifyFailures());
    }
  }
}
