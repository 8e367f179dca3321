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
 *   <li>only duplicates, IDONTWANTs or (tree routing's lazy push) IHAVEs → {@link
 *       MeshVerdict#LATE_ONLY}: a peer behind a slow or lossy link receives messages from faster
 *       paths first and still forwards its (late) copies; that is forwarding, not black-holing;</li>
 *   <li>nothing at all while at least {@code minTraffic} messages were first-delivered by others
 *       in its mesh topics → {@link MeshVerdict#SILENT}. Silence alone proves nothing: an honest
 *       leaf that gets every message from us first never has anything to send back (GossipSub
 *       does not return a message to the peer it came from). So a silent peer is <em>probed</em>:
 *       {@link #probing} tells the router to forward it nothing (the node's own publishes still
 *       go) until the peer speaks. An honest peer then receives the messages from its other mesh
 *       peers and forwards them to us (LATE_ONLY or CONTRIBUTING, probe passed); a black hole
 *       stays silent. {@code confirmWindows} silent windows in a row <em>while probed</em> (after
 *       the silent window that started the probe; a starved honest peer may need more than one
 *       window to relay), or one silent window with a broken IWANT promise, → {@link
 *       MeshVerdict#BLACK_HOLE}.</li>
 * </ul>
 * A peer that passed a probe is not probed again for {@code clearWindows} windows, so an honest
 * leaf is withheld from at most one window in {@code clearWindows + 2}. Limitation: a peer whose
 * only source is us cannot pass a probe (it has nobody else to hear from); in a mesh with D ≥ 4
 * every peer has other sources.
 *
 * <p>Pure; not thread-safe. Not in the spec (P3 is its soft cousin: it penalises a deficit of
 * near-first deliveries, which a slow peer also has).
 */
public final class LeechDetector implements OverlayEvents {
  private static final class PeerWindow {
    final Map<String, Long> meshSinceNs = new TreeMap<>();
    long firsts;
    long late;
    long brokenPromises;
    int silentWindows;
    /** Whether a probe runs, and since when (the router forwards this peer nothing meanwhile). */
    boolean probing;
    long probeSinceNs;
    /** Silent windows probed for at least their second half. */
    int probedSilentWindows;
    /** Passed a probe: silence is not held against it before this time. */
    long clearedUntilNs;
    boolean cleared;
    MeshVerdict verdict = MeshVerdict.UNJUDGED;

    void endProbe(boolean passed, long untilNs) {
      if (probing && passed) {
        cleared = true;
        clearedUntilNs = untilNs;
      }
      probing = false;
      probedSilentWindows = 0;
    }
  }

  /** Windows after a passed probe during which the peer is not probed again. */
  public static final int CLEAR_WINDOWS = 10;

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
   * @param confirmWindows silent windows in a row while probed that make a black hole, ≥ 1
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

  /**
   * Whether the router should forward nothing to {@code peer} now: it was silent for a window and
   * is being probed (see the class comment).
   */
  public boolean probing(PeerId peer) {
    PeerWindow w = peers.get(peer);
    return w != null && w.probing;
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
      long windowEndNs = windowStartNs + windowNs;
      if (w.cleared && w.clearedUntilNs - windowEndNs <= 0) {
        w.cleared = false;
      }
      MeshVerdict v;
      if (!judged) {
        v = MeshVerdict.UNJUDGED;
        w.silentWindows = 0;
        w.endProbe(false, 0);
      } else if (w.firsts > 0) {
        v = MeshVerdict.CONTRIBUTING;
        w.silentWindows = 0;
        w.endProbe(true, nowNs + CLEAR_WINDOWS * windowNs);
      } else if (w.late > 0) {
        v = MeshVerdict.LATE_ONLY;
        w.silentWindows = 0;
        w.endProbe(true, nowNs + CLEAR_WINDOWS * windowNs);
      } else if (expected >= minTraffic) {
        if (w.cleared && w.brokenPromises == 0) {
          v = MeshVerdict.SILENT; // passed a probe lately: silence is what a leaf looks like
          w.silentWindows = 0;
        } else {
          w.silentWindows++;
          if (w.probing && w.probeSinceNs - (windowStartNs + windowNs / 2) <= 0) {
            w.probedSilentWindows++;
          }
          boolean confirmed = w.probedSilentWindows >= confirmWindows;
          v = confirmed || w.brokenPromises > 0 ? MeshVerdict.BLACK_HOLE : MeshVerdict.SILENT;
          if (!w.probing) {
            w.probing = true;
            w.probeSinceNs = nowNs;
          }
        }
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

  /** Whether {@code peer} passed a probe lately (its silence is not held against it). */
  public boolean cleared(PeerId peer) {
    PeerWindow w = peers.get(peer);
    return w != null && w.cleared;
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
      if (w.meshSinceNs.isEmpty()) {
        w.endProbe(false, 0);
      }
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
