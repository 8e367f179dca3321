package dev.weft.core.feed;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A bounded queue between a feed and a slow consumer that keeps only the latest value per key:
 * a value for a key already waiting replaces it in place (the key keeps its place in line, so a
 * busy key cannot starve the others), counted as {@link DropReason#CONFLATED}; a new key when the
 * queue is full discards the oldest waiting entry, counted as
 * {@link DropReason#CONFLATION_OVERFLOW}. Nothing is dropped without a count. Pure and
 * single-threaded; a driver hands it across threads under its own lock.
 *
 * @param <K> key type (e.g. the instrument, from {@link FeedHeader#key()})
 * @param <V> value type
 */
public final class ConflatingQueue<K, V> {
  /** Told about each drop, for events and metrics. */
  @FunctionalInterface
  public interface DropListener<K, V> {
    /** {@code dropped} (for {@code key}) was discarded for {@code reason}. */
    void onDrop(K key, V dropped, DropReason reason);
  }

  private final int capacity;
  private final LinkedHashMap<K, V> waiting = new LinkedHashMap<>();
  private final DropCounters drops = new DropCounters();
  private final DropListener<K, V> listener;
  private long offered;

  /** A queue of at most {@code capacity} keys. */
  public ConflatingQueue(int capacity, DropListener<K, V> listener) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** A queue of at most {@code capacity} keys that only counts drops. */
  public ConflatingQueue(int capacity) {
    this(capacity, (k, v, r) -> {});
  }

  /** Adds the latest {@code value} of {@code key}. */
  public void offer(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    offered++;
    V old = waiting.get(key);
    if (old != null) {
      waiting.put(key, value); // replacing keeps the insertion position
      drops.add(DropReason.CONFLATED, 1);
      listener.onDrop(key, old, DropReason.CONFLATED);
      return;
    }
    if (waiting.size() >= capacity) {
      Iterator<Map.Entry<K, V>> it = waiting.entrySet().iterator();
      Map.Entry<K, V> eldest = it.next();
      it.remove();
      drops.add(DropReason.CONFLATION_OVERFLOW, 1);
      listener.onDrop(eldest.getKey(), eldest.getValue(), DropReason.CONFLATION_OVERFLOW);
    }
    waiting.put(key, value);
  }

  /** Takes the entry waiting longest, or null when empty. */
  public Map.Entry<K, V> poll() {
    Iterator<Map.Entry<K, V>> it = waiting.entrySet().iterator();
    if (!it.hasNext()) {
      return null;
    }
    Map.Entry<K, V> e = it.next();
    it.remove();
    return Map.entry(e.getKey(), e.getValue());
  }

  /** Keys waiting. */
  public int size() {
    return waiting.size();
  }

  /** True when nothing waits. */
  public boolean isEmpty() {
    return waiting.isEmpty();
  }

  /** Values offered so far. */
  public long offered() {
    return offered;
  }

  /** Drops by reason. */
  public DropCounters drops() {
    return drops;
  }
}
