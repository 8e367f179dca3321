package dev.weft.routing.tree;

import dev.weft.core.gossip.GossipParams;
import dev.weft.core.gossip.RouteSelector;
import dev.weft.core.identity.PeerId;
import dev.weft.core.node.Effect;
import dev.weft.core.node.NodeCore;
import dev.weft.core.node.Outbox;
import dev.weft.core.wire.GossipProto;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.MessageIdFn;
import dev.weft.core.wire.MessageSigner;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A small virtual-time network of NodeCores with a one-way latency per directed link (changeable
 * while running), FIFO links, node kills, and libp2p-ping-like RTT samples every second. Tree nodes
 * run a {@link TreeRouter} and exchange its control messages over the same links; plain nodes run
 * GossipSub flooding. Deterministic for a seed. Not a general simulator (that is the simulator
 * module's job): just enough to measure tree routing against flooding in the same conditions.
 */
final class LatencyNet {
  static final String TOPIC = "t";
  static final long MS = 1_000_000L;
  static final long PING_INTERVAL_NS = 1000 * MS;

  private record Event(long atNs, long seq, Runnable action) {}

  /** A delivery: node, message, latency from publish. */
  record Delivery(int node, MessageId id, int publisher, long publishNs, long latencyNs,
      PeerId receivedFrom) {}

  final int n;
  final NodeCore[] nodes;
  final TreeRouter[] routers;
  final PeerId[] ids;
  private final Map<PeerId, Integer> index = new HashMap<>();
  private final long[][] oneWayNs;
  private final long[][] extraNs;
  private final long[][] lastArrivalNs;
  private final boolean[][] linked;
  private final boolean[] dead;
  private final long[] tickAtNs;
  private final PriorityQueue<Event> queue = new PriorityQueue<>(
      (a, b) -> a.atNs != b.atNs ? Long.compare(a.atNs, b.atNs) : Long.compare(a.seq, b.seq));
  private final Map<MessageId, long[]> published = new HashMap<>(); // publishNs, publisher
  private final Map<MessageId, Integer> copies = new HashMap<>();
  final List<Delivery> deliveries = new ArrayList<>();
  private final long[] uplinkFreeNs;
  private long uplinkBitsPerSecond;
  private int payloadBytes = 16;
  private long seq;
  private long nowNs;
  private long counter;

  /**
   * @param oneWayNs base one-way latency matrix (symmetric or not), n x n
   * @param treeNodes which nodes run tree routing (others flood, like js-libp2p)
   */
  LatencyNet(long[][] oneWayNs, boolean[] treeNodes, GossipParams params, TreeParams treeParams,
      long seed) {
    this(oneWayNs, treeNodes, params, treeParams, seed, oneWayNs.length - 1);
  }

  /**
   * As above, but each node dials {@code dials} distinct random others (seeded), so the
   * connection graph is sparse; {@code n - 1} connects everyone.
   */
  LatencyNet(long[][] oneWayNs, boolean[] treeNodes, GossipParams params, TreeParams treeParams,
      long seed, int dials) {
    this.n = oneWayNs.length;
    this.nodes = new NodeCore[n];
    this.routers = new TreeRouter[n];
    this.ids = new PeerId[n];
    this.oneWayNs = oneWayNs;
    this.extraNs = new long[n][n];
    this.lastArrivalNs = new long[n][n];
    this.linked = new boolean[n][n];
    this.dead = new boolean[n];
    this.tickAtNs = new long[n];
    this.uplinkFreeNs = new long[n];
    SplittableRandom master = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      FakeKey key = new FakeKey(seed, i);
      ids[i] = key.peerId();
      index.put(ids[i], i);
      RouteSelector sel = RouteSelector.FLOOD;
      if (treeNodes[i]) {
        routers[i] = new TreeRouter(treeParams);
        sel = routers[i];
      }
      nodes[i] = NodeCore.builder().self(ids[i]).params(params).signer(key)
          .verifier((k, d, s) -> true).random(master.split()).initialSeqno(1)
          .routeSelector(sel).startNs(0).build();
    }
    SplittableRandom topo = new SplittableRandom(seed ^ 0x5DEECE66DL);
    for (int i = 0; i < n; i++) {
      if (dials >= n - 1) {
        for (int j = i + 1; j < n; j++) {
          connect(i, j);
        }
        continue;
      }
      for (int made = 0; made < dials; ) {
        int j = topo.nextInt(n);
        if (j != i && !linked[i][j]) {
          connect(i, j);
          made++;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      int node = i;
      run(node, out -> nodes[node].subscribe(nowNs, TOPIC, out));
      at(0, () -> ping(node));
    }
  }

  /**
   * Gives every node an uplink of {@code bitsPerSecond} (0: unlimited): each RPC leaves only after
   * the node's earlier RPCs have been serialised, so every extra copy delays the next send.
   */
  LatencyNet uplink(long bitsPerSecond) {
    this.uplinkBitsPerSecond = bitsPerSecond;
    return this;
  }

  /** Size of published payloads (at least 16 bytes). */
  LatencyNet payload(int bytes) {
    this.payloadBytes = Math.max(16, bytes);
    return this;
  }

  /** A uniform network: every one-way latency {@code oneWay}. */
  static long[][] uniform(int n, long oneWayNs) {
    long[][] m = new long[n][n];
    for (long[] row : m) {
      Arrays.fill(row, oneWayNs);
    }
    return m;
  }

  // ------------------------------------------------------------------ control

  void runUntil(long endNs) {
    while (!queue.isEmpty() && queue.peek().atNs <= endNs) {
      Event e = queue.poll();
      nowNs = e.atNs;
      e.action.run();
    }
    nowNs = endNs;
  }

  long nowNs() {
    return nowNs;
  }

  /** Node {@code i} publishes a fresh message at time {@code atNs}. */
  void publishAt(long atNs, int i) {
    at(atNs, () -> {
      if (dead[i]) {
        return;
      }
      byte[] data = ByteBuffer.allocate(payloadBytes).putLong(counter++).putLong(i).array();
      MessageId[] id = new MessageId[1];
      run(i, out -> id[0] = nodes[i].publish(nowNs, TOPIC, data, out).id());
      published.put(id[0], new long[] {nowNs, i});
    });
  }

  /** Round-robin publishing by the alive nodes every {@code intervalNs} in [from, to). */
  void workload(long fromNs, long toNs, long intervalNs) {
    int k = 0;
    for (long t = fromNs; t < toNs; t += intervalNs) {
      publishAt(t, k++ % n);
    }
  }

  /** Adds {@code extra} to the one-way latency of i-j in both directions from now on. */
  void congest(int i, int j, long extra) {
    extraNs[i][j] = extra;
    extraNs[j][i] = extra;
  }

  /** Kills node {@code i}: its links close and its peers see the disconnect now. */
  void kill(int i) {
    dead[i] = true;
    for (int j = 0; j < n; j++) {
      if (linked[i][j]) {
        linked[i][j] = false;
        linked[j][i] = false;
        if (!dead[j]) {
          int peer = j;
          run(peer, out -> nodes[peer].peerDisconnected(nowNs, ids[i], out));
        }
      }
    }
  }

  boolean dead(int i) {
    return dead[i];
  }

  int indexOf(PeerId p) {
    return index.get(p);
  }

  // ------------------------------------------------------------------ metrics

  /** Messages published at or after {@code fromNs} and before {@code toNs} (by any node). */
  List<MessageId> publishedBetween(long fromNs, long toNs, int publisherOrAny) {
    List<MessageId> out = new ArrayList<>();
    for (Map.Entry<MessageId, long[]> e : published.entrySet()) {
      long t = e.getValue()[0];
      if (t >= fromNs && t < toNs && (publisherOrAny < 0 || e.getValue()[1] == publisherOrAny)) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /** Full-payload copies received per receiving node per message, for messages in the window. */
  double copiesPerNodePerMessage(long fromNs, long toNs) {
    List<MessageId> ms = publishedBetween(fromNs, toNs, -1);
    long total = 0;
    for (MessageId id : ms) {
      total += copies.getOrDefault(id, 0);
    }
    int receivers = 0;
    for (int i = 0; i < n; i++) {
      receivers += dead[i] ? 0 : 1;
    }
    return (double) total / ms.size() / (receivers - 1);
  }

  /** Deliveries of messages published in the window to nodes accepted by {@code nodeFilter}. */
  List<Delivery> deliveries(long fromNs, long toNs, java.util.function.IntPredicate nodeFilter) {
    List<Delivery> out = new ArrayList<>();
    for (Delivery d : deliveries) {
      if (d.publishNs >= fromNs && d.publishNs < toNs && nodeFilter.test(d.node)) {
        out.add(d);
      }
    }
    return out;
  }

  static long percentile(List<Delivery> ds, double q) {
    long[] l = ds.stream().mapToLong(Delivery::latencyNs).sorted().toArray();
    if (l.length == 0) {
      return -1;
    }
    return l[Math.min(l.length - 1, (int) Math.ceil(q * l.length) - 1)];
  }

  /** Fraction of (message, alive non-publisher node) pairs delivered, for the window. */
  double deliveryRatio(long fromNs, long toNs) {
    List<MessageId> ms = publishedBetween(fromNs, toNs, -1);
    long expected = 0;
    for (MessageId id : ms) {
      for (int i = 0; i < n; i++) {
        if (!dead[i] && i != published.get(id)[1]) {
          expected++;
        }
      }
    }
    long got = deliveries(fromNs, toNs, i -> !dead[i]).size();
    return (double) got / expected;
  }

  // ------------------------------------------------------------------ internals

  private void connect(int i, int j) {
    linked[i][j] = true;
    linked[j][i] = true;
    if (routers[i] != null && routers[j] != null) {
      routers[i].peerCapable(ids[j]);
      routers[j].peerCapable(ids[i]);
    }
    run(i, out -> nodes[i].peerConnected(nowNs, ids[j], "/meshsub/1.2.0", true, out));
    run(j, out -> nodes[j].peerConnected(nowNs, ids[i], "/meshsub/1.2.0", false, out));
  }

  private long latency(int from, int to) {
    return oneWayNs[from][to] + extraNs[from][to];
  }

  /** Schedules {@code action} at the far end of from->to, FIFO with earlier sends. */
  private void send(int from, int to, Runnable action) {
    send(from, to, 0, action);
  }

  private void send(int from, int to, int bytes, Runnable action) {
    long departNs = nowNs;
    if (uplinkBitsPerSecond > 0 && bytes > 0) {
      departNs = Math.max(nowNs, uplinkFreeNs[from])
          + bytes * 8L * 1_000_000_000L / uplinkBitsPerSecond;
      uplinkFreeNs[from] = departNs;
    }
    long arrive = Math.max(departNs + latency(from, to), lastArrivalNs[from][to]);
    lastArrivalNs[from][to] = arrive;
    at(arrive, () -> {
      if (!dead[to] && linked[from][to]) {
        action.run();
      }
    });
  }

  private void ping(int i) {
    if (dead[i]) {
      return;
    }
    for (int j = 0; j < n; j++) {
      if (linked[i][j] && routers[i] != null) {
        int peer = j;
        long sent = nowNs;
        send(i, peer, () -> send(peer, i, () -> routers[i].recordRtt(ids[peer], nowNs - sent, nowNs)));
      }
    }
    at(nowNs + PING_INTERVAL_NS, () -> ping(i));
  }

  private void run(int i, Consumer<Outbox> step) {
    if (dead[i]) {
      return;
    }
    Outbox out = new Outbox();
    step.accept(out);
    for (Effect e : out.drain()) {
      execute(i, e);
    }
    if (routers[i] != null) {
      for (TreeRouter.Outgoing o : routers[i].drainControl()) {
        int to = index.get(o.peer());
        if (linked[i][to]) {
          TreeControl wire = TreeControl.decode(o.control().encode());
          send(i, to, () -> routers[to].controlReceived(nowNs, ids[i], wire));
        }
      }
    }
    long deadline = nodes[i].nextDeadlineNs();
    if (deadline != tickAtNs[i] || deadline <= nowNs) {
      tickAtNs[i] = Math.max(deadline, nowNs);
      long at = tickAtNs[i];
      at(at, () -> {
        if (tickAtNs[i] == at) {
          tickAtNs[i] = -1;
          run(i, o -> nodes[i].tick(nowNs, o));
        }
      });
    }
  }

  private void execute(int from, Effect e) {
    if (e instanceof Effect.SendRpc s) {
      int to = index.get(s.peer());
      if (!linked[from][to]) {
        return;
      }
      Rpc rpc = s.rpc();
      send(from, to, GossipProto.encodedSize(rpc), () -> {
        for (PubMessage m : rpc.messages()) {
          copies.merge(MessageIdFn.goDefault().apply(m), 1, Integer::sum);
        }
        run(to, out -> nodes[to].rpcReceived(nowNs, ids[from], rpc, out));
      });
    } else if (e instanceof Effect.Deliver d) {
      long[] p = published.get(d.id());
      if (p != null) {
        deliveries.add(new Delivery(from, d.id(), (int) p[1], p[0], nowNs - p[0], d.receivedFrom()));
      }
    }
  }

  private void at(long atNs, Runnable r) {
    queue.add(new Event(atNs, seq++, r));
  }

  /** A fake Ed25519-shaped identity; signatures are not checked in this network. */
  private static final class FakeKey implements MessageSigner {
    private final byte[] pb = new byte[36];
    private final PeerId id;

    FakeKey(long seed, int i) {
      pb[0] = 0x08;
      pb[1] = 0x01;
      pb[2] = 0x12;
      pb[3] = 0x20;
      SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
      for (int k = 4; k < 36; k++) {
        pb[k] = (byte) r.nextInt(256);
      }
      id = PeerId.fromPublicKeyProtobuf(pb);
    }

    @Override
    public PeerId peerId() {
      return id;
    }

    @Override
    public byte[] publicKeyProtobuf() {
      return pb.clone();
    }

    @Override
    public byte[] sign(byte[] signingBytes) {
      return new byte[64];
    }
  }
}
