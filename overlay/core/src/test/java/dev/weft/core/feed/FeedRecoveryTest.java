package dev.weft.core.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.testkit.TestNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class FeedRecoveryTest {
  private static final int N = 12;
  private static final int MSGS = 100;
  private static final int LOSSY = 5;

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static void publishStream(FeedNet f, int from, int to) {
    for (int seq = from; seq <= to; seq++) {
      f.publish(0, seq);
      f.net.runFor(Duration.ofMillis(5));
    }
  }

  /** Every copy of seq%10==3 headed for node 5 within 40 ms of publishing is lost. */
  private static FeedNet lossyToNode5(FeedOptions o) {
    FeedNet f = new FeedNet(TestNetwork.builder().peers(N).topics(FeedNet.TOPIC).seed(11), o);
    f.net.linkFilter((from, to, m) -> !(to == LOSSY && FeedNet.seqOf(m) % 10 == 3
        && f.net.nowNs() - FeedNet.publishTimeOf(m) < 40_000_000L));
    f.net.runFor(Duration.ofSeconds(3));
    return f;
  }

  @Test
  void shouldDetectGapsAndRecoverThemFromPeersCaches() {
    FeedNet f = lossyToNode5(FeedOptions.defaults());
    publishStream(f, 1, MSGS);
    f.net.runFor(Duration.ofSeconds(2));

    FeedSubscriber lossy = f.subs.get(LOSSY);
    List<Long> seqs = new ArrayList<>(f.seqs(LOSSY));
    seqs.sort(null);
    assertEquals(range(1, MSGS), seqs, "every sequence number exactly once");
    assertEquals(MSGS / 10, lossy.stats().gapsDetected());
    assertEquals(MSGS / 10, lossy.stats().recovered());
    assertEquals(0, lossy.stats().unrecoverable());
    assertTrue(lossy.stats().requests() > 0, "recovered by our requests: " + lossy.stats());
    assertTrue(f.events.get(LOSSY).contains("gap 3..3"), f.events.get(LOSSY).toString());
    assertTrue(f.events.get(LOSSY).contains("recovered 3"));
    long late = f.got.get(LOSSY).stream().filter(FeedMessage::outOfOrder).count();
    assertEquals(MSGS / 10, late, "unordered mode delivers recovered messages late");
    for (int i = 1; i < N; i++) {
      List<Long> s = new ArrayList<>(f.seqs(i));
      s.sort(null);
      assertEquals(range(1, MSGS), s, "node " + i);
      assertEquals(0, f.subs.get(i).drops().total(), "node " + i);
    }
  }

  @Test
  void shouldDeliverEveryMessageAtTenThousandPerSecondDespiteThirtyPercentCopyLoss() {
    // 20 nodes, 1,000 messages at 10,000/s (virtual time), each message copy on each link lost
    // with probability 0.3 (IWANT answers too): every subscriber ends with every sequence number.
    // The feed is known to start at 1 (snapshot 0), so a lost first message is a gap too.
    int peers = 20;
    int msgs = 1000;
    FeedNet f = new FeedNet(TestNetwork.builder().peers(peers).outboundPerNode(4)
        .topics(FeedNet.TOPIC).seed(15).messageLoss(0.3),
        FeedOptions.defaults().withSnapshots((topic, feed, first) -> 0));
    f.net.runFor(Duration.ofSeconds(3));
    for (int seq = 1; seq <= msgs; seq++) {
      f.publish(0, seq);
      f.net.runFor(Duration.ofNanos(100_000));
    }
    f.net.runFor(Duration.ofSeconds(3));
    long gaps = 0;
    for (int i = 1; i < peers; i++) {
      FeedSubscriber s = f.subs.get(i);
      List<Long> seqs = new ArrayList<>(f.seqs(i));
      seqs.sort(null);
      assertTrue(range(1, msgs).equals(seqs), "node " + i + " " + s.stats());
      assertEquals(0, s.stats().unrecoverable(), "node " + i);
      gaps += s.stats().gapsDetected();
    }
    assertTrue(gaps > 0, "the loss made gaps that were recovered");
  }

  @Test
  void shouldReportGapNobodyCanFillAsUnrecoverable() {
    FeedNet f = new FeedNet(TestNetwork.builder().peers(N).topics(FeedNet.TOPIC).seed(12),
        FeedOptions.defaults());
    // the publisher's copies of seq 7 never leave it: no cache but its own holds it... and its
    // own cache answers, so drop every copy of 7 on every link
    f.net.linkFilter((from, to, m) -> FeedNet.seqOf(m) != 7);
    f.net.runFor(Duration.ofSeconds(3));
    publishStream(f, 1, 20);
    f.net.runFor(Duration.ofSeconds(3));
    for (int i = 1; i < N; i++) {
      FeedSubscriber s = f.subs.get(i);
      assertEquals(1, s.stats().gapsDetected(), "node " + i);
      assertEquals(1, s.stats().unrecoverable(), "node " + i);
      assertEquals(FeedOptions.defaults().maxAttempts(), s.stats().requests(), "node " + i);
      assertTrue(f.events.get(i).contains("unrecoverable 7..7"), f.events.get(i).toString());
      assertFalse(f.seqs(i).contains(7L));
      assertEquals(19, f.got.get(i).size());
      assertTrue(s.missing(FeedNet.TOPIC, FeedNet.FEED).isEmpty());
    }
  }

  @Test
  void shouldDeliverInOrderWhenGapsAreRecoveredWithinTheHold() {
    FeedNet f = lossyToNode5(FeedOptions.defaults().withInOrder(Duration.ofMillis(500)));
    publishStream(f, 1, MSGS);
    f.net.runFor(Duration.ofSeconds(2));
    assertEquals(range(1, MSGS), f.seqs(LOSSY), "in order, none missing");
    assertEquals(0, f.subs.get(LOSSY).stats().outOfOrder());
    assertEquals(0, f.subs.get(LOSSY).stats().holdExpiries());
    assertEquals(MSGS / 10, f.subs.get(LOSSY).stats().recovered());
  }

  @Test
  void shouldDeliverPastAGapWhenTheHoldExpiresAndReportIt() {
    Duration hold = Duration.ofMillis(100);
    FeedNet f = new FeedNet(TestNetwork.builder().peers(N).topics(FeedNet.TOPIC).seed(13),
        FeedOptions.defaults().withInOrder(hold));
    f.net.linkFilter((from, to, m) -> FeedNet.seqOf(m) != 7);
    f.net.runFor(Duration.ofSeconds(3));
    publishStream(f, 1, 20);
    f.net.runFor(Duration.ofSeconds(3));
    for (int i = 1; i < N; i++) {
      List<Long> expected = new ArrayList<>(range(1, 20));
      expected.remove(Long.valueOf(7));
      assertEquals(expected, f.seqs(i), "node " + i + " delivers in order past the gap");
      assertTrue(f.events.get(i).contains("hold-expired 8 skipped 1")
          || f.events.get(i).stream().anyMatch(e -> e.startsWith("hold-expired") && e.endsWith(
              "skipped 1")), f.events.get(i).toString());
      // message 8 was held for the whole hold before delivery
      int idx8 = f.seqs(i).indexOf(8L);
      long heldNs = f.deliveredAtNs.get(i).get(idx8) - f.got.get(i).get(idx8).receivedNs();
      assertTrue(heldNs >= hold.toNanos(), "held " + heldNs);
      assertTrue(heldNs < hold.toNanos() + 5_000_000L, "released promptly: " + heldNs);
      assertEquals(1, f.subs.get(i).stats().unrecoverable());
    }
  }

  @Test
  void shouldStartLateJoinerFromSnapshotAndRecoverOnlyWhatFollowsIt() {
    int late = 9;
    long[] firstSeen = {-1};
    FeedOptions withSnap = FeedOptions.defaults().withSnapshots((topic, feed, first) -> {
      firstSeen[0] = first;
      return first - 4; // the application's snapshot is 3 messages behind the live stream
    });
    FeedNet f = new FeedNet(TestNetwork.builder().peers(10).seed(14), withSnap);
    for (int i = 0; i < 10; i++) {
      if (i != late) {
        f.net.subscribe(i, FeedNet.TOPIC);
      }
    }
    f.net.runFor(Duration.ofSeconds(3));
    publishStream(f, 1, 40);
    f.net.subscribe(late, FeedNet.TOPIC);
    publishStream(f, 41, 80);
    f.net.runFor(Duration.ofSeconds(2));
    FeedSubscriber s = f.subs.get(late);
    assertTrue(firstSeen[0] > 40, "first seen " + firstSeen[0]);
    List<Long> seqs = new ArrayList<>(f.seqs(late));
    seqs.sort(null);
    assertEquals(range(firstSeen[0] - 3, 80), seqs);
    // the snapshot gap, plus any reordering while the new mesh links settle
    assertTrue(f.events.get(late).contains("gap " + (firstSeen[0] - 3) + ".." + (firstSeen[0] - 1)),
        f.events.get(late).toString());
    assertEquals(s.stats().gapsDetected(), s.stats().recovered());
    assertEquals(0, s.stats().unrecoverable());
  }

  @Test
  void shouldStartLateJoinerAtFirstSeenWithoutSnapshotAndReportNoGap() {
    int late = 9;
    FeedNet f = new FeedNet(TestNetwork.builder().peers(10).seed(14), FeedOptions.defaults());
    for (int i = 0; i < 10; i++) {
      if (i != late) {
        f.net.subscribe(i, FeedNet.TOPIC);
      }
    }
    f.net.runFor(Duration.ofSeconds(3));
    publishStream(f, 1, 40);
    f.net.subscribe(late, FeedNet.TOPIC);
    publishStream(f, 41, 80);
    f.net.runFor(Duration.ofSeconds(2));
    FeedSubscriber s = f.subs.get(late);
    long first = f.seqs(late).get(0);
    assertTrue(first > 40);
    List<Long> seqs = new ArrayList<>(f.seqs(late));
    seqs.sort(null);
    assertEquals(range(first, 80), seqs);
    // nothing before the first message counts as a gap (only reordering after it may)
    for (String e : f.events.get(late)) {
      if (e.startsWith("gap ")) {
        assertTrue(Long.parseLong(e.substring(4, e.indexOf('.'))) > first, e);
      }
    }
    assertEquals(0, s.stats().unrecoverable());
  }
}
