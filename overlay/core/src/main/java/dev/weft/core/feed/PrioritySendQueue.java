package dev.weft.core.feed;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;

/**
 * One peer's outbound queue with send priorities ({@link SendPriority}: control before publish
 * before forward before gossip) and a byte budget. When an item does not fit, queued items of
 * lower priority are discarded (oldest first) to make room, each counted with its reason
 * ({@code GOSSIP_SHED}, {@code FORWARD_SHED}, {@code PUBLISH_SHED}); if that is not enough the new
 * item is refused ({@code SEND_QUEUE_FULL}), except control, which is always queued (it is small
 * and losing it desynchronises the mesh). The peer is <em>slow</em> while its queue has held more
 * than {@code slowBytes} for longer than {@code slowAfterNs}; the owner is told on each change.
 *
 * <p>Pure and single-threaded: the driver calls it on the connection's thread, with its clock.
 *
 * @param <T> the queued item (an encoded frame)
 */
public final class PrioritySendQueue<T> {
  /** Told about drops and slow-state changes. */
  public interface Listener<T> {
    /** {@code item} of {@code bytes} was discarded or refused. */
    default void onDrop(T item, int bytes, SendPriority priority, DropReason reason) {}

    /** The peer became slow ({@code slow}) or caught up. */
    default void onSlowChanged(boolean slow, long nowNs) {}
  }

  private record Item<T>(T item, int bytes) {}

  private final ArrayDeque<Item<T>>[] queues;
  private final long maxBytes;
  private final long slowBytes;
  private final long slowAfterNs;
  private final Listener<T> listener;
  private final DropCounters drops = new DropCounters();
  private long queuedBytes;
  private long aboveSlowSinceNs = -1;
  private boolean slow;

  /**
   * A queue.
   *
   * @param maxBytes budget of queued bytes (control may exceed it)
   * @param slowBytes queued bytes above which the peer may be slow
   * @param slowAfterNs how long the backlog must last before the peer counts as slow
   * @param listener drop and slow-state listener
   */
  @SuppressWarnings("unchecked")
  public PrioritySendQueue(long maxBytes, long slowBytes, long slowAfterNs, Listener<T> listener) {
    if (maxBytes < 1 || slowBytes < 0 || slowAfterNs < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 1, slowBytes and slowAfterNs >= 0");
    }
    this.maxBytes = maxBytes;
    this.slowBytes = slowBytes;
    this.slowAfterNs = slowAfterNs;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.queues = new ArrayDeque[SendPriority.values().length];
    for (int i = 0; i < queues.length; i++) {
      queues[i] = new ArrayDeque<>();
    }
  }

  /** Queues {@code item}; returns false when it was refused (counted). */
  public boolean offer(T item, int bytes, SendPriority priority, long nowNs) {
    Objects.requireNonNull(item, "item");
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0");
    }
    long need = queuedBytes + bytes - maxBytes;
    if (need > 0 && (priority == SendPriority.CONTROL || bytesBelow(priority) >= need)) {
      shedBelow(priority, need);
    }
    if (queuedBytes + bytes > maxBytes && priority != SendPriority.CONTROL) {
      drops.add(DropReason.SEND_QUEUE_FULL, 1);
      listener.onDrop(item, bytes, priority, DropReason.SEND_QUEUE_FULL);
      updateSlow(nowNs);
      return false;
    }
    queues[priority.ordinal()].addLast(new Item<>(item, bytes));
    queuedBytes += bytes;
    updateSlow(nowNs);
    return true;
  }

  /** Takes the next item to send (highest priority, then oldest), or null when empty. */
  public T poll(long nowNs) {
    for (ArrayDeque<Item<T>> q : queues) {
      Item<T> it = q.pollFirst();
      if (it != null) {
        queuedBytes -= it.bytes;
        updateSlow(nowNs);
        return it.item;
      }
    }
    return null;
  }

  /** The item {@link #poll} would take next, left in place; null when empty. */
  public T peek() {
    for (ArrayDeque<Item<T>> q : queues) {
      Item<T> it = q.peekFirst();
      if (it != null) {
        return it.item;
      }
    }
    return null;
  }

  /** Re-evaluates the slow state at {@code nowNs} (call from a timer when idle). */
  public boolean isSlow(long nowNs) {
    updateSlow(nowNs);
    return slow;
  }

  /** Discards everything (peer gone), counting each item as {@code PEER_GONE}. */
  public void clear(long nowNs) {
    for (SendPriority p : SendPriority.values()) {
      ArrayDeque<Item<T>> q = queues[p.ordinal()];
      for (Item<T> it; (it = q.pollFirst()) != null; ) {
        drops.add(DropReason.PEER_GONE, 1);
        listener.onDrop(it.item, it.bytes, p, DropReason.PEER_GONE);
      }
    }
    queuedBytes = 0;
    updateSlow(nowNs);
  }

  /** Bytes queued. */
  public long queuedBytes() {
    return queuedBytes;
  }

  /** Items queued. */
  public int size() {
    int n = 0;
    for (ArrayDeque<Item<T>> q : queues) {
      n += q.size();
    }
    return n;
  }

  /** Drops by reason. */
  public DropCounters drops() {
    return drops;
  }

  private long bytesBelow(SendPriority priority) {
    long n = 0;
    for (int p = queues.length - 1; p > priority.ordinal(); p--) {
      for (Item<T> it : queues[p]) {
        n += it.bytes;
      }
    }
    return n;
  }

  private void shedBelow(SendPriority priority, long need) {
    for (int p = queues.length - 1; p > priority.ordinal() && need > 0; p--) {
      DropReason reason = shedReason(SendPriority.values()[p]);
      for (Iterator<Item<T>> it = queues[p].iterator(); it.hasNext() && need > 0; ) {
        Item<T> victim = it.next();
        it.remove();
        queuedBytes -= victim.bytes;
        need -= victim.bytes;
        drops.add(reason, 1);
        listener.onDrop(victim.item, victim.bytes, SendPriority.values()[p], reason);
      }
    }
  }

  private static DropReason shedReason(SendPriority p) {
    return switch (p) {
      case GOSSIP -> DropReason.GOSSIP_SHED;
      case FORWARD -> DropReason.FORWARD_SHED;
      case PUBLISH -> DropReason.PUBLISH_SHED;
      case CONTROL -> throw new IllegalStateException("control is never shed");
    };
  }

  private void updateSlow(long nowNs) {
    if (queuedBytes > slowBytes) {
      if (aboveSlowSinceNs < 0) {
        aboveSlowSinceNs = nowNs;
      }
    } else {
      aboveSlowSinceNs = -1;
    }
    boolean now = aboveSlowSinceNs >= 0 && nowNs - aboveSlowSinceNs >= slowAfterNs;
    if (now != slow) {
      slow = now;
      listener.onSlowChanged(now, nowNs);
    }
  }
}
