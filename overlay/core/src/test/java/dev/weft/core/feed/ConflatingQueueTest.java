package dev.weft.core.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConflatingQueueTest {

  @Test
  void shouldKeepLatestValuePerKeyInFirstArrivalOrder() {
    List<String> dropped = new ArrayList<>();
    ConflatingQueue<String, Integer> q = new ConflatingQueue<>(10,
        (k, v, r) -> dropped.add(k + "=" + v + " " + r));
    q.offer("EUR", 1);
    q.offer("USD", 2);
    q.offer("EUR", 3);
    q.offer("EUR", 4);
    assertEquals(2, q.size());
    assertEquals(Map.entry("EUR", 4), q.poll());
    assertEquals(Map.entry("USD", 2), q.poll());
    assertNull(q.poll());
    assertEquals(2, q.drops().get(DropReason.CONFLATED));
    assertEquals(List.of("EUR=1 CONFLATED", "EUR=3 CONFLATED"), dropped);
    assertEquals(4, q.offered());
  }

  @Test
  void shouldDiscardOldestKeyWhenFullAndCountIt() {
    ConflatingQueue<Integer, String> q = new ConflatingQueue<>(3);
    for (int k = 0; k < 5; k++) {
      q.offer(k, "v" + k);
    }
    assertEquals(3, q.size());
    assertEquals(2, q.drops().get(DropReason.CONFLATION_OVERFLOW));
    assertEquals(2, q.poll().getKey());
  }

  @Test
  void shouldAccountForEveryOfferedValue() {
    // a slow consumer takes one value per 10 offered over 100 keys: offered = taken + dropped + left
    ConflatingQueue<Integer, Integer> q = new ConflatingQueue<>(64);
    long taken = 0;
    for (int i = 0; i < 100_000; i++) {
      q.offer(i * 7919 % 100, i);
      if (i % 10 == 0 && q.poll() != null) {
        taken++;
      }
    }
    assertEquals(q.offered(), taken + q.drops().total() + q.size());
  }
}
