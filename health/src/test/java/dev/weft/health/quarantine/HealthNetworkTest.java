package dev.weft.health.quarantine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.gossip.GossipParams;
import dev.weft.core.gossip.SignaturePolicy;
import dev.weft.core.gossip.ValidationResult;
import dev.weft.core.testkit.TestNetwork;
import dev.weft.core.wire.MessageId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The line that matters on a whole network of real cores in virtual time ({@link TestNetwork}),
 * every honest node running its own {@link HealthMonitor} as the router's scorer: a demo-like
 * relay mesh with honest leaf subscribers that are always fed first by one relay (so they never
 * send that relay anything unless probed), an honest peer behind 300 ms and 5% loss on every
 * link, a black hole and an invalid-message spammer. Heartbeat 1 s.
 */
class HealthNetworkTest {
  static final long S = 1_000_000_000L;
  static final String T = "quotes";
  // 0-2 publishers, 3-6 relays, 7-10 leaf subscribers, 11 slow/lossy honest, 12 black hole,
  // 13 spammer
  static final int SLOW = 11;
  static final int HOLE = 12;
  static final int SPAMMER = 13;
  static final int HONEST = 12;
  static final long SPAM_AT = 20 * S;

  record Seen(int observer, Transition t) {}

  final List<Seen> transitions = new ArrayList<>();
  final Map<Integer, HealthMonitor> monitors = new HashMap<>();

  TestNetwork build(long seed) {
    GossipParams params = GossipParams.lowLatencyMarketData().toBuilder()
        .heartbeatInterval(Duration.ofSeconds(1))
        .signaturePolicy(SignaturePolicy.STRICT_NO_SIGN).build();
    TestNetwork.Builder b = TestNetwork.builder().peers(14).topics(T).seed(seed).params(params)
        .latency(Duration.ofMillis(2)).jitter(Duration.ofMillis(1))
        .validationDelay(Duration.ofMillis(1))
        .customize((i, nb) -> {
          if (i < HONEST) {
            HealthMonitor m = new HealthMonitor(HealthMonitor.Config.defaults(T)
                .withListener(t -> transitions.add(new Seen(i, t))), 0);
            monitors.put(i, m);
            nb.scorer(m).thresholds(dev.weft.core.gossip.PeerScoreThresholds.jsDefaults());
          }
        });
    int[][] edges = {
        {0, 3}, {0, 4}, {1, 4}, {1, 5}, {2, 5}, {2, 6}, // publishers
        {3, 4}, {3, 5}, {3, 6}, {4, 5}, {4, 6}, {5, 6}, // relays
        {7, 3}, {7, 4}, {7, 8}, {8, 4}, {8, 5}, {8, 9}, // leaves (a ring)
        {9, 5}, {9, 6}, {9, 10}, {10, 6}, {10, 3}, {10, 7},
        {SLOW, 3}, {SLOW, 4}, {SLOW, 5}, {SLOW, 7},
        {HOLE, 3}, {HOLE, 4}, {HOLE, 5}, {HOLE, 6},
        {SPAMMER, 3}, {SPAMMER, 4}, {SPAMMER, 7}};
    for (int[] e : edges) {
      b.edge(e[0], e[1]);
    }
    // each leaf's first relay is fast, its other links slow: that relay always reaches it first
    int[][] slowLeafLinks = {{7, 4}, {7, 8}, {8, 5}, {8, 9}, {9, 6}, {9, 10}, {10, 3}, {10, 7}};
    for (int[] e : slowLeafLinks) {
      b.linkLatency(e[0], e[1], Duration.ofMillis(25));
    }
    for (int j : new int[] {3, 4, 5, 7}) {
      b.linkLatency(SLOW, j, Duration.ofMillis(300));
    }
    TestNetwork net = b.build();
    SplittableRandom loss = new SplittableRandom(seed);
    net.linkFilter((from, to, m) -> {
      if (from == HOLE) {
        return false; // the black hole forwards nothing (control still flows)
      }
      return (from != SLOW && to != SLOW) || loss.nextInt(100) >= 5;
    });
    for (int i = 0; i < HONEST; i++) {
      net.validator(i, T, m -> new String(m.data(), StandardCharsets.UTF_8).startsWith("spam")
          ? ValidationResult.REJECT : ValidationResult.ACCEPT);
    }
    return net;
  }

  @Test
  void shouldQuarantineBlackHoleAndSpammerButNoHonestLeafOrSlowPeer() {
    TestNetwork net = build(3);
    Map<MessageId, Integer> honest = new HashMap<>();
    // 3 publishers x 20 msgs/s for 60 s; the spammer floods 200 invalid msgs/s from 20 s
    for (long t = S; t < 61 * S; t += 50_000_000L) {
      long at = t;
      int pub = (int) (t / 50_000_000L % 3);
      net.schedule(at, () -> honest.put(net.publish(pub, T,
          ("q" + at).getBytes(StandardCharsets.UTF_8)).id(), pub));
    }
    for (long t = SPAM_AT; t < 40 * S; t += 5_000_000L) {
      long at = t;
      net.schedule(at, () -> net.publish(SPAMMER, T, ("spam" + at).getBytes(StandardCharsets.UTF_8)));
    }
    net.runFor(Duration.ofSeconds(65));

    // no honest peer is isolated by anyone, or even suspected
    Map<Integer, List<String>> honestTouched = new TreeMap<>();
    for (Seen s : transitions) {
      int peer = net.indexOf(s.t().peer());
      if (peer < HONEST) {
        honestTouched.computeIfAbsent(peer, k -> new ArrayList<>()).add("n" + s.observer()
            + ": " + s.t());
      }
    }
    assertEquals(Map.of(), honestTouched, "honest peers (leaves 7-10, slow 11) untouched");

    // the black hole: every honest neighbour quarantines it within 10 heartbeats (10 s) of the
    // start (it grafts in the first heartbeat)
    for (int n : new int[] {3, 4, 5, 6}) {
      long at = firstIsolation(net, n, HOLE);
      assertTrue(at > 0, "relay " + n + " quarantined the black hole: "
          + monitors.get(n).explain(net.node(HOLE).router().self(), net.nowNs()));
      assertTrue(at <= 11 * S, "relay " + n + " within 10 heartbeats: " + at / 1_000_000 + " ms");
      assertEquals(QuarantineReason.BLACK_HOLE, reasonOf(net, n, HOLE));
    }
    // the spammer: every neighbour within 2 heartbeats of the first invalid message
    for (int n : new int[] {3, 4, 7}) {
      long at = firstIsolation(net, n, SPAMMER);
      assertTrue(at > SPAM_AT && at - SPAM_AT <= 2 * S, "node " + n + " quarantined the spammer "
          + "within 2 heartbeats: " + (at - SPAM_AT) / 1_000_000 + " ms");
      assertEquals(QuarantineReason.INVALID_MESSAGES, reasonOf(net, n, SPAMMER));
    }

    // every honest message reached every honest node, the slow one included (a node does not
    // deliver its own publishes)
    for (int i = 0; i < HONEST; i++) {
      Set<MessageId> got = new HashSet<>();
      net.deliveries(i).forEach(d -> got.add(d.id()));
      int node = i;
      long missing = honest.entrySet().stream()
          .filter(e -> e.getValue() != node && !got.contains(e.getKey())).count();
      assertEquals(0, missing, "node " + i + " missed " + missing + " of " + honest.size());
    }
  }

  long firstIsolation(TestNetwork net, int observer, int peer) {
    return transitions.stream().filter(s -> s.observer() == observer
            && s.t().peer().equals(net.node(peer).router().self()) && s.t().to().isIsolated())
        .mapToLong(s -> s.t().nowNs()).findFirst().orElse(-1);
  }

  QuarantineReason reasonOf(TestNetwork net, int observer, int peer) {
    return transitions.stream().filter(s -> s.observer() == observer
            && s.t().peer().equals(net.node(peer).router().self()) && s.t().to().isIsolated())
        .findFirst().orElseThrow().t().reason();
  }
}
