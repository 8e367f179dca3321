package dev.weft.core.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.testkit.TestNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A/B publishers of one feed: each sequence number delivered once, failover without gaps. */
class ArbitrationTest {
  private static final int N = 20;
  private static final int A = 0;
  private static final int B = 1;
  private static final int MSGS = 200;

  private static List<Long> sorted(List<Long> s) {
    List<Long> out = new ArrayList<>(s);
    out.sort(null);
    return out;
  }

  private static void runAb(FeedNet f, int killAfter, Duration bLag) {
    f.net.runFor(Duration.ofSeconds(3));
    for (int seq = 1; seq <= MSGS; seq++) {
      if (seq <= killAfter) {
        f.publish(A, seq);
      }
      if (seq == killAfter) {
        f.net.isolate(A); // A crashes: its in-flight copies are lost with it
      }
      if (!bLag.isZero()) {
        f.net.runFor(bLag);
      }
      f.publish(B, seq);
      f.net.runFor(Duration.ofMillis(5).minus(bLag));
    }
    f.net.runFor(Duration.ofSeconds(2));
  }

  @Test
  void shouldDeliverEverySequenceOnceWithZeroGapsWhenPublisherAIsKilledMidStream() {
    FeedNet f = new FeedNet(TestNetwork.builder().peers(N).outboundPerNode(5)
        .topics(FeedNet.TOPIC).seed(21), FeedOptions.defaults());
    runAb(f, MSGS / 2, Duration.ofMillis(1));
    List<Long> all = LongStream.rangeClosed(1, MSGS).boxed().toList();
    for (int i = 2; i < N; i++) {
      FeedSubscriber s = f.subs.get(i);
      assertEquals(all, sorted(f.seqs(i)), "node " + i);
      assertEquals(MSGS, f.got.get(i).size(), "node " + i + " each seq once");
      assertEquals(0, s.stats().unrecoverable(), "node " + i);
      assertEquals(0, s.stats().gapsDetected(), "node " + i + ": " + f.events.get(i));
    }
  }

  @Test
  void shouldArbitrateBySequenceEvenWithContentBasedMessageIds() {
    // with go's from||seqno IDs the router sees A's and B's copies as different messages; the
    // subscriber still delivers each sequence number once and counts the other copy
    FeedNet f = new FeedNet(TestNetwork.builder().peers(N).outboundPerNode(5)
        .topics(FeedNet.TOPIC).seed(22), FeedOptions.defaults(), false);
    runAb(f, MSGS / 2, Duration.ZERO);
    List<Long> all = LongStream.rangeClosed(1, MSGS).boxed().toList();
    for (int i = 2; i < N; i++) {
      FeedSubscriber s = f.subs.get(i);
      assertEquals(all, sorted(f.seqs(i)), "node " + i);
      assertEquals(0, s.stats().unrecoverable(), "node " + i);
      // B's copies of the first half, less A's last few that died in flight with A
      long dups = s.drops().get(DropReason.DUPLICATE_SEQ);
      assertTrue(dups <= MSGS / 2 && dups >= MSGS / 2 - 5, "node " + i + " duplicates " + dups);
    }
  }
}
