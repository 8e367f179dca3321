package dev.weft.core.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.MessageIdFn;
import dev.weft.core.wire.PubMessage;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FeedHeaderTest {
  private static final byte[] FEED = {1, 2, 3};

  @Test
  void shouldRoundTripWithAndWithoutKey() {
    FeedHeader h = new FeedHeader(FEED, 42, 1_700_000_000_000_000_000L, "BTC".getBytes());
    byte[] data = h.encode("payload".getBytes());
    FeedHeader.Parsed p = FeedHeader.decode(data);
    assertEquals(h, p.header());
    assertArrayEquals("payload".getBytes(), p.payload());
    FeedHeader noKey = new FeedHeader(FEED, 1, 5, null);
    assertEquals(noKey, FeedHeader.decode(noKey.encode(new byte[0])).header());
  }

  @Test
  void shouldMatchTheDocumentedLayout() {
    byte[] data = new FeedHeader(FEED, 0x0102, 0x0A0B, new byte[] {9}).encode(new byte[] {7});
    assertEquals("fe010103" + "010203" + "0000000000000102" + "0000000000000a0b" + "0109" + "07",
        HexFormat.of().formatHex(data));
  }

  @Test
  void shouldRejectMalformedHeadersWithReason() {
    byte[] good = new FeedHeader(FEED, 3, 0, "k".getBytes()).encode(new byte[] {1});
    for (int len = 0; len < good.length - 1; len++) {
      byte[] cut = Arrays.copyOf(good, len);
      if (len >= 4 + FEED.length + 16 + 2) {
        continue; // long enough to be a valid message with a shorter payload
      }
      assertThrows(IllegalArgumentException.class, () -> FeedHeader.decode(cut), "len " + len);
    }
    byte[] badVersion = good.clone();
    badVersion[1] = 2;
    assertTrue(assertThrows(IllegalArgumentException.class, () -> FeedHeader.decode(badVersion))
        .getMessage().contains("version"));
    byte[] badFlags = good.clone();
    badFlags[2] = 4;
    assertThrows(IllegalArgumentException.class, () -> FeedHeader.decode(badFlags));
    byte[] zeroSeq = new byte[good.length];
    System.arraycopy(good, 0, zeroSeq, 0, good.length);
    Arrays.fill(zeroSeq, 4 + FEED.length, 12 + FEED.length, (byte) 0);
    assertThrows(IllegalArgumentException.class, () -> FeedHeader.decode(zeroSeq));
    assertThrows(IllegalArgumentException.class, () -> new FeedHeader(new byte[65], 1, 0, null));
  }

  @Test
  void shouldNeverThrowAnythingElseOnRandomInput() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[r.nextInt(48)];
      r.nextBytes(b);
      if (r.nextBoolean() && b.length > 1) {
        b[0] = FeedHeader.MAGIC;
        b[1] = FeedHeader.VERSION;
      }
      try {
        FeedHeader.decode(b);
      } catch (IllegalArgumentException expected) {
        // fine
      }
      new FeedMessageIdFn(MessageIdFn.contentSha256()).apply(PubMessage.unsigned("t", b));
    }
  }

  @Test
  void shouldDeriveIdsFromTopicFeedAndSeqOnly() {
    FeedMessageIdFn fn = new FeedMessageIdFn(MessageIdFn.goDefault());
    byte[] a = new FeedHeader(FEED, 9, 1, null).encode("x".getBytes());
    byte[] b = new FeedHeader(FEED, 9, 2, null).encode("y".getBytes());
    PubMessage fromA = new PubMessage(new byte[] {1}, a, PubMessage.seqnoBytes(1), "t", null, null);
    PubMessage fromB = new PubMessage(new byte[] {2}, b, PubMessage.seqnoBytes(77), "t", null, null);
    MessageId id = fn.apply(fromA);
    assertEquals(id, fn.apply(fromB), "A and B copies share the ID");
    assertEquals(id, FeedMessageIdFn.idOf("t", FEED, 9));
    assertEquals(FeedMessageIdFn.LENGTH, id.length());
    assertEquals(FeedMessageIdFn.TAG, id.byteAt(0));
    assertNotEquals(id, FeedMessageIdFn.idOf("t", FEED, 10));
    assertNotEquals(id, FeedMessageIdFn.idOf("u", FEED, 9));
    assertNotEquals(id, FeedMessageIdFn.idOf("t", new byte[] {1, 2}, 9));
    PubMessage plain = new PubMessage(new byte[] {1}, "hello".getBytes(), PubMessage.seqnoBytes(1),
        "t", null, null);
    assertEquals(MessageIdFn.goDefault().apply(plain), fn.apply(plain), "non-feed: fallback");
  }

  @Test
  void shouldNumberMessagesFromThePublisher() {
    FeedPublisher p = new FeedPublisher("t", FEED, 5);
    assertEquals(5, FeedHeader.decode(p.next(100, "a".getBytes())).header().seq());
    FeedHeader.Parsed second = FeedHeader.decode(p.next(200, "K".getBytes(), "b".getBytes()));
    assertEquals(6, second.header().seq());
    assertEquals(200, second.header().publishTimeNs());
    assertArrayEquals("K".getBytes(), second.header().key());
    assertEquals(7, p.nextSeq());
    assertNull(FeedHeader.decode(p.frame(3, 0, null, new byte[0])).header().key());
    assertThrows(IllegalArgumentException.class, () -> new FeedPublisher("t", FEED, 0));
  }
}
