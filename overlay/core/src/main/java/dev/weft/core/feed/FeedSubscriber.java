package dev.weft.core.feed;

import dev.weft.core.identity.PeerId;
import dev.weft.core.node.Effect;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The subscriber side of sequenced feeds, as a pure state machine beside the router: it takes the
 * router's deliveries on followed topics, tracks each (topic, feed ID) stream's sequence numbers,
 * recovers gaps by asking mesh peers for the missing IDs (see {@link FeedMessageIdFn}), optionally
 * delivers in order with a bounded hold, and reports what cannot be recovered. A and B publishers
 * of one feed share the feed ID, so their copies merge into one stream here (and into one message
 * ID in the router).
 *
 * <p>Driver contract: route {@link Effect.Deliver}s through {@link #onDeliver} (those it returns
 * false for go to the application as usual); keep a timer at {@link #nextDeadlineNs()} and call
 * {@link #tick}; carry out {@link Sink#request} with {@code NodeCore.requestMessages}. Not
 * thread-safe: the node's owner thread only. No clock: time is an argument.
 */
public final class FeedSubscriber {
  private static final int MAX_IDS_PER_REQUEST = 1000;

  /** Where the subscriber's output goes. */
  public interface Sink {
    /** Hand a feed message to the application. */
    void deliver(FeedMessage message);

    /** Ask {@code maxPeers} mesh peers of {@code topic} for {@code ids} (IWANT). */
    void request(String topic, List<MessageId> ids, int maxPeers);
  }

  private final Sink sink;
  private final FeedEvents ev;
  private final Map<String, FeedOptions> topics = new LinkedHashMap<>();
  private final Map<String, Stream> streams = new LinkedHashMap<>();
  private final FeedStats stats = new FeedStats();
  private final DropCounters drops = new DropCounters();

  /** A subscriber writing to {@code sink} and reporting to {@code events}. */
  public FeedSubscriber(Sink sink, FeedEvents events) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.ev = Objects.requireNonNull(events, "events");
  }

  /** Treats messages on {@code topic} as feed messages, with {@code options}. */
  public void follow(String topic, FeedOptions options) {
    topics.put(Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(options, "options"));
  }

  /** Stops following {@code topic} and forgets its streams. */
  public void unfollow(String topic) {
    topics.remove(topic);
    streams.values().removeIf(s -> s.topic.equals(topic));
  }

  /** Whether {@code topic} is followed. */
  public boolean follows(String topic) {
    return topics.containsKey(topic);
  }

  /** Counters. */
  public FeedStats stats() {
    return stats;
  }

  /** Drops by reason. */
  public DropCounters drops() {
    return drops;
  }

  /** Sequence numbers of {@code feedId} on {@code topic} currently being recovered. */
  public List<Long> missing(String topic, byte[] feedId) {
    Stream s = streams.get(streamName(topic, feedId));
    return s == null ? List.of() : List.copyOf(s.missing.keySet());
  }

  /** Highest sequence number received for the stream, or -1 when none yet. */
  public long highestSeq(String topic, byte[] feedId) {
    Stream s = streams.get(streamName(topic, feedId));
    return s == null ? -1 : s.highest;
  }

  /** Routes a router delivery; returns false (and does nothing) when its topic is not followed. */
  public boolean onDeliver(long nowNs, Effect.Deliver d) {
    return onMessage(nowNs, d.topic(), d.id(), d.message(), d.receivedFrom());
  }

  /** A message accepted by the router; returns false when its topic is not followed. */
  public boolean onMessage(long nowNs, String topic, MessageId id, PubMessage m, PeerId from) {
    FeedOptions o = topics.get(topic);
    if (o == null) {
      return false;
    }
    FeedHeader.Parsed parsed;
    try {
      parsed = FeedHeader.decode(m.data());
    } catch (IllegalArgumentException e) {
      drop(nowNs, topic, DropReason.MALFORMED_HEADER);
      return true;
    }
    byte[] feedId = parsed.header().feedId();
    String name = streamName(topic, feedId);
    Stream s = streams.get(name);
    if (s == null) {
      s = new Stream(topic, feedId, o, parsed.header().seq());
      streams.put(name, s);
    }
    s.onMessage(nowNs, parsed, id, from);
    return true;
  }

  /** When {@link #tick} must next be called; {@code Long.MAX_VALUE} when nothing is pending. */
  public long nextDeadlineNs() {
    long d = Long.MAX_VALUE;
    for (Stream s : streams.values()) {
      d = Math.min(d, s.nextDueNs);
    }
    return d;
  }

  /** Sends due recovery requests, gives up on exhausted gaps and releases expired holds. */
  public void tick(long nowNs) {
    for (Stream s : streams.values()) {
      if (s.nextDueNs <= nowNs) {
        s.tick(nowNs);
      }
    }
  }

  private void drop(long nowNs, String topic, DropReason reason) {
    drops.add(reason, 1);
    ev.onDrop(nowNs, topic, reason);
  }

  private static String streamName(String topic, byte[] feedId) {
    return topic + "\0" + HexFormat.of().formatHex(feedId);
  }

  private static final class Missing {
    final long detectedNs;
    int attempts;
    long nextTryNs;

    Missing(long detectedNs, long nextTryNs) {
      this.detectedNs = detectedNs;
      this.nextTryNs = nextTryNs;
    }
  }

  private record Held(FeedMessage message, long arrivedNs) {}

  private final class Stream {
    final String topic;
    final byte[] feedId;
    final String feed;
    final byte[] key;
    final FeedOptions o;
    final long graceNs;
    final long retryNs;
    final long holdNs;
    final boolean fromSnapshot;
    /** Lowest acceptable sequence number. */
    final long floor;
    long highest;
    long maxDelivered;
    long nextDeliver;
    final TreeMap<Long, Missing> missing = new TreeMap<>();
    final TreeSet<Long> lost = new TreeSet<>();
    final TreeMap<Long, Held> held = new TreeMap<>();
    long nextDueNs = Long.MAX_VALUE;

    Stream(String topic, byte[] feedId, FeedOptions o, long firstSeq) {
      this.topic = topic;
      this.feedId = feedId;
      this.feed = HexFormat.of().formatHex(feedId);
      this.key = FeedMessageIdFn.streamKey(topic, feedId);
      this.o = o;
      this.graceNs = o.gapGrace().toNanos();
      this.retryNs = o.retryInterval().toNanos();
      this.holdNs = o.hold().toNanos();
      long snap = o.snapshots() == null ? -1 : o.snapshots().snapshotSeq(topic, feedId.clone(),
          firstSeq);
      this.fromSnapshot = snap >= 0;
      this.floor = fromSnapshot ? snap + 1 : firstSeq;
      this.highest = floor - 1;
      this.maxDelivered = floor - 1;
      this.nextDeliver = floor;
    }

    void onMessage(long nowNs, FeedHeader.Parsed p, MessageId id, PeerId from) {
      long seq = p.header().seq();
      if (seq < floor) {
        drop(nowNs, topic, fromSnapshot ? DropReason.COVERED_BY_SNAPSHOT : DropReason.BEFORE_START);
        return;
      }
      boolean recovered = false;
      if (seq > highest) {
        if (seq > highest + 1) {
          addGap(nowNs, highest + 1, seq - 1);
        }
        highest = seq;
      } else {
        Missing mi = missing.remove(seq);
        if (mi != null) {
          recovered = true;
          stats.recovered++;
          ev.onRecovered(nowNs, topic, feed, seq, nowNs - mi.detectedNs);
        } else if (lost.remove(seq)) {
          recovered = true;
          stats.lateAfterGiveUp++;
        } else {
          drop(nowNs, topic, DropReason.DUPLICATE_SEQ);
          return;
        }
      }
      FeedMessage fm = new FeedMessage(topic, p.header(), p.payload(), id, from, nowNs, false,
          recovered);
      if (!o.inOrder() || seq < nextDeliver) {
        deliver(fm);
      } else if (seq == nextDeliver) {
        deliver(fm);
        nextDeliver++;
        advance();
      } else {
        held.put(seq, new Held(fm, nowNs));
        nextDueNs = Math.min(nextDueNs, nowNs + holdNs);
        if (held.size() > o.maxHeld()) {
          releaseThrough(nowNs, held.firstKey());
        } else {
          advance(); // a gap given up on at once (outside the window) may unblock delivery
        }
      }
    }

    private void addGap(long nowNs, long from, long to) {
      stats.gapsDetected += to - from + 1;
      ev.onGapDetected(nowNs, topic, feed, from, to);
      long windowStart = to - o.window() + 1;
      if (from < windowStart) {
        giveUpRange(nowNs, from, windowStart - 1, false);
        from = windowStart;
      }
      for (long seq = from; seq <= to; seq++) {
        missing.put(seq, new Missing(nowNs, nowNs + graceNs));
      }
      // keep only the window's worth of missing sequence numbers
      while (!missing.isEmpty() && missing.firstKey() < windowStart) {
        long first = missing.firstKey();
        missing.remove(first);
        giveUpRange(nowNs, first, first, true);
      }
      lost.headSet(windowStart).clear();
      nextDueNs = Math.min(nextDueNs, nowNs + graceNs);
    }

    private void giveUpRange(long nowNs, long from, long to, boolean remember) {
      stats.unrecoverable += to - from + 1;
      if (remember) {
        for (long s = from; s <= to; s++) {
          lost.add(s);
        }
      }
      ev.onGapUnrecoverable(nowNs, topic, feed, from, to);
    }

    void tick(long nowNs) {
      List<MessageId> due = new ArrayList<>();
      int attempt = 0;
      long runFrom = -1;
      long runTo = -1;
      boolean gaveUp = false;
      for (Iterator<Map.Entry<Long, Missing>> it = missing.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Long, Missing> e = it.next();
        Missing mi = e.getValue();
        if (mi.nextTryNs > nowNs) {
          continue;
        }
        long seq = e.getKey();
        if (mi.attempts >= o.maxAttempts()) {
          it.remove();
          lost.add(seq);
          stats.unrecoverable++;
          gaveUp = true;
          if (runFrom >= 0 && seq == runTo + 1) {
            runTo = seq;
          } else {
            if (runFrom >= 0) {
              ev.onGapUnrecoverable(nowNs, topic, feed, runFrom, runTo);
            }
            runFrom = seq;
            runTo = seq;
          }
          continue;
        }
        mi.attempts++;
        mi.nextTryNs = nowNs + retryNs;
        attempt = Math.max(attempt, mi.attempts);
        due.add(FeedMessageIdFn.idOf(key, seq));
      }
      if (runFrom >= 0) {
        ev.onGapUnrecoverable(nowNs, topic, feed, runFrom, runTo);
      }
      for (int i = 0; i < due.size(); i += MAX_IDS_PER_REQUEST) {
        List<MessageId> part = due.subList(i, Math.min(due.size(), i + MAX_IDS_PER_REQUEST));
        stats.requests++;
        stats.requestedIds += part.size();
        ev.onRecoveryRequested(nowNs, topic, feed, part.size(), attempt);
        sink.request(topic, List.copyOf(part), o.peersPerRequest());
      }
      if (o.inOrder()) {
        if (gaveUp) {
          advance();
        }
        long expiredThrough = -1;
        for (Map.Entry<Long, Held> e : held.entrySet()) {
          if (e.getValue().arrivedNs + holdNs <= nowNs) {
            expiredThrough = e.getKey();
          }
        }
        if (expiredThrough >= 0) {
          releaseThrough(nowNs, expiredThrough);
        }
      }
      long next = Long.MAX_VALUE;
      for (Missing mi : missing.values()) {
        next = Math.min(next, mi.nextTryNs);
      }
      for (Held h : held.values()) {
        next = Math.min(next, h.arrivedNs + holdNs);
      }
      nextDueNs = next;
    }

    /** In-order: delivers every held message up to {@code seq}, past any gaps below it. */
    private void releaseThrough(long nowNs, long seq) {
      int skipped = missing.subMap(nextDeliver, true, seq, false).size();
      Map<Long, Held> head = held.headMap(seq, true);
      for (Held h : head.values()) {
        deliver(h.message);
      }
      head.clear();
      nextDeliver = seq + 1;
      advance();
      stats.holdExpiries++;
      ev.onHoldExpired(nowNs, topic, feed, seq, skipped);
    }

    /** In-order: delivers held messages from nextDeliver on, skipping resolved numbers. */
    private void advance() {
      while (true) {
        Held h = held.remove(nextDeliver);
        if (h != null) {
          deliver(h.message);
          nextDeliver++;
          continue;
        }
        if (nextDeliver > highest || missing.containsKey(nextDeliver)) {
          return;
        }
        // nextDeliver was delivered early or given up: jump to the next held or missing number
        long next = highest + 1;
        if (!held.isEmpty()) {
          next = Math.min(next, held.firstKey());
        }
        Long m = missing.ceilingKey(nextDeliver);
        if (m != null) {
          next = Math.min(next, m);
        }
        nextDeliver = next;
      }
    }

    private void deliver(FeedMessage fm) {
      boolean ooo = fm.seq() < maxDelivered;
      maxDelivered = Math.max(maxDelivered, fm.seq());
      stats.delivered++;
      if (ooo) {
        stats.outOfOrder++;
        fm = new FeedMessage(fm.topic(), fm.header(), fm.payload(), fm.id(), fm.receivedFrom(),
            fm.receivedNs(), true, fm.recovered());
      }
      sink.deliver(fm);
    }
  }
}
