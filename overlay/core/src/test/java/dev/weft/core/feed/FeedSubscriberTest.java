package dev.weft.core.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The subscriber alone, driven by hand: drop accounting, bounds and request scheduling. */
class FeedSubscriberTest {
  private static final byte[] FEED = {7};
  private final List<Long> delivered = new ArrayList<>();
  private final List<List<MessageId>> requests = new ArrayList<>();
  private final List<String> drops = new ArrayList<>();

  private FeedSubscriber subscriber(FeedOptions o) {
    FeedSubscriber s = new FeedSubscriber(new FeedSubscriber.Sink() {
      @Override
      public void deliver(FeedMessage m) {
        delivered.add(m.seq());
      }

      @Override
      public void request(String topic, List<MessageId> ids, int maxPeers) {
        requests.add(ids);
      }
    }, new FeedEvents() {
      @Override
      public void onDrop(long nowNs, String topic, DropReason reason) {
        drops.add(reason.name());
      }
    });
    s.follow("t", o);
    return s;
  }

  private static PubMessage msg(long seq) {
    return PubMessage.unsigned("t", new FeedHeader(FEED, seq, 0, null).encode(new byte[0]));
  }

  private static void feed(FeedSubscriber s, long nowNs, long seq) {
    assertTrue(s.onMessage(nowNs, "t", FeedMessageIdFn.idOf("t", FEED, seq), msg(seq), null));
  }

  @Test
  void shouldCountMalformedDuplicateAndEarlyMessages() {
    FeedSubscriber s = subscriber(FeedOptions.defaults());
    assertFalse(s.onMessage(0, "other", MessageId.of(new byte[] {1}), msg(1), null));
    assertTrue(s.onMessage(0, "t", MessageId.of(new byte[] {1}),
        PubMessage.unsigned("t", "not a feed".getBytes()), null));
    feed(s, 0, 10);
    feed(s, 0, 10);
    feed(s, 0, 9);
    assertEquals(List.of(10L), delivered);
    assertEquals(List.of("MALFORMED_HEADER", "DUPLICATE_SEQ", "BEFORE_START"), drops);
    assertEquals(3, s.drops().total());
  }

  @Test
  void shouldRequestAfterGraceRetryAndGiveUpAfterMaxAttempts() {
    FeedSubscriber s = subscriber(FeedOptions.defaults().withRecovery(Duration.ofMillis(10),
        Duration.ofMillis(100), 3, 2));
    feed(s, 0, 1);
    feed(s, 0, 4);
    assertEquals(List.of(2L, 3L), s.missing("t", FEED));
    assertEquals(10_000_000L, s.nextDeadlineNs());
    s.tick(9_000_000L);
    assertTrue(requests.isEmpty(), "not before the grace period");
    s.tick(10_000_000L);
    assertEquals(List.of(List.of(FeedMessageIdFn.idOf("t", FEED, 2), FeedMessageIdFn.idOf("t",
        FEED, 3))), requests);
    feed(s, 50_000_000L, 2);
    s.tick(110_000_000L);
    s.tick(210_000_000L);
    assertEquals(3, requests.size());
    assertEquals(List.of(FeedMessageIdFn.idOf("t", FEED, 3)), requests.get(2));
    s.tick(310_000_000L);
    assertEquals(3, requests.size());
    assertEquals(1, s.stats().unrecoverable());
    assertEquals(1, s.stats().recovered());
    assertEquals(Long.MAX_VALUE, s.nextDeadlineNs());
    feed(s, 400_000_000L, 3);
    assertEquals(List.of(1L, 4L, 2L, 3L), delivered, "late arrivals are still delivered");
    assertEquals(1, s.stats().lateAfterGiveUp());
  }

  @Test
  void shouldBoundTrackedGapsByWindow() {
    FeedSubscriber s = subscriber(FeedOptions.defaults().withWindow(100));
    feed(s, 0, 1);
    feed(s, 0, 1_000_001);
    assertEquals(100, s.missing("t", FEED).size());
    assertEquals(999_999 - 100, s.stats().unrecoverable());
    assertEquals(999_999, s.stats().gapsDetected());
  }

  @Test
  void shouldCutHoldShortWhenTooManyMessagesAreHeld() {
    FeedSubscriber s = subscriber(FeedOptions.defaults().withInOrder(Duration.ofSeconds(10))
        .withMaxHeld(3));
    feed(s, 0, 1);
    for (long seq = 3; seq <= 6; seq++) {
      feed(s, 0, seq);
    }
    // the fourth held message cut the hold: 3 went out past missing 2, then 4..6 followed
    assertEquals(List.of(1L, 3L, 4L, 5L, 6L), delivered);
    assertEquals(1, s.stats().holdExpiries());
    feed(s, 0, 2);
    feed(s, 0, 7);
    assertEquals(List.of(1L, 3L, 4L, 5L, 6L, 2L, 7L), delivered);
    assertEquals(1, s.stats().outOfOrder());
  }
}
