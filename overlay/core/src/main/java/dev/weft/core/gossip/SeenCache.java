package dev.weft.core.gossip;

import dev.weft.core.wire.MessageId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Time-bounded set of message IDs already seen. Entries expire {@code ttlNs} after first sight;
 * because the TTL is constant and time only moves forward, insertion order is expiry order and
 * expiry sweeps stop at the first live entry.
 */
final class SeenCache {
  private final long ttlNs;
  private final LinkedHashMap<MessageId, Long> expiries = new LinkedHashMap<>();

  SeenCache(long ttlNs) {
    this.ttlNs = ttlNs;
  }

  /** Records {@code id}; returns false if it was already present. */
  boolean add(MessageId id, long nowNs) {
    return expiries.putIfAbsent(id, nowNs + ttlNs) == null;
  }

  /** Forgets {@code id}, so a later copy counts as first sight. */
  void remove(MessageId id) {
    expiries.remove(id);
  }

  boolean contains(MessageId id) {
    return expiries.containsKey(id);
  }

  void expire(long nowNs) {
    for (Iterator<Map.Entry<MessageId, Long>> it = expiries.entrySet().iterator(); it.hasNext(); ) {
      if (it.next().getValue() - nowNs > 0) {
        return;
      }
      it.remove();
    }
  }

  int size() {
    return expiries.size();
  }
}
