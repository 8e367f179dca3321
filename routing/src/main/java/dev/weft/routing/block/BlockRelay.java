package dev.weft.routing.block;

import dev.weft.core.identity.PeerId;
import dev.weft.routing.block.BlockFrame.Kind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.ToLongFunction;

/**
 * Chunked, erasure-coded block dissemination between weft peers (pure: time is an argument,
 * effects are drained by the driver). See docs/blocks.md.
 *
 * <ol>
 *   <li><b>Source.</b> The block is coded into {@code k} data and {@code m} coding chunks; chunk
 *       {@code i} is pushed to the {@code i mod P}-th block peer (peers ordered by the cost hook,
 *       cheapest first, so the first chunks leave on the fastest links), so each chunk enters
 *       the network at a different neighbour and spreads over its own spanning path.</li>
 *   <li><b>First-hop relay</b> (Turbine): a peer that got a chunk straight from the source pushes
 *       it on to all its other block peers.</li>
 *   <li><b>Pull.</b> Peers announce what they hold (HAVE bitmaps, sent when the number of chunks
 *       held reaches 1, 2, 4, 8, ... and when the block is rebuilt); a peer missing chunks asks
 *       announcers for chunks it neither holds nor has asked for (WANT), at most
 *       {@code maxWantsPerPeer} outstanding per peer, until it holds or awaits {@code k}. A WANT
 *       unanswered after {@code wantTimeoutNs} is asked of someone else.</li>
 *   <li><b>Rebuild.</b> Any {@code k} chunks rebuild the block; it is checked with the verifier
 *       (e.g. its hash against the block ID), delivered once, re-coded so every chunk can be
 *       served, and announced as complete; chunks of a completed block are no longer relayed.</li>
 * </ol>
 */
public final class BlockRelay {
  /** Erasure code used by the relay (the real one is {@link #REED_SOLOMON}). */
  public interface Codec {
    /** All {@code k + m} chunks of {@code block}. */
    byte[][] encode(byte[] block, int k, int m);

    /** The block from at least {@code k} non-null chunks. */
    byte[] decode(byte[][] chunks, int k, int m, int length);

    /** The {@code k} data chunks of {@code block} (coding slots null): no coding work. */
    default byte[][] split(byte[] block, int k, int m) {
      return encode(block, k, m);
    }
  }

  /** Reed-Solomon over GF(2^8) ({@link ReedSolomon}). */
  public static final Codec REED_SOLOMON = new Codec() {
    @Override
    public byte[][] encode(byte[] block, int k, int m) {
      return new ReedSolomon(k, m).encode(block);
    }

    @Override
    public byte[] decode(byte[][] chunks, int k, int m, int length) {
      return new ReedSolomon(k, m).decode(chunks, length);
    }

    @Override
    public byte[][] split(byte[] block, int k, int m) {
      return new ReedSolomon(k, m).split(block);
    }
  };

  /**
   * Parameters.
   *
   * @param k data chunks per block published here; 1..255
   * @param m coding chunks; k + m <= 256
   * @param maxBlockSize largest block accepted or published, bytes
   * @param maxBlocks blocks kept (in progress or complete, LRU); older ones are forgotten
   * @param wantTimeoutNs a WANT not answered within this is asked elsewhere
   * @param maxWantsPerPeer chunks asked of one peer at a time per block
   * @param relayFirstHop push chunks received from the source on to all block peers
   * @param sourceAnnounceDelayNs the source announces the whole block this long after
   *     publishing, so peers can still pull if relays failed
   * @param maxBufferedBytes chunk bytes kept over all blocks; beyond it the least recently used
   *     blocks are forgotten (bounds what peers sending chunks of made-up blocks can pin)
   */
  public record Params(int k, int m, int maxBlockSize, int maxBlocks, long wantTimeoutNs,
      int maxWantsPerPeer, boolean relayFirstHop, long sourceAnnounceDelayNs,
      long maxBufferedBytes) {
    /** Validates. */
    public Params {
      if (k < 1 || m < 0 || k + m > ReedSolomon.MAX_SHARDS) {
        throw new IllegalArgumentException("need 1 <= k, 0 <= m, k + m <= 256");
      }
      if (maxBlockSize < 1 || maxBlocks < 1 || wantTimeoutNs <= 0 || maxWantsPerPeer < 1
          || sourceAnnounceDelayNs < 0 || maxBufferedBytes < 1) {
        throw new IllegalArgumentException("maxBlockSize, maxBlocks, wantTimeoutNs and "
            + "maxWantsPerPeer must be positive, sourceAnnounceDelayNs >= 0");
      }
    }

    /**
     * k=32, m=16 (1 MiB: 32 KiB chunks), 10 MiB + 64 KiB cap (a 10 MiB message with its
     * envelope), 64 blocks, 2 s WANT timeout, 8 WANTs, first-hop relay, 1 s source announce,
     * 128 MiB of chunks buffered.
     */
    public static Params defaults() {
      return new Params(32, 16, (10 << 20) + (64 << 10), 64, 2_000_000_000L, 8, true,
          1_000_000_000L, 128L << 20);
    }
  }

  /** A frame for the driver to send. */
  public record Outgoing(PeerId peer, BlockFrame frame) {}

  /** A rebuilt and verified block. */
  public record Delivered(byte[] blockId, byte[] block, PeerId lastFrom) {}

  /** Counters. */
  public record Stats(long chunksReceived, long duplicateChunks, long chunksSent, long wantsSent,
      long wantTimeouts, long blocksRebuilt, long verifyFailures, long refused) {}

  private final Params p;
  private final Codec codec;
  private final BiPredicate<byte[], byte[]> verifier;
  private ToLongFunction<PeerId> cost = peer -> 0;
  private final Set<PeerId> peers = new LinkedHashSet<>();
  private final LinkedHashMap<ByteBuffer, Block> blocks = new LinkedHashMap<>(16, 0.75f, true);
  private final List<Outgoing> outgoing = new ArrayList<>();
  private final List<Delivered> delivered = new ArrayList<>();
  private long chunksReceived;
  private long duplicates;
  private long chunksSent;
  private long wantsSent;
  private long wantTimeouts;
  private long rebuilt;
  private long verifyFailures;
  private long refused;
  private long buffered;

  /** Outstanding WANT of one chunk. */
  private record Want(PeerId peer, long sentNs) {}

  private static final class Block {
    final byte[] id;
    final int k;
    final int m;
    final int length;
    byte[][] chunks;
    int have;
    boolean done;
    boolean failed;
    final Map<PeerId, BitSet> holds = new LinkedHashMap<>();
    final Map<Integer, Want> wants = new HashMap<>();
    final Map<PeerId, Integer> wantsPer = new HashMap<>();
    int nextAnnounceAt = 1;
    long bytes;
    long sourceAnnounceAtNs = Long.MAX_VALUE;

    Block(byte[] id, int k, int m, int length) {
      this.id = id;
      this.k = k;
      this.m = m;
      this.length = length;
      this.chunks = new byte[k + m][];
    }

    int n() {
      return k + m;
    }

    BitSet held() {
      BitSet b = new BitSet(n());
      for (int i = 0; i < n(); i++) {
        if (chunks[i] != null) {
          b.set(i);
        }
      }
      return b;
    }

    boolean peerComplete(PeerId peer) {
      BitSet h = holds.get(peer);
      return h != null && h.cardinality() >= k;
    }
  }

  /**
   * A relay with {@code params}, erasure code {@code codec} and {@code verifier(blockId, block)}
   * deciding whether a rebuilt block is genuine (e.g. its hash equals the ID).
   */
  public BlockRelay(Params params, Codec codec, BiPredicate<byte[], byte[]> verifier) {
    this.p = params;
    this.codec = codec;
    this.verifier = verifier;
  }

  /** Orders peers for pushes and WANTs, lowest first (e.g. smoothed RTT or transfer time). */
  public void peerCost(ToLongFunction<PeerId> cost) {
    this.cost = cost;
  }

  /** The peer negotiated {@link BlockFrame#PROTOCOL_ID}. */
  public void peerCapable(PeerId peer) {
    peers.add(peer);
  }

  /** Whether the peer speaks the block protocol (others get whole messages over GossipSub). */
  public boolean isCapable(PeerId peer) {
    return peers.contains(peer);
  }

  /** The peer went away: its announcements are forgotten and its WANTs asked elsewhere. */
  public void peerGone(long nowNs, PeerId peer) {
    peers.remove(peer);
    for (Block b : blocks.values()) {
      b.holds.remove(peer);
      if (b.wantsPer.remove(peer) != null) {
        b.wants.values().removeIf(w -> w.peer.equals(peer));
        fillWants(nowNs, b);
      }
    }
  }

  /** Codes {@code block} and pushes its chunks; {@code blockId} is its message ID. */
  public void publish(long nowNs, byte[] blockId, byte[] block) {
    if (block.length > p.maxBlockSize()) {
      throw new IllegalArgumentException("block of " + block.length + " bytes above maxBlockSize "
          + p.maxBlockSize());
    }
    Block b = new Block(blockId.clone(), p.k(), p.m(), block.length);
    b.chunks = codec.encode(block, p.k(), p.m());
    b.have = b.n();
    account(b, (long) b.n() * BlockFrame.shardLength(block.length, p.k()));
    b.done = true;
    b.nextAnnounceAt = Integer.MAX_VALUE;
    b.sourceAnnounceAtNs = nowNs + p.sourceAnnounceDelayNs();
    put(b);
    List<PeerId> order = ordered(peers);
    if (order.isEmpty()) {
      return;
    }
    for (int i = 0; i < b.n(); i++) {
      PeerId to = order.get(i % order.size());
      send(to, BlockFrame.chunk(b.id, b.k, b.m, b.length, i, 0, b.chunks[i]));
      b.holds.computeIfAbsent(to, x -> new BitSet()).set(i);
    }
  }

  /** Handles a frame from {@code peer} (already decoded and shape-checked by BlockFrame). */
  public void frameReceived(long nowNs, PeerId peer, BlockFrame f) {
    if (!peers.contains(peer)) {
      refused++;
      return;
    }
    if (f.length() > p.maxBlockSize()) {
      refused++;
      return;
    }
    ByteBuffer key = ByteBuffer.wrap(f.blockId());
    Block b = blocks.get(key);
    if (b == null) {
      if (f.kind() == Kind.WANT) {
        return; // forgotten or never seen: the asker times out and asks elsewhere
      }
      b = new Block(f.blockId().clone(), f.k(), f.m(), f.length());
      put(b);
    } else if (b.k != f.k() || b.m != f.m() || b.length != f.length()) {
      refused++;
      return;
    }
    if (b.failed) {
      return;
    }
    switch (f.kind()) {
      case CHUNK -> chunk(nowNs, peer, b, f);
      case HAVE -> {
        b.holds.computeIfAbsent(peer, x -> new BitSet()).or(f.bitmap());
        fillWants(nowNs, b);
      }
      case WANT -> {
        BitSet w = f.bitmap();
        BitSet h = b.holds.computeIfAbsent(peer, x -> new BitSet());
        for (int i = w.nextSetBit(0); i >= 0; i = w.nextSetBit(i + 1)) {
          if (b.chunks[i] != null && !h.get(i)) { // each chunk once per peer: no amplification
            send(peer, BlockFrame.chunk(b.id, b.k, b.m, b.length, i, 2, b.chunks[i]));
            h.set(i);
          }
        }
      }
      default -> throw new IllegalStateException();
    }
  }

  private void chunk(long nowNs, PeerId peer, Block b, BlockFrame f) {
    int i = f.index();
    chunksReceived++;
    b.holds.computeIfAbsent(peer, x -> new BitSet()).set(i);
    Want w = b.wants.remove(i);
    if (w != null) {
      b.wantsPer.merge(w.peer, -1, Integer::sum);
    }
    if (b.chunks[i] != null || b.done) {
      duplicates++;
      if (b.chunks[i] == null) {
        b.chunks[i] = f.data(); // keep it to serve, but a rebuilt block's chunks go nowhere
        b.have++;
        account(b, f.data().length);
      }
      fillWants(nowNs, b);
      return;
    }
    b.chunks[i] = f.data();
    b.have++;
    account(b, f.data().length);
    if (blocks.get(ByteBuffer.wrap(b.id)) != b) {
      return; // over the byte budget and this block was the least recently used
    }
    if (f.hop() == 0 && p.relayFirstHop()) {
      for (PeerId to : peers) {
        if (!to.equals(peer) && !knows(b, to, i)) {
          send(to, BlockFrame.chunk(b.id, b.k, b.m, b.length, i, 1, f.data()));
          b.holds.computeIfAbsent(to, x -> new BitSet()).set(i);
        }
      }
    }
    if (b.have >= b.k) {
      rebuild(b, peer);
      return;
    }
    if (b.have >= b.nextAnnounceAt) {
      // 1, 2, 4, 8, then every k/8 chunks: few frames, yet holders are known soon
      b.nextAnnounceAt = b.have < 8 ? b.have * 2 : b.have + Math.max(1, b.k / 8);
      announce(b, peer);
    }
    fillWants(nowNs, b);
  }

  private static boolean knows(Block b, PeerId peer, int i) {
    BitSet h = b.holds.get(peer);
    return h != null && (h.get(i) || h.cardinality() >= b.k);
  }

  private void rebuild(Block b, PeerId lastFrom) {
    byte[] block;
    try {
      block = codec.decode(b.chunks, b.k, b.m, b.length);
    } catch (RuntimeException e) {
      block = null;
    }
    if (block == null || !verifier.test(b.id, block)) {
      // some chunk was forged or corrupt; without per-chunk proofs we cannot tell which
      verifyFailures++;
      b.failed = true;
      b.chunks = new byte[b.n()][];
      account(b, -b.bytes);
      b.wants.clear();
      b.wantsPer.clear();
      return;
    }
    rebuilt++;
    b.done = true;
    fillFromBlock(b, block);
    b.wants.clear();
    b.wantsPer.clear();
    delivered.add(new Delivered(b.id, block, lastFrom));
    announce(b, null);
  }

  /**
   * Keeps the chunks held and adds the data chunks of {@code block} (cheap: no coding), so any
   * announced chunk can be served; peers need any k, so coding chunks are not recomputed.
   */
  private void fillFromBlock(Block b, byte[] block) {
    byte[][] data = codec.split(block, b.k, b.m);
    int have = 0;
    for (int i = 0; i < b.n(); i++) {
      if (b.chunks[i] == null && data[i] != null) {
        b.chunks[i] = data[i];
        account(b, data[i].length);
      }
      have += b.chunks[i] != null ? 1 : 0;
    }
    b.have = have;
  }

  /** HAVE of everything held to every block peer that is not known to be complete. */
  private void announce(Block b, PeerId except) {
    BitSet held = b.held();
    for (PeerId to : peers) {
      if (!to.equals(except) && !b.peerComplete(to)) {
        send(to, BlockFrame.bitmap(Kind.HAVE, b.id, b.k, b.m, b.length, held));
      }
    }
  }

  private void fillWants(long nowNs, Block b) {
    if (b.done || b.failed) {
      return;
    }
    int need = b.k - b.have - b.wants.size();
    if (need <= 0) {
      return;
    }
    // data chunks first, from any announcer: with all k data chunks the rebuild is a copy, no
    // Reed-Solomon work; coding chunks only when no announcer has a missing data chunk to give
    List<PeerId> order = ordered(b.holds.keySet());
    Map<PeerId, BitSet> asks = new LinkedHashMap<>();
    for (int pass = 0; pass < 2 && need > 0; pass++) {
      int limit = pass == 0 ? b.k : b.n();
      for (PeerId peer : order) {
        if (need <= 0) {
          break;
        }
        if (!peers.contains(peer)) {
          continue;
        }
        int free = p.maxWantsPerPeer() - b.wantsPer.getOrDefault(peer, 0);
        BitSet h = b.holds.get(peer);
        BitSet ask = asks.computeIfAbsent(peer, x -> new BitSet());
        for (int i = h.nextSetBit(0); i >= 0 && i < limit && free > 0 && need > 0;
            i = h.nextSetBit(i + 1)) {
          if (b.chunks[i] == null && !b.wants.containsKey(i)) {
            ask.set(i);
            b.wants.put(i, new Want(peer, nowNs));
            b.wantsPer.merge(peer, 1, Integer::sum);
            free--;
            need--;
          }
        }
      }
    }
    for (Map.Entry<PeerId, BitSet> e : asks.entrySet()) {
      BitSet ask = e.getValue();
      if (!ask.isEmpty()) {
        wantsSent += ask.cardinality();
        outgoing.add(new Outgoing(e.getKey(),
            BlockFrame.bitmap(Kind.WANT, b.id, b.k, b.m, b.length, ask)));
      }
    }
  }

  /**
   * The whole block arrived another way (e.g. over GossipSub from a peer without the block
   * protocol): stop pulling, keep its chunks to serve WANTs and announce it. Not delivered again.
   */
  public void offer(long nowNs, byte[] blockId, byte[] block) {
    if (block.length > p.maxBlockSize()) {
      return;
    }
    Block b = blocks.get(ByteBuffer.wrap(blockId));
    if (b == null) {
      b = new Block(blockId.clone(), p.k(), p.m(), block.length);
      put(b);
    } else if (b.done || b.length != block.length) {
      return;
    }
    b.failed = false;
    b.done = true;
    fillFromBlock(b, block);
    b.wants.clear();
    b.wantsPer.clear();
    announce(b, null);
  }

  /** Expires WANTs and makes the source's late announcement. */
  public void tick(long nowNs) {
    for (Block b : new ArrayList<>(blocks.values())) {
      if (b.sourceAnnounceAtNs <= nowNs) {
        b.sourceAnnounceAtNs = Long.MAX_VALUE;
        announce(b, null);
      }
      if (b.wants.isEmpty()) {
        continue;
      }
      boolean expired = false;
      for (Iterator<Map.Entry<Integer, Want>> it = b.wants.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Integer, Want> e = it.next();
        Want w = e.getValue();
        if (nowNs - w.sentNs >= p.wantTimeoutNs()) {
          it.remove();
          b.wantsPer.merge(w.peer, -1, Integer::sum);
          BitSet h = b.holds.get(w.peer);
          if (h != null) {
            h.clear(e.getKey()); // ask someone else
          }
          wantTimeouts++;
          expired = true;
        }
      }
      if (expired) {
        fillWants(nowNs, b);
      }
    }
  }

  /** When {@link #tick} next has work; Long.MAX_VALUE when never. */
  public long nextDeadlineNs() {
    long next = Long.MAX_VALUE;
    for (Block b : blocks.values()) {
      next = Math.min(next, b.sourceAnnounceAtNs);
      for (Want w : b.wants.values()) {
        next = Math.min(next, w.sentNs + p.wantTimeoutNs());
      }
    }
    return next;
  }

  /** Frames to send, in order. */
  public List<Outgoing> drainOutgoing() {
    if (outgoing.isEmpty()) {
      return List.of();
    }
    List<Outgoing> o = new ArrayList<>(outgoing);
    outgoing.clear();
    return o;
  }

  /** Blocks rebuilt since the last call, each once. */
  public List<Delivered> drainDelivered() {
    if (delivered.isEmpty()) {
      return List.of();
    }
    List<Delivered> d = new ArrayList<>(delivered);
    delivered.clear();
    return d;
  }

  /** Whether the block with this ID was rebuilt (or published) here and is still remembered. */
  public boolean complete(byte[] blockId) {
    Block b = blocks.get(ByteBuffer.wrap(blockId));
    return b != null && b.done;
  }

  public Stats stats() {
    return new Stats(chunksReceived, duplicates, chunksSent, wantsSent, wantTimeouts, rebuilt,
        verifyFailures, refused);
  }

  private void send(PeerId to, BlockFrame f) {
    if (f.kind() == Kind.CHUNK) {
      chunksSent++;
    }
    outgoing.add(new Outgoing(to, f));
  }

  private void put(Block b) {
    blocks.put(ByteBuffer.wrap(b.id), b);
    if (blocks.size() > p.maxBlocks()) {
      evictEldest();
    }
  }

  /** Counts {@code delta} chunk bytes for {@code b}; forgets old blocks while over budget. */
  private void account(Block b, long delta) {
    b.bytes += delta;
    buffered += delta;
    while (buffered > p.maxBufferedBytes() && !blocks.isEmpty()) {
      evictEldest();
    }
  }

  private void evictEldest() {
    Iterator<Block> it = blocks.values().iterator();
    Block old = it.next();
    it.remove();
    buffered -= old.bytes;
  }

  /** Chunk bytes currently kept over all blocks. */
  public long bufferedBytes() {
    return buffered;
  }

  private List<PeerId> ordered(Set<PeerId> set) {
    List<PeerId> l = new ArrayList<>(set);
    l.sort(Comparator.comparingLong(cost));
    return l;
  }
}
