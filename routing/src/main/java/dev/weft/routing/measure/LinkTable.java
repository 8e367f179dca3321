package dev.weft.routing.measure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Measurements of every link of one node, keyed by peer (typically
 * {@link dev.weft.core.identity.PeerId}). Entries are created on the first measurement of a peer
 * and dropped with {@link #remove}. Iteration order is insertion order, so anything derived from a
 * table is deterministic. Not thread-safe: owned by the node's single driver thread.
 *
 * @param <K> peer key type; must have value equality
 */
public final class LinkTable<K> {
  private final MeasureParams params;
  private final Map<K, LinkStats<K>> links = new LinkedHashMap<>();

  /** An empty table. */
  public LinkTable(MeasureParams params) {
    this.params = Objects.requireNonNull(params, "params");
  }

  /** The parameters every link of this table uses. */
  public MeasureParams params() {
    return params;
  }

  /** The statistics of {@code peer}, created empty if absent. */
  public LinkStats<K> stats(K peer) {
    return links.computeIfAbsent(peer, p -> new LinkStats<>(p, params));
  }

  /** The statistics of {@code peer} if it has any. */
  public Optional<LinkStats<K>> find(K peer) {
    return Optional.ofNullable(links.get(peer));
  }

  /** Forgets {@code peer} (disconnect); true if it was present. */
  public boolean remove(K peer) {
    return links.remove(peer) != null;
  }

  /** Peers with statistics, in insertion order (unmodifiable view). */
  public Set<K> peers() {
    return Collections.unmodifiableSet(links.keySet());
  }

  /** Number of peers with statistics. */
  public int size() {
    return links.size();
  }

  /** An RTT sample for {@code peer} (ping or piggybacked timing). */
  public void recordRtt(K peer, long rttNs, long nowNs) {
    stats(peer).rtt().record(rttNs, nowNs);
  }

  /** A loss outcome for {@code peer}: {@code lost} false means delivered / answered / kept. */
  public void recordOutcome(K peer, boolean lost, long nowNs) {
    stats(peer).loss().record(lost, nowNs);
  }

  /** A sequence gap of {@code missing} numbers before an arrival from {@code peer}. */
  public void recordGap(K peer, long missing, long nowNs) {
    stats(peer).loss().recordGap(missing, nowNs);
  }

  /**
   * A copy of a message from {@code peer} arriving at {@code nowNs}; the first copy of that message
   * arrived at {@code firstArrivalNs} ({@code == nowNs} if this is it).
   */
  public void recordCopy(K peer, long firstArrivalNs, long nowNs) {
    stats(peer).lead().record(firstArrivalNs, nowNs);
  }

  /** A backlog sample for {@code peer}. */
  public void recordBacklog(K peer, long queuedBytes, long nowNs) {
    stats(peer).backlog().record(queuedBytes, nowNs);
  }

  /** Whether {@code peer}'s link is congested; false for an unknown peer. */
  public boolean congested(K peer, long nowNs) {
    LinkStats<K> s = links.get(peer);
    return s != null && s.congested(nowNs);
  }

  /** Peers whose links are congested now, in insertion order. */
  public List<K> congested(long nowNs) {
    List<K> out = new ArrayList<>();
    for (LinkStats<K> s : links.values()) {
      if (s.congested(nowNs)) {
        out.add(s.peer());
      }
    }
    return out;
  }

  /**
   * {@code peer}'s link cost (see {@link LinkStats#costNs}); for an unknown peer, the cost of an
   * unmeasured link ({@code unknownRttNs}).
   */
  public long costNs(K peer, long nowNs) {
    LinkStats<K> s = links.get(peer);
    return s == null ? params.unknownRttNs() : s.costNs(nowNs);
  }

  /**
   * The RTT-derived timeout for {@code peer} (see {@link LinkStats#timeoutNs()}); the ceiling for
   * an unknown peer.
   */
  public long timeoutNs(K peer) {
    LinkStats<K> s = links.get(peer);
    return s == null ? params.timeoutCeilNs() : s.timeoutNs();
  }

  /** Snapshots of every link, in insertion order. */
  public List<LinkSnapshot<K>> snapshot(long nowNs) {
    List<LinkSnapshot<K>> out = new ArrayList<>(links.size());
    for (LinkStats<K> s : links.values()) {
      out.add(s.snapshot(nowNs));
    }
    return List.copyOf(out);
  }
}
