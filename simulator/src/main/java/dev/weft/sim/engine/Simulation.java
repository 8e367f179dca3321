package dev.weft.sim.engine;

import dev.weft.core.gossip.GossipParams;
import dev.weft.core.gossip.PeerScoreThresholds;
import dev.weft.core.gossip.RouteSelector;
import dev.weft.core.gossip.SignaturePolicy;
import dev.weft.core.gossip.ValidationResult;
import dev.weft.core.identity.PeerId;
import dev.weft.core.node.Effect;
import dev.weft.core.node.NodeCore;
import dev.weft.core.node.Outbox;
import dev.weft.core.wire.GossipProto;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.MessageIdFn;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import dev.weft.health.quarantine.HealthAction;
import dev.weft.health.quarantine.HealthMonitor;
import dev.weft.health.quarantine.HealthState;
import dev.weft.routing.block.BlockFrame;
import dev.weft.routing.block.BlockRelay;
import dev.weft.routing.block.BlockRouteSelector;
import dev.weft.routing.tree.TreeControl;
import dev.weft.routing.tree.TreeRouter;
import dev.weft.sim.engine.SimConfig.AttackKind;
import dev.weft.sim.engine.SimConfig.Fault;
import dev.weft.sim.engine.SimConfig.FaultKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One deterministic run: the real {@link NodeCore} of every node over a simulated network, in
 * virtual time. Single-threaded; the same {@link SimConfig} and mode give the same {@link
 * SimResult}, bit for bit.
 *
 * <p>The driver follows NodeCore's contract: every input gets the current virtual time, effects
 * are executed in order after each input, one heartbeat timer per node. Messages between cores stay
 * objects (no serialisation) but each RPC is charged its exact protobuf size plus framing (see
 * {@link #wireBytes}) on the sender's uplink and the receiver's downlink.
 */
public final class Simulation {
  private static final int EV_TICK = 0;
  private static final int EV_ARRIVE = 1;
  private static final int EV_DELIVER = 2;
  private static final int EV_CONNECT = 3;
  private static final int EV_GONE = 4;
  private static final int EV_PUBLISH = 5;
  private static final int EV_FAULT = 6;
  private static final int EV_SUBSCRIBE = 7;

  private static final long MS = 1_000_000L;
  /** Ethernet MSS with timestamps: payload bytes per TCP segment. */
  static final int MSS = 1448;
  /** IP + TCP headers (with timestamps) + Ethernet framing per segment. */
  static final int SEGMENT_OVERHEAD = 52 + 38;
  /** Noise transport frame: 2-byte length + 16-byte tag per at most 65,535 bytes. */
  static final int NOISE_FRAME = 65_535 - 16;
  /** Yamux data frame header; weft writes one frame per RPC of at most 256 KiB (window size). */
  static final int YAMUX_FRAME = 256 * 1024;

  /** Receives progress (virtual time) every few thousand events. */
  @FunctionalInterface
  public interface Progress {
    /** Called with the current and final virtual times and events processed so far. */
    void update(long nowNs, long endNs, long events);
  }

  private final SimConfig cfg;
  private final RoutingMode mode;
  private final GossipParams params;
  private final int honest;
  private final int total;
  private final String topic;
  private final EventQueue q = new EventQueue(1 << 16);
  private final Outbox out = new Outbox();
  private final SplittableRandom rnd;
  private final MessageIdFn idFn;

  // nodes
  private final PeerId[] ids;
  private final Map<PeerId, Integer> index;
  private final NodeCore[] cores;
  private final HealthMonitor[] health;
  private final TreeRouter[] trees;
  /** BLOCKS mode: each honest node's chunked block relay (null otherwise). */
  private final BlockRelay[] relays;
  private final SimBlockCodec blockCodec = new SimBlockCodec();
  /** BLOCKS mode: each published block payload (by identity) and its signed message. */
  private final Map<byte[], PubMessage> blockMessages = new java.util.IdentityHashMap<>();
  /** BLOCKS mode: which honest nodes speak the block protocol (the rest get whole messages). */
  private final boolean[] blockCapable;
  /** Messages of at least this size on the traffic topic are blocks for the block selector. */
  static final int BLOCK_MIN_BYTES = 64 * 1024;
  /** A block peer's IHAVE for a block is followed up after this (the relay is usually done). */
  static final long BLOCK_FALLBACK_IWANT_NS = 2_000_000_000L;
  /** Chunks received per honest node (copies counts them as k-ths of a block). */
  private final long[] chunkCopies;
  private final int[] incarnation;
  private final boolean[] alive;
  private final long[] joinedNs;
  private final int[] region;
  private final float[] px;
  private final float[] py;
  private final long[] accessNs;
  private final double baseUpNsPerByte;
  private final double baseDownNsPerByte;
  private final double[] upNsPerByte;
  private final double[] downNsPerByte;
  private final long[] extraLatNs;
  private final long[] upFree;
  private final long[] downFree;
  private final int[] group;
  private final int[] ticks;
  private final long[] lastPingNs;
  /** When each node's pending tick is due; a tick event at any other time is stale. */
  private final long[] nextTickAt;
  /** Tree-routing nodes ping their tree-capable peers this often (as weft's TreeLink does). */
  private static final long PING_INTERVAL_NS = 1_000_000_000L;

  // connections: per node, parallel arrays of neighbour, connection id, last arrival on that link
  private final int[][] nbr;
  private final int[][] conn;
  private final long[][] lastArr;
  private final int[] deg;
  private int nextConn = 1;

  // traffic and metrics
  private final int messages;
  private final long[] pubNs;
  private final int[] publisher;
  private final int[] marketPublishers;
  /** A random order of honest nodes: market publishers first, then eclipse victims. */
  private final int[] roles;
  private final int[] latUs;
  private final long[] copies;
  private final long[] bytesSent;
  private final long[] bytesRecv;
  private final int[] stretchMsg;
  private final float[][] shortestMs;
  private int stretchTaken;
  private final List<Long> faultTimesNs = new ArrayList<>();
  private final Set<Long> quarantinePairs = new HashSet<>();
  private final Set<Long> attackerLinks = new HashSet<>();
  private long falseQuarantines;
  private final Map<String, Long> falseReasons = new java.util.TreeMap<>();
  private long trueQuarantines;
  private final boolean[] censoredPublisher;
  private final boolean[] victim;

  private long now;
  private long events;
  private final long endNs;

  /** Prepares a run of {@code cfg} with honest nodes forwarding in {@code mode}. */
  public Simulation(SimConfig cfg, RoutingMode mode) {
    this(cfg, mode, 1.0);
  }

  /**
   * As {@link #Simulation(SimConfig, RoutingMode)}; in BLOCKS mode only a share
   * {@code blockCapableShare} of honest nodes (chosen by the seed) speaks the block protocol.
   */
  public Simulation(SimConfig cfg, RoutingMode mode, double blockCapableShare) {
    this.cfg = cfg;
    this.mode = mode;
    this.params = cfg.params();
    this.honest = cfg.nodes();
    int attackers = cfg.attack() == null ? 0
        : (int) Math.round(cfg.attack().attackersPerHonest() * honest);
    this.total = honest + attackers;
    this.topic = cfg.traffic().topic();
    this.rnd = new SplittableRandom(cfg.seed());
    this.idFn = Simulation::messageId;
    this.messages = cfg.traffic().messages();
    if ((long) messages * honest > 200_000_000L) {
      throw new IllegalArgumentException("messages x nodes must stay below 2e8 (latency table)");
    }
    ids = new PeerId[total];
    index = new HashMap<>(total * 2);
    cores = new NodeCore[total];
    health = new HealthMonitor[honest];
    trees = new TreeRouter[total];
    relays = new BlockRelay[total];
    blockCapable = new boolean[total];
    SplittableRandom capRnd = new SplittableRandom(cfg.seed() ^ 0xB10C);
    for (int i = 0; i < honest; i++) {
      blockCapable[i] = capRnd.nextDouble() < blockCapableShare;
    }
    chunkCopies = new long[total];
    incarnation = new int[total];
    nextTickAt = new long[total];
    alive = new boolean[total];
    joinedNs = new long[total];
    region = new int[total];
    px = new float[total];
    py = new float[total];
    accessNs = new long[total];
    baseUpNsPerByte = 8_000.0 / cfg.uplinkMbps();
    baseDownNsPerByte = 8_000.0 / cfg.downlinkMbps();
    upNsPerByte = new double[total];
    downNsPerByte = new double[total];
    extraLatNs = new long[total];
    upFree = new long[total];
    downFree = new long[total];
    group = new int[total];
    ticks = new int[total];
    lastPingNs = new long[total];
    nbr = new int[total][];
    conn = new int[total][];
    lastArr = new long[total][];
    deg = new int[total];
    pubNs = new long[messages];
    publisher = new int[messages];
    latUs = new int[messages * honest];
    Arrays.fill(latUs, -1);
    copies = new long[total];
    bytesSent = new long[total];
    bytesRecv = new long[total];
    int samples = Math.min(messages, 16);
    stretchMsg = new int[messages];
    Arrays.fill(stretchMsg, -1);
    for (int s = 0; s < samples; s++) {
      stretchMsg[(int) ((long) s * messages / samples)] = s;
    }
    shortestMs = new float[samples][];
    censoredPublisher = new boolean[total];
    victim = new boolean[total];
    SimConfig.Traffic t = cfg.traffic();
    endNs = t.publishAtNs(messages - 1) + cfg.tailMs() * MS;

    SplittableRandom place = rnd.split();
    String[] regionCodes = cfg.regions().keySet().toArray(new String[0]);
    double[] cum = new double[regionCodes.length];
    double sum = 0;
    for (int r = 0; r < regionCodes.length; r++) {
      sum += cfg.regions().get(regionCodes[r]);
      cum[r] = sum;
    }
    for (int i = 0; i < total; i++) {
      double u = place.nextDouble() * sum;
      int r = 0;
      while (r < cum.length - 1 && u >= cum[r]) {
        r++;
      }
      region[i] = Geo.regionIndex(regionCodes[r]);
      double radius = Geo.REGION_RADIUS_KM * Math.sqrt(place.nextDouble());
      double angle = place.nextDouble() * 2 * Math.PI;
      px[i] = (float) (radius * Math.cos(angle));
      py[i] = (float) (radius * Math.sin(angle));
      accessNs[i] = place.nextLong(Geo.ACCESS_MIN_NS, Geo.ACCESS_MAX_NS + 1);
      upNsPerByte[i] = baseUpNsPerByte;
      downNsPerByte[i] = baseDownNsPerByte;
      ids[i] = SimIdentity.peerId(cfg.seed(), i);
      index.put(ids[i], i);
      nbr[i] = new int[4];
      conn[i] = new int[4];
      lastArr[i] = new long[4];
    }
    marketPublishers = new int[Math.min(honest - 1, Math.max(1, t.publishers()))];
    roles = permutation(honest, rnd.split());
    for (int k = 0; k < marketPublishers.length; k++) {
      marketPublishers[k] = roles[k];
    }
    setUp();
  }

  // ================================================================ set-up

  private void setUp() {
    SimConfig.Attack atk = cfg.attack();
    long honestDialNs = atk != null && atk.kind() == AttackKind.ATTACK_AT_DAWN
        ? atk.honestJoinDelayMs() * MS : 0;
    for (int i = 0; i < honest; i++) {
      start(i, 0);
    }
    SplittableRandom topo = rnd.split();
    boolean blackHoles = atk != null && atk.kind() == AttackKind.BLACK_HOLE;
    int dialPool = blackHoles ? total : honest;
    int outbound = Math.max(1, cfg.connections() / 2);
    for (int i = 0; i < honest; i++) {
      for (int k = 0; k < outbound; k++) {
        int j = topo.nextInt(dialPool);
        if (j != i) {
          q.schedule(honestDialNs, EV_CONNECT, i, j, 0, 0, null);
        }
      }
    }
    if (atk == null) {
      return;
    }
    if (atk.kind() == AttackKind.ECLIPSE) {
      for (int k = 0; k < Math.max(1, atk.targets()); k++) {
        victim[roles[(marketPublishers.length + k) % honest]] = true;
      }
    }
    if (atk.kind() == AttackKind.CENSORSHIP) {
      for (int k = 0; k < Math.max(1, atk.targets()) && k < marketPublishers.length; k++) {
        censoredPublisher[marketPublishers[k]] = true;
      }
    }
    long joinNs = atk.kind() == AttackKind.COLD_BOOT || atk.kind() == AttackKind.ATTACK_AT_DAWN
        || atk.kind() == AttackKind.BLACK_HOLE ? 0 : atk.joinMs() * MS;
    for (int a = honest; a < total; a++) {
      start(a, joinNs);
      for (int k = 0; k < atk.degree(); k++) {
        int j = attackTarget(atk, topo, k);
        q.schedule(joinNs, EV_CONNECT, a, j, 0, 0, null);
      }
    }
  }

  private int attackTarget(SimConfig.Attack atk, SplittableRandom topo, int k) {
    switch (atk.kind()) {
      case ECLIPSE -> {
        int victims = 0;
        for (boolean v : victim) {
          victims += v ? 1 : 0;
        }
        int want = k % victims;
        for (int i = 0; i < honest; i++) {
          if (victim[i] && want-- == 0) {
            return i;
          }
        }
        return 0;
      }
      case CENSORSHIP -> {
        int targets = Math.max(1, Math.min(atk.targets(), marketPublishers.length));
        return k < targets ? marketPublishers[k] : topo.nextInt(honest);
      }
      case BLACK_HOLE -> {
        return topo.nextInt(total);
      }
      default -> {
        return topo.nextInt(honest);
      }
    }
  }

  /** Creates node {@code i}'s core (fresh state) and schedules its subscription and heartbeat. */
  private void start(int i, long atNs) {
    incarnation[i]++;
    SplittableRandom r = new SplittableRandom(cfg.seed() * 0x9E3779B97F4A7C15L + i * 1_000_003L
        + incarnation[i]);
    NodeCore.Builder b = NodeCore.builder().self(ids[i]).params(params).random(r)
        .messageIdFn(idFn).startNs(atNs);
    if (params.signaturePolicy() == SignaturePolicy.STRICT_SIGN) {
      b.signer(SimIdentity.signer(ids[i])).verifier(SimIdentity::verify);
    }
    if (i < honest && cfg.health()) {
      HealthMonitor.Config hc = HealthMonitor.Config.defaults(topic);
      int observer = i;
      health[i] = new HealthMonitor(hc.withListener(t -> onTransition(observer, t)), atNs);
      b.scorer(health[i]).thresholds(hc.thresholds());
    } else if (i < honest) {
      health[i] = null;
      b.thresholds(PeerScoreThresholds.neutral());
    }
    trees[i] = NodeFactory.configure(b, mode, i < honest);
    relays[i] = null;
    if (mode == RoutingMode.BLOCKS && i < honest && blockCapable[i]) {
      BlockRelay relay = new BlockRelay(BlockRelay.Params.defaults(), blockCodec,
          Simulation::blockIdMatches);
      int self = i;
      relay.peerCost(peer -> {
        Integer j = index.get(peer);
        return j == null ? Long.MAX_VALUE : latencyNs(self, j);
      });
      b.routeSelector(new BlockRouteSelector(RouteSelector.FLOOD, relay::isCapable,
          topic::equals, BLOCK_MIN_BYTES, BLOCK_FALLBACK_IWANT_NS));
      relays[i] = relay;
    }
    if (trees[i] != null && i < honest && health[i] != null) {
      HealthMonitor hm = health[i];
      trees[i].quarantine(peer -> hm.state(peer).isIsolated());
    }
    cores[i] = b.build();
    alive[i] = true;
    joinedNs[i] = atNs;
    q.schedule(atNs, EV_SUBSCRIBE, i, incarnation[i], 0, 0, null);
  }

  private void onTransition(int observer, dev.weft.health.quarantine.Transition t) {
    if (t.to() != HealthState.QUARANTINED && t.to() != HealthState.BANNED) {
      return;
    }
    Integer j = index.get(t.peer());
    if (j == null || !quarantinePairs.add(pair(observer, j))) {
      return;
    }
    if (j >= honest) {
      trueQuarantines++;
    } else {
      falseQuarantines++;
      falseReasons.merge(t.reason().name(), 1L, Long::sum);
    }
  }

  // ================================================================ run

  /** Runs to the end and returns the result. */
  public SimResult run() {
    return run((n, e, c) -> { });
  }

  /** Runs to the end, reporting progress, and returns the result. */
  public SimResult run(Progress progress) {
    scheduleTraffic();
    scheduleFaults();
    while (!q.isEmpty() && q.peekTime() <= endNs) {
      now = q.poll();
      events++;
      dispatch();
      if ((events & 0x3FFF) == 0) {
        progress.update(now, endNs, events);
      }
    }
    now = endNs;
    progress.update(endNs, endNs, events);
    return SimResult.compute(this);
  }

  private void dispatch() {
    int a = q.a();
    switch (q.kind()) {
      case EV_TICK -> {
        if (alive[a] && q.b() == incarnation[a] && now == nextTickAt[a]) {
          tick(a);
        }
      }
      case EV_ARRIVE -> arrive(a, q.b(), q.c(), q.x(), q.y(), q.payload());
      case EV_DELIVER -> deliver(a, q.b(), q.c(), q.y(), q.payload());
      case EV_CONNECT -> connect(a, q.b());
      case EV_GONE -> {
        if (alive[a] && q.c() == incarnation[a]) {
          cores[a].peerDisconnected(now, ids[q.b()], out);
          if (relays[a] != null) {
            relays[a].peerGone(now, ids[q.b()]);
          }
          drain(a);
        }
      }
      case EV_PUBLISH -> publish(a);
      case EV_FAULT -> {
        if (a == 2) {
          restart(q.b()); // the end of a CHURN node's downtime
        } else {
          fault((Fault) q.payload(), q.b(), a);
        }
      }
      case EV_SUBSCRIBE -> {
        if (alive[a] && q.b() == incarnation[a]) {
          cores[a].subscribe(now, topic, out);
          drain(a);
        }
        if (alive[a] && q.b() == incarnation[a]) {
          scheduleTick(a, nextDeadline(a));
        }
      }
      default -> throw new IllegalStateException("event kind " + q.kind());
    }
  }

  private void tick(int i) {
    if (trees[i] != null && (now - lastPingNs[i]) >= PING_INTERVAL_NS) {
      lastPingNs[i] = now;
      for (int k = 0; k < deg[i]; k++) {
        int j = nbr[i][k];
        if (trees[j] != null) {
          trees[i].recordRtt(ids[j], pingRttNs(i, j), now);
        }
      }
    }
    cores[i].tick(now, out);
    if (relays[i] != null) {
      relays[i].tick(now);
    }
    drain(i);
    if (i < honest && health[i] != null) {
      for (HealthAction act : health[i].onTick(now)) {
        if (act instanceof HealthAction.Disconnect d) {
          Integer j = index.get(d.peer());
          if (j != null) {
            disconnect(i, j);
          }
        }
      }
    }
    // a discovery service keeps honest nodes at their outbound target
    if (i < honest && ++ticks[i] % 5 == 0 && deg[i] < cfg.connections() / 2) {
      int want = cfg.connections() / 2 - deg[i];
      SplittableRandom r = new SplittableRandom(cfg.seed() ^ ((long) i << 32) ^ ticks[i]);
      for (int k = 0; k < want * 3 && want > 0; k++) {
        int j = r.nextInt(honest);
        if (j != i && alive[j] && slot(i, j) < 0) {
          q.schedule(now + handshakeNs(i, j), EV_CONNECT, i, j, 0, 0, null);
          want--;
        }
      }
    }
    if (alive[i]) {
      scheduleTick(i, Math.max(now + 1, nextDeadline(i)));
    }
  }

  private long nextDeadline(int i) {
    long d = cores[i].nextDeadlineNs();
    return relays[i] == null ? d : Math.min(d, relays[i].nextDeadlineNs());
  }

  // ================================================================ effects

  private void scheduleTick(int i, long at) {
    nextTickAt[i] = at;
    q.schedule(at, EV_TICK, i, incarnation[i], 0, 0, null);
  }

  private void drain(int i) {
    if ((trees[i] != null || relays[i] != null) && alive[i]) {
      // an input can move the core's deadline earlier (a delayed IWANT of tree routing or of
      // the block selector): tick then
      long due = cores[i].nextDeadlineNs();
      if (due < nextTickAt[i]) {
        scheduleTick(i, Math.max(now + 1, due));
      }
    }
    if (trees[i] != null && alive[i]) {
      for (TreeRouter.Outgoing o : trees[i].drainControl()) {
        Integer j = index.get(o.peer());
        if (j != null) {
          byte[] frame = o.control().encode();
          transmit(i, j, o.control(), frame.length + 1);
        }
      }
    }
    while (relays[i] != null && alive[i] && drainRelay(i)) {
      drainEffects(i); // a rebuilt block went into the core: send what it sends
    }
    drainEffects(i);
  }

  private void drainEffects(int i) {
    if (out.isEmpty()) {
      return;
    }
    for (Effect e : out.drain()) {
      if (e instanceof Effect.SendRpc s) {
        Integer j = index.get(s.peer());
        if (j != null) {
          send(i, j, s.rpc());
        }
      } else if (e instanceof Effect.Deliver d) {
        recordDelivery(i, d.message());
        if (relays[i] != null && alive[i] && d.message().dataLength() >= BLOCK_MIN_BYTES
            && d.message().topic().equals(topic)) {
          // the whole block came over GossipSub: the relay stops pulling and serves its chunks
          byte[] id = new byte[16];
          d.message().dataView().get(id);
          if (!relays[i].complete(id)) {
            relays[i].offer(now, id, d.message().data());
          }
        }
      } else if (e instanceof Effect.Dial d) {
        Integer j = index.get(d.peer());
        if (j != null && alive[j] && slot(i, j) < 0) {
          q.schedule(now + handshakeNs(i, j), EV_CONNECT, i, j, 0, 0, null);
        }
      } else if (e instanceof Effect.Disconnect d) {
        Integer j = index.get(d.peer());
        if (j != null) {
          disconnect(i, j);
        }
      } else if (e instanceof Effect.ValidateRequest v) {
        cores[i].validationCompleted(now, v.id(), ValidationResult.ACCEPT, out);
        drain(i);
      }
    }
  }

  /** Sends the relay's frames and hands rebuilt blocks to the core; true if it did anything. */
  private boolean drainRelay(int i) {
    BlockRelay r = relays[i];
    List<BlockRelay.Delivered> rebuilt = r.drainDelivered();
    List<BlockRelay.Outgoing> frames = r.drainOutgoing();
    for (BlockRelay.Outgoing o : frames) {
      Integer j = index.get(o.peer());
      if (j != null) {
        int size = o.frame().encodedSize();
        transmit(i, j, o.frame(), size + dev.weft.core.util.Varint.size(size));
      }
    }
    long due = r.nextDeadlineNs();
    if (due < nextTickAt[i]) {
      scheduleTick(i, Math.max(now + 1, due));
    }
    for (BlockRelay.Delivered d : rebuilt) {
      // as if the last chunk's sender had sent the whole message: the core delivers it, and
      // forwards it to its peers without the block protocol (BlockRouteSelector)
      Integer from = index.get(d.lastFrom());
      if (from != null && slot(i, from) >= 0) {
        // the block is the published payload object (SimBlockCodec); its signed message is the
        // publisher's (a real node decodes the message from the block bytes instead)
        PubMessage m = blockMessages.get(d.block());
        if (m == null) {
          m = PubMessage.unsigned(topic, d.block());
        }
        cores[i].rpcReceived(now, d.lastFrom(), Rpc.ofMessages(List.of(m)), out);
      } else {
        recordDelivery(i, ByteBuffer.wrap(d.block()));
      }
    }
    return !rebuilt.isEmpty() || !frames.isEmpty();
  }

  /** A rebuilt block is genuine when its 16-byte header is the block ID it was announced under. */
  private static boolean blockIdMatches(byte[] id, byte[] block) {
    return block.length >= 16 && Arrays.equals(id, 0, id.length, block, 0, 16);
  }

  private void send(int i, int j, Rpc rpc) {
    if (i >= honest && attacking()) {
      rpc = filterAttacker(rpc);
      if (rpc == null) {
        return;
      }
    }
    transmit(i, j, rpc, GossipProto.encodedSize(rpc));
  }

  /** Puts {@code payload} (an Rpc or a TreeControl) of {@code rpcBytes} on the link i→j. */
  private void transmit(int i, int j, Object payload, int rpcBytes) {
    int s = slot(i, j);
    if (s < 0 || !alive[i]) {
      return;
    }
    if (group[i] != group[j]) {
      return; // partitioned: the packets never arrive
    }
    long bytes = wireBytes(rpcBytes);
    bytesSent[i] += bytes;
    long start = Math.max(now, upFree[i]);
    long upDone = start + (long) (bytes * upNsPerByte[i]);
    upFree[i] = upDone;
    long lat = latencyNs(i, j);
    long lossDelay = 0;
    if (cfg.loss() > 0) {
      int segments = (int) ((bytes + MSS - 1) / MSS);
      double pAny = 1 - Math.pow(1 - cfg.loss(), segments);
      if (rnd.nextDouble() < pAny) {
        lossDelay = 2 * lat; // fast retransmit: about one RTT
      }
    }
    long firstBit = start + lat + lossDelay;
    long lastBit = Math.max(upDone + lat + lossDelay, lastArr[i][s]);
    lastArr[i][s] = lastBit;
    q.schedule(firstBit, EV_ARRIVE, j, i, conn[i][s], lastBit, rpcBytes, payload);
  }

  private boolean attacking() {
    SimConfig.Attack atk = cfg.attack();
    long startNs = atk.kind() == AttackKind.COVERT_FLASH || atk.kind() == AttackKind.SYBIL
        ? atk.startMs() * MS : 0;
    return now >= startNs;
  }

  /** Removes what an attacker withholds; null when nothing is left to send. */
  private Rpc filterAttacker(Rpc rpc) {
    if (rpc.messages().isEmpty()) {
      return rpc;
    }
    List<PubMessage> kept = List.of();
    if (cfg.attack().kind() == AttackKind.CENSORSHIP) {
      kept = new ArrayList<>();
      for (PubMessage m : rpc.messages()) {
        int pub = m.dataView().getInt(4);
        if (pub < 0 || pub >= total || !censoredPublisher[pub]) {
          kept.add(m);
        }
      }
    }
    Rpc r = new Rpc(rpc.subscriptions(), kept, rpc.control());
    return r.isEmpty() ? null : r;
  }

  private void arrive(int j, int i, int connId, long lastBit, long rpcBytes, Object rpc) {
    int s = slot(j, i);
    if (!alive[j] || s < 0 || conn[j][s] != connId) {
      return;
    }
    long bytes = wireBytes((int) rpcBytes);
    long start = Math.max(now, downFree[j]);
    long done = Math.max(lastBit, start + (long) (bytes * downNsPerByte[j]));
    downFree[j] = done;
    bytesRecv[j] += bytes;
    if (done <= now) {
      deliver(j, i, connId, rpcBytes, rpc);
    } else {
      q.schedule(done, EV_DELIVER, j, i, connId, 0, rpcBytes, rpc);
    }
  }

  private void deliver(int j, int i, int connId, long rpcBytes, Object payload) {
    int s = slot(j, i);
    if (!alive[j] || s < 0 || conn[j][s] != connId) {
      return;
    }
    if (payload instanceof BlockFrame f) {
      if (relays[j] != null) {
        if (f.kind() == BlockFrame.Kind.CHUNK && j < honest) {
          chunkCopies[j]++;
        }
        relays[j].frameReceived(now, ids[i], f);
        drain(j);
      }
      return;
    }
    if (payload instanceof TreeControl c) {
      if (trees[j] != null) {
        trees[j].controlReceived(now, ids[i], c);
        drain(j);
      }
      return;
    }
    Rpc rpc = (Rpc) payload;
    if (j < honest) {
      copies[j] += rpc.messages().size();
      if (health[j] != null) {
        health[j].onRpc(ids[i], rpcBytes, now);
      }
    }
    cores[j].rpcReceived(now, ids[i], rpc, out);
    drain(j);
  }

  private void recordDelivery(int i, PubMessage m) {
    recordDelivery(i, m.dataView());
  }

  private void recordDelivery(int i, ByteBuffer data) {
    if (i >= honest) {
      return;
    }
    int msg = data.getInt(data.position());
    if (msg < 0 || msg >= messages) {
      return;
    }
    int k = msg * honest + i;
    if (latUs[k] < 0) {
      latUs[k] = (int) Math.min(Integer.MAX_VALUE, (now - pubNs[msg]) / 1_000);
    }
  }

  // ================================================================ connections

  private void connect(int i, int j) {
    if (!alive[i] || !alive[j] || i == j || slot(i, j) >= 0) {
      return;
    }
    if (i < honest && health[i] != null && health[i].isBanned(ids[j], now)
        || j < honest && health[j] != null && health[j].isBanned(ids[i], now)) {
      return;
    }
    if (deg[j] >= 8 * cfg.connections() && j < honest && i < honest) {
      return; // inbound limit
    }
    int c = nextConn++;
    addLink(i, j, c);
    addLink(j, i, c);
    if ((i >= honest) != (j >= honest)) {
      attackerLinks.add(i < honest ? pair(i, j) : pair(j, i));
    }
    if (trees[i] != null && trees[j] != null) {
      // both negotiated /weft/tree/1.0.0; the handshake gives a first RTT sample
      trees[i].peerCapable(ids[j]);
      trees[j].peerCapable(ids[i]);
      trees[i].recordRtt(ids[j], pingRttNs(i, j), now);
      trees[j].recordRtt(ids[i], pingRttNs(j, i), now);
    }
    if (relays[i] != null && relays[j] != null) {
      // both negotiated /weft/block/1.0.0
      relays[i].peerCapable(ids[j]);
      relays[j].peerCapable(ids[i]);
    }
    cores[i].peerConnected(now, ids[j], cfg.protocolId(), true, out);
    drain(i);
    if (alive[j] && slot(j, i) >= 0) {
      cores[j].peerConnected(now, ids[i], cfg.protocolId(), false, out);
      drain(j);
    }
  }

  private void disconnect(int i, int j) {
    if (slot(i, j) < 0) {
      return;
    }
    removeLink(i, j);
    removeLink(j, i);
    if (relays[i] != null) {
      relays[i].peerGone(now, ids[j]);
    }
    if (relays[j] != null) {
      relays[j].peerGone(now, ids[i]);
    }
    if (alive[i]) {
      cores[i].peerDisconnected(now, ids[j], out);
      drain(i);
    }
    if (alive[j]) {
      cores[j].peerDisconnected(now, ids[i], out);
      drain(j);
    }
  }

  private void kill(int i) {
    if (!alive[i]) {
      return;
    }
    alive[i] = false;
    for (int k = deg[i] - 1; k >= 0; k--) {
      int j = nbr[i][k];
      removeLink(j, i);
      // the peer's kernel sees the reset after one link latency
      q.schedule(now + latencyNs(i, j), EV_GONE, j, i, incarnation[j], 0, null);
    }
    deg[i] = 0;
    cores[i] = null;
    trees[i] = null;
    relays[i] = null;
    if (i < honest) {
      health[i] = null;
    }
  }

  private void restart(int i) {
    if (alive[i]) {
      return;
    }
    start(i, now);
    SplittableRandom r = new SplittableRandom(cfg.seed() * 31 + i * 7L + incarnation[i]);
    int outbound = Math.max(1, cfg.connections() / 2);
    for (int k = 0; k < outbound; k++) {
      int j = r.nextInt(honest);
      if (j != i && alive[j]) {
        q.schedule(now + handshakeNs(i, j), EV_CONNECT, i, j, 0, 0, null);
      }
    }
  }

  private int slot(int i, int j) {
    int[] n = nbr[i];
    for (int k = 0, d = deg[i]; k < d; k++) {
      if (n[k] == j) {
        return k;
      }
    }
    return -1;
  }

  private void addLink(int i, int j, int c) {
    int d = deg[i];
    if (d == nbr[i].length) {
      nbr[i] = Arrays.copyOf(nbr[i], d * 2);
      conn[i] = Arrays.copyOf(conn[i], d * 2);
      lastArr[i] = Arrays.copyOf(lastArr[i], d * 2);
    }
    nbr[i][d] = j;
    conn[i][d] = c;
    lastArr[i][d] = 0;
    deg[i] = d + 1;
  }

  private void removeLink(int i, int j) {
    int s = slot(i, j);
    if (s < 0) {
      return;
    }
    int last = --deg[i];
    nbr[i][s] = nbr[i][last];
    conn[i][s] = conn[i][last];
    lastArr[i][s] = lastArr[i][last];
  }

  // ================================================================ traffic and faults

  private void scheduleTraffic() {
    SimConfig.Traffic t = cfg.traffic();
    for (int m = 0; m < messages; m++) {
      pubNs[m] = t.publishAtNs(m);
      q.schedule(pubNs[m], EV_PUBLISH, m, 0, 0, 0, null);
    }
  }

  private void publish(int m) {
    SimConfig.Traffic t = cfg.traffic();
    int p;
    if (t.kind() == SimConfig.TrafficKind.MARKET) {
      p = marketPublishers[m % marketPublishers.length];
      if (!alive[p]) {
        p = -1;
      }
    } else {
      SplittableRandom r = new SplittableRandom(cfg.seed() * 131 + m);
      p = -1;
      for (int k = 0; k < 64 && p < 0; k++) {
        int c = r.nextInt(honest);
        if (alive[c] && !victim[c]) {
          p = c;
        }
      }
    }
    publisher[m] = p;
    if (p < 0) {
      return;
    }
    if (stretchMsg[m] >= 0) {
      shortestMs[stretchMsg[m]] = shortestPaths(p, t.sizeBytes());
      stretchTaken++;
    }
    byte[] data = new byte[t.sizeBytes()];
    ByteBuffer.wrap(data).putInt(m).putInt(p).putLong(cfg.seed());
    // block peers are kept off this by BlockRouteSelector; the others get the whole message
    dev.weft.core.gossip.GossipRouter.PublishResult pr = cores[p].publish(now, topic, data, out);
    if (relays[p] != null && t.kind() == SimConfig.TrafficKind.BLOCKS && pr.id() != null) {
      PubMessage signed = cores[p].router().cachedMessage(pr.id());
      if (signed != null) {
        byte[] payload = signed.data();
        blockMessages.put(payload, signed);
        relays[p].publish(now, Arrays.copyOf(data, 16), payload);
      }
    }
    drain(p);
    recordDeliveryAtPublisher(m, p);
  }

  private void recordDeliveryAtPublisher(int m, int p) {
    latUs[m * honest + p] = 0;
  }

  private void scheduleFaults() {
    for (Fault f : cfg.faults()) {
      int reps = f.kind() == FaultKind.KILL || f.kind() == FaultKind.PARTITION ? 1 : f.repeat();
      for (int r = 0; r < reps; r++) {
        long at = (f.atMs() + r * f.everyMs()) * MS;
        q.schedule(at, EV_FAULT, 0, r, 0, 0, f);
        if (f.kind() != FaultKind.KILL) {
          q.schedule(at + f.durationMs() * MS, EV_FAULT, 1, r, 0, 0, f);
        }
      }
    }
  }

  /** {@code phase} 0 starts the fault, 1 ends it (CHURN restarts arrive as phase 2). */
  private void fault(Fault f, int rep, int phase) {
    if (phase == 0) {
      faultTimesNs.add(now);
    }
    SplittableRandom r = new SplittableRandom(cfg.seed() * 7919 + faultTimesNs.size() * 31L
        + rep + f.kind().ordinal());
    switch (f.kind()) {
      case KILL -> {
        for (int i : affected(f, r, true)) {
          kill(i);
        }
      }
      case CHURN -> {
        if (phase == 0) {
          for (int i : affected(f, r, true)) {
            kill(i);
            q.schedule(now + f.downtimeMs() * MS, EV_FAULT, 2, i, 0, 0, f);
          }
        }
      }
      case PARTITION -> {
        if (phase == 0) {
          for (int i : affected(f, r, false)) {
            group[i] = 1;
          }
        } else {
          Arrays.fill(group, 0);
        }
      }
      case CONGESTION -> {
        if (phase == 0) {
          for (int i : affected(f, r, false)) {
            upNsPerByte[i] = baseUpNsPerByte * f.bandwidthFactor();
            downNsPerByte[i] = baseDownNsPerByte * f.bandwidthFactor();
            extraLatNs[i] = f.extraLatencyMs() * MS;
          }
        } else {
          Arrays.fill(upNsPerByte, baseUpNsPerByte);
          Arrays.fill(downNsPerByte, baseDownNsPerByte);
          Arrays.fill(extraLatNs, 0);
        }
      }
      default -> throw new IllegalStateException(f.kind().toString());
    }
  }

  private int[] affected(Fault f, SplittableRandom r, boolean spareAttackTargets) {
    List<Integer> pick = new ArrayList<>();
    if (!f.regions().isEmpty()) {
      Set<Integer> rs = new HashSet<>();
      for (String code : f.regions()) {
        rs.add(Geo.regionIndex(code));
      }
      for (int i = 0; i < honest; i++) {
        if (rs.contains(region[i])) {
          pick.add(i);
        }
      }
    } else {
      int[] perm = permutation(honest, r);
      int want = (int) Math.round(f.fraction() * honest);
      Set<Integer> spare = new HashSet<>();
      if (spareAttackTargets && cfg.traffic().kind() == SimConfig.TrafficKind.MARKET) {
        for (int p : marketPublishers) {
          spare.add(p);
        }
      }
      for (int k = 0; k < perm.length && pick.size() < want; k++) {
        if (alive[perm[k]] && !spare.contains(perm[k])) {
          pick.add(perm[k]);
        }
      }
    }
    return pick.stream().mapToInt(Integer::intValue).toArray();
  }

  // ================================================================ the network model

  /** One-way latency between two nodes now (geography, access, congestion). */
  long latencyNs(int i, int j) {
    return Geo.latencyNs(region[i], px[i], py[i], accessNs[i], region[j], px[j], py[j],
        accessNs[j]) + extraLatNs[i] + extraLatNs[j];
  }

  /**
   * What a libp2p ping from i to j would measure now: the round trip plus the time the ping waits
   * behind data already queued on both uplinks (pings share the connection with gossip).
   */
  private long pingRttNs(int i, int j) {
    return 2 * latencyNs(i, j) + Math.max(0, upFree[i] - now) + Math.max(0, upFree[j] - now);
  }

  private long handshakeNs(int i, int j) {
    return 4 * latencyNs(i, j); // TCP + Noise XX + multistream/yamux: about two round trips
  }

  /**
   * Bytes on the wire for an RPC whose protobuf is {@code rpcBytes}: the varint length prefix,
   * yamux data frame headers, Noise frames (length + tag) and TCP/IP/Ethernet headers per segment.
   */
  static long wireBytes(int rpcBytes) {
    long b = rpcBytes + varintSize(rpcBytes);
    b += 12L * ((b + YAMUX_FRAME - 1) / YAMUX_FRAME);
    b += 18L * ((b + NOISE_FRAME - 1) / NOISE_FRAME);
    b += (long) SEGMENT_OVERHEAD * ((b + MSS - 1) / MSS);
    return b;
  }

  private static int varintSize(long v) {
    int n = 1;
    while ((v >>>= 7) != 0) {
      n++;
    }
    return n;
  }

  /**
   * Earliest possible arrival (ms) of a {@code size}-byte message from {@code src} at every node
   * over the current connections of live honest nodes, each hop store-and-forward on idle links.
   */
  private float[] shortestPaths(int src, int size) {
    long[] dist = new long[honest];
    Arrays.fill(dist, Long.MAX_VALUE);
    EventQueue pq = new EventQueue(honest);
    dist[src] = 0;
    pq.schedule(0, 0, src, 0, 0, 0, null);
    long bytes = wireBytes(size + 64);
    while (!pq.isEmpty()) {
      long d = pq.poll();
      int u = pq.a();
      if (d > dist[u]) {
        continue;
      }
      for (int k = 0; k < deg[u]; k++) {
        int v = nbr[u][k];
        if (v >= honest || !alive[v] || group[u] != group[v]) {
          continue;
        }
        long w = latencyNs(u, v) + (long) (bytes * Math.max(upNsPerByte[u], downNsPerByte[v]));
        if (d + w < dist[v]) {
          dist[v] = d + w;
          pq.schedule(d + w, 0, v, 0, 0, 0, null);
        }
      }
    }
    float[] ms = new float[honest];
    for (int i = 0; i < honest; i++) {
      ms[i] = dist[i] == Long.MAX_VALUE ? Float.NaN : dist[i] / 1e6f;
    }
    return ms;
  }

  // ================================================================ helpers and result access

  private static int[] permutation(int n, SplittableRandom r) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static long pair(int i, int j) {
    return ((long) i << 32) | (j & 0xFFFFFFFFL);
  }

  /** Message ID: the 16-byte header every simulated payload starts with (message, publisher, seed). */
  static MessageId messageId(PubMessage m) {
    ByteBuffer v = m.dataView();
    byte[] id = new byte[16];
    v.get(0, id, 0, Math.min(16, v.remaining()));
    return MessageId.of(id);
  }

  SimConfig config() {
    return cfg;
  }

  RoutingMode mode() {
    return mode;
  }

  int honest() {
    return honest;
  }

  int attackers() {
    return total - honest;
  }

  int messages() {
    return messages;
  }

  long[] pubNs() {
    return pubNs;
  }

  int[] publisher() {
    return publisher;
  }

  int[] latUs() {
    return latUs;
  }

  boolean aliveAtEnd(int i) {
    return alive[i];
  }

  long joinedNs(int i) {
    return joinedNs[i];
  }

  boolean victim(int i) {
    return victim[i];
  }

  /** Messages per recovery window: one round over the market publishers, or one block. */
  int recoveryWindow() {
    return cfg.traffic().kind() == SimConfig.TrafficKind.MARKET ? marketPublishers.length : 1;
  }

  long[] copies() {
    return copies;
  }

  /** Full-block equivalents received as chunks (BLOCKS mode), per node. */
  double chunkCopies(int i) {
    return chunkCopies[i] / (double) BlockRelay.Params.defaults().k();
  }

  long[] bytesSent() {
    return bytesSent;
  }

  long[] bytesRecv() {
    return bytesRecv;
  }

  int[] stretchMsg() {
    return stretchMsg;
  }

  float[][] shortestMs() {
    return shortestMs;
  }

  List<Long> faultTimesNs() {
    return faultTimesNs;
  }

  long trueQuarantines() {
    return trueQuarantines;
  }

  long falseQuarantines() {
    return falseQuarantines;
  }

  Map<String, Long> falseQuarantineReasons() {
    return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(falseReasons));
  }

  int attackerLinks() {
    return attackerLinks.size();
  }

  long events() {
    return events;
  }

  long endNs() {
    return endNs;
  }

  int meshSize(int i) {
    return alive[i] ? cores[i].router().meshPeers(topic).size() : 0;
  }

  /** Node {@code i}'s tree router, or null (plain mode, attacker, dead). */
  TreeRouter tree(int i) {
    return trees[i];
  }

  int degree(int i) {
    return deg[i];
  }
}
