package dev.weft.sim.engine;

import java.util.Arrays;

/**
 * The simulator's event queue: a binary min-heap ordered by (time, insertion sequence), so events
 * at the same instant run in the order they were scheduled and a run is fully deterministic.
 *
 * <p>Events are stored column-wise in primitive arrays (kind, three int operands, one long operand
 * and an optional object payload) indexed by a slot; the heap holds slot numbers. Scheduling and
 * polling allocate nothing once the arrays have grown to the run's peak size. Read the polled
 * event's fields with the accessors before the next {@link #poll()}.
 */
public final class EventQueue {
  private long[] time;
  private long[] seq;
  private int[] kind;
  private int[] a;
  private int[] b;
  private int[] c;
  private long[] x;
  private long[] y;
  private Object[] payload;
  private int[] heap;
  private int size;
  private int[] free;
  private int freeCount;
  private int slots;
  private long nextSeq;
  private int current = -1;

  /** A queue with room for {@code initial} pending events before it grows. */
  public EventQueue(int initial) {
    int n = Math.max(16, initial);
    time = new long[n];
    seq = new long[n];
    kind = new int[n];
    a = new int[n];
    b = new int[n];
    c = new int[n];
    x = new long[n];
    y = new long[n];
    payload = new Object[n];
    heap = new int[n];
    free = new int[n];
  }

  /** Schedules an event; events are never cancelled (handlers check whether they still apply). */
  public void schedule(long atNs, int kind, int a, int b, int c, long x, Object payload) {
    schedule(atNs, kind, a, b, c, x, 0, payload);
  }

  /** Schedules an event with a second long operand. */
  public void schedule(long atNs, int kind, int a, int b, int c, long x, long y, Object payload) {
    int s = allocate();
    time[s] = atNs;
    seq[s] = nextSeq++;
    this.kind[s] = kind;
    this.a[s] = a;
    this.b[s] = b;
    this.c[s] = c;
    this.x[s] = x;
    this.y[s] = y;
    this.payload[s] = payload;
    int i = size++;
    heap[i] = s;
    siftUp(i);
  }

  /** True when no event is pending. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** Pending events. */
  public int size() {
    return size;
  }

  /** Time of the earliest pending event; only when not empty. */
  public long peekTime() {
    return time[heap[0]];
  }

  /** Removes the earliest event and makes it current; returns its time. */
  public long poll() {
    if (size == 0) {
      throw new IllegalStateException("empty queue");
    }
    if (current >= 0) {
      release(current);
    }
    int s = heap[0];
    size--;
    if (size > 0) {
      heap[0] = heap[size];
      siftDown(0);
    }
    current = s;
    return time[s];
  }

  /** Kind of the current event. */
  public int kind() {
    return kind[current];
  }

  /** First int operand of the current event. */
  public int a() {
    return a[current];
  }

  /** Second int operand. */
  public int b() {
    return b[current];
  }

  /** Third int operand. */
  public int c() {
    return c[current];
  }

  /** Long operand. */
  public long x() {
    return x[current];
  }

  /** Second long operand. */
  public long y() {
    return y[current];
  }

  /** Payload of the current event, or null. */
  public Object payload() {
    return payload[current];
  }

  private void release(int s) {
    payload[s] = null;
    free[freeCount++] = s;
    current = -1;
  }

  private int allocate() {
    if (freeCount > 0) {
      return free[--freeCount];
    }
    if (slots == time.length) {
      int n = slots * 2;
      time = Arrays.copyOf(time, n);
      seq = Arrays.copyOf(seq, n);
      kind = Arrays.copyOf(kind, n);
      a = Arrays.copyOf(a, n);
      b = Arrays.copyOf(b, n);
      c = Arrays.copyOf(c, n);
      x = Arrays.copyOf(x, n);
      y = Arrays.copyOf(y, n);
      payload = Arrays.copyOf(payload, n);
      heap = Arrays.copyOf(heap, n);
      free = Arrays.copyOf(free, n);
    }
    return slots++;
  }

  private boolean less(int s1, int s2) {
    long t1 = time[s1];
    long t2 = time[s2];
    return t1 != t2 ? t1 < t2 : seq[s1] < seq[s2];
  }

  private void siftUp(int i) {
    int s = heap[i];
    while (i > 0) {
      int p = (i - 1) >>> 1;
      int ps = heap[p];
      if (!less(s, ps)) {
        break;
      }
      heap[i] = ps;
      i = p;
    }
    heap[i] = s;
  }

  private void siftDown(int i) {
    int s = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int l = 2 * i + 1;
      int r = l + 1;
      int m = r < size && less(heap[r], heap[l]) ? r : l;
      if (!less(heap[m], s)) {
        break;
      }
      heap[i] = heap[m];
      i = m;
    }
    heap[i] = s;
  }
}
