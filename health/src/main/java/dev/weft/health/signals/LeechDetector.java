package dev.weft.health.signals;

import dev.weft.core.events.OverlayEvents;
import dev.weft.core.events.PruneReason;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Detects black holes and leeches: mesh peers that take the messages we forward to them but give
 * nothing back. Time is cut into windows of {@code windowNs}; at the end of each (on the first
 * heartbeat after it, or {@link #evaluate}), every peer that sat in one of our meshes for at least
 * the second half of the window is judged on what it sent us in it:
 * <ul>
 *   <li>any first delivery → {@link MeshVerdict#CONTRIBUTING};</li>
 *   <li>only duplicates or IDONTWANTs → {@link MeshVerdict#LATE_ONLY}: a peer behind a slow or
 *       lossy link receives messages from faster paths first and still forwards its (late) copies,
 *       or announces IDONTWANT for large ones; that is forwarding, not black-holing;</li>
 *   <li>nothing at all while at least {@code minTraffic} messages were first-delivered by others
 *       in its mesh topics → {@link MeshVerdict#SILENT}; {@code confirmWindows} silent windows in
 *       a row, or one silent window with a broken IWANT promise, → {@link
 *       MeshVerdict#BLACK_HOLE}.</li>
 * </ul>
 * Pure; not thread-safe. Not in the spec (P3 is its soft cousin: it penalises a deficit of
 * near-first deliveries, which a slow peer also has).
 */
public final class LeechDetector implements OverlayEvents {
  private static final class PeerWindow {
    final Map<String, Long> meshSinceNs = new TreeMap<>();
    long firsts;
    long late;
    long brokenPromises;
    int silentWindows;
    MeshVerdict verdict = MeshVerdict.UNJUDGED;
  }

  private final long windowNs;
  private final long minTraffic;
  private final int confirmWindows;
  private final Map<PeerId, PeerWindow> peers = new TreeMap<>();
  private final Map<String, Long> topicFirsts = new TreeMap<>();
  private long windowStartNs;

  /**
   * A detector.
   *
   * @param windowNs window length, &gt; 0
   * @param minTraffic first deliveries by others in the peer's topics needed to judge silence, ≥ 1
   * @param confirmWindows silent windows in a row that make a black hole, ≥ 1
   * @param startNs start of the first window
   */
  public LeechDetector(long windowNs, long minTraffic, int confirmWindows, long startNs) {
    if (windowNs <= 0 || minTraffic < 1 || confirmWindows < 1) {
      throw new IllegalArgumentException("windowNs=" + windowNs + " must be > 0, minTraffic="
          + minTraffic + " >= 1, confirmWindows=" + confirmWindows + " >= 1");
    }
    this.windowNs = windowNs;
    this.minTraffic = minTraffic;
    this.confirmWindows = confirmWindows;
    this.windowStartNs = startNs;
  }

  /** The peer's verdict from the last closed window. */
  public MeshVerdict verdict(PeerId peer) {
    PeerWindow w = peers.get(peer);
    return w == null ? MeshVerdict.UNJUDGED : w.verdict;
  }

  /** Consecutive silent windows of the peer so far. */
  public int silentWindows(PeerId peer) {
    PeerWindow w = peers.get(peer);
    return w == null ? 0 : w.silentWindows;
  }

  /** Closes the current window if it has ended by {@code nowNs}; returns whether it did. */
  public boolean evaluate(long nowNs) {
    if (nowNs - windowStartNs < windowNs) {
      return false;
    }
    for (PeerWindow w : peers.values()) {
      long expected = 0;
      boolean judged = false;
      for (Map.Entry<String, Long> e : w.meshSinceNs.entrySet()) {
        if (e.getValue() - (windowStartNs + windowNs / 2) <= 0) {
          judged = true;
          expected += topicFirsts.getOrDefault(e.getKey(), 0L);
        }
      }
      MeshVerdict v;
      if (!judged) {
        v = MeshVerdict.UNJUDGED;
        w.silentWindows = 0;
      } else if (w.firsts > 0) {
        v = MeshVerdict.CONTRIBUTING;
        w.silentWindows = 0;
      } else if (w.late > 0) {
        v = MeshVerdict.LATE_ONLY;
        w.silentWindows = 0;
      } else if (expected >= minTraffic) {
        w.silentWindows++;
        v = w.silentWindows >= confirmWindows || w.brokenPromises > 0
            ? MeshVerdict.BLACK_HOLE : MeshVerdict.SILENT;
      } else {
        v = MeshVerdict.UNJUDGED;
      }
      w.verdict = v;
      w.firsts = 0;
      w.late = 0;
      w.brokenPromises = 0;
    }
    topicFirsts.clear();
    // Windows stay on a fixed grid: closing late (on the first heartbeat after the end) does not
    // push every later window back, which would delay detection by up to a heartbeat per window.
    // After a long stall the grid moves so that the next window still observes at least half a
    // window (a sliver of a window would make any peer look silent).
    long grid = windowStartNs + (nowNs - windowStartNs) / windowNs * windowNs;
    long latest = nowNs - windowNs / 2;
    windowStartNs = grid - latest >= 0 ? grid : latest;
    return true;
  }

  private PeerWindow window(PeerId peer) {
    return peers.computeIfAbsent(Objects.requireNonNull(peer, "peer"), k -> new PeerWindow());
  }

  @Override
  public void onPeerRemoved(long nowNs, PeerId peer) {
    peers.remove(peer);
  }

  @Override
  public void onGraft(long nowNs, PeerId peer, String topic) {
    window(peer).meshSinceNs.putIfAbsent(topic, nowNs);
  }

  @Override
  public void onPrune(long nowNs, PeerId peer, String topic, PruneReason reason) {
    PeerWindow w = peers.get(peer);
    if (w != null) {
      w.meshSinceNs.remove(topic);
    }
  }

  @Override
  public void onFirstSeen(long nowNs, MessageId id, PubMessage message, PeerId from) {
    topicFirsts.merge(message.topic(), 1L, Long::sum);
    if (from != null) {
      window(from).firsts++;
    }
  }

  @Override
  public void onDuplicate(long nowNs, MessageId id, String topic, PeerId from) {
    if (from != null) {
      window(from).late++;
    }
  }

  @Override
  public void onIDontWantReceived(long nowNs, PeerId peer, int count) {
    window(peer).late += count;
  }

  /**
   * An IHAVE from a mesh peer of that topic is lazy forwarding (weft's tree routing announces
   * messages to lazy tree links instead of pushing them; plain GossipSub never sends IHAVE to mesh
   * peers), so it counts as late forwarding, like IDONTWANT. Its promises are still checked.
   */
  @Override
  public void onIHaveReceived(long nowNs, PeerId peer, String topic, int count) {
    PeerWindow w = peers.get(peer);
    if (w != null && w.meshSinceNs.containsKey(topic)) {
      w.late += count;
    }
  }

  @Override
  public void onBrokenPromise(long nowNs, PeerId peer, int count) {
    window(peer).brokenPromises += count;
  }

  @Override
  public void onHeartbeat(long nowNs, long heartbeatTicks) {
    evaluate(nowNs);
  }
}
