package dev.weft.core.gossip;

import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The message cache ({@code mcache}): accepted messages of the last {@code mcacheLen} heartbeat
 * windows, served to IWANT; IDs of the newest {@code mcacheGossip} windows are advertised in IHAVE.
 * Also counts how often each message was sent to each peer in answer to IWANT.
 */
final class MessageCache {
  /** A cached message and its per-peer IWANT transmission counts. */
  static final class Entry {
    final PubMessage message;
    final Map<PeerId, Integer> iwantSends = new LinkedHashMap<>();

    Entry(PubMessage message) {
      this.message = message;
    }
  }

  private final int gossipWindows;
  private final int historyWindows;
  /** Newest window first; each window maps topic → IDs in arrival order. */
  private final ArrayDeque<Map<String, List<MessageId>>> windows = new ArrayDeque<>();
  private final Map<MessageId, Entry> entries = new HashMap<>();

  MessageCache(int gossipWindows, int historyWindows) {
    this.gossipWindows = gossipWindows;
    this.historyWindows = historyWindows;
    windows.addFirst(new LinkedHashMap<>());
  }

  void put(MessageId id, PubMessage m) {
    if (entries.putIfAbsent(id, new Entry(m)) == null) {
      windows.peekFirst().computeIfAbsent(m.topic(), k -> new ArrayList<>()).add(id);
    }
  }

  Entry get(MessageId id) {
    return entries.get(id);
  }

  boolean contains(MessageId id) {
    return entries.containsKey(id);
  }

  /** IDs of {@code topic} in the gossip windows, newest window first. */
  List<MessageId> gossipIds(String topic) {
    List<MessageId> ids = new ArrayList<>();
    int i = 0;
    for (Iterator<Map<String, List<MessageId>>> it = windows.iterator();
        it.hasNext() && i < gossipWindows; i++) {
      List<MessageId> w = it.next().get(topic);
      if (w != null) {
        ids.addAll(w);
      }
    }
    return ids;
  }

  /** Starts a new window, dropping the oldest beyond the history length. */
  void shift() {
    windows.addFirst(new LinkedHashMap<>());
    while (windows.size() > historyWindows) {
      for (List<MessageId> ids : windows.removeLast().values()) {
        for (MessageId id : ids) {
          entries.remove(id);
        }
      }
    }
  }

  int size() {
    return entries.size();
  }
}
