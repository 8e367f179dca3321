package dev.weft.core.testkit;

import dev.weft.core.events.OverlayEvents;
import dev.weft.core.gossip.GossipParams;
import dev.weft.core.gossip.GossipRouter;
import dev.weft.core.gossip.SignaturePolicy;
import dev.weft.core.gossip.ValidationResult;
import dev.weft.core.identity.PeerId;
import dev.weft.core.node.Effect;
import dev.weft.core.node.NodeCore;
import dev.weft.core.node.Outbox;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.MessageIdFn;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Runs several {@link NodeCore}s in virtual time over an in-memory network with per-link latency.
 * Deterministic: the same builder settings and seed give the same event trace. Effects are
 * executed as a driver would: SendRpc becomes an rpcReceived at the other end after the link
 * latency (links are FIFO), Dial connects (outbound on the dialler's side), Deliver is recorded,
 * ValidateRequest is answered by the node's validator function.
 *
 * <pre>{@code
 * TestNetwork net = TestNetwork.builder().peers(20).topics("t").seed(1).build();
 * net.runFor(Duration.ofSeconds(5));
 * net.publish(0, "t", data);
 * }</pre>
 */
public final class TestNetwork {
  private record Scheduled(long atNs, long seq, Runnable action) {}

  private final long seed;
  private final List<NodeCore> nodes = new ArrayList<>();
  private final Map<PeerId, Integer> index = new HashMap<>();
  private final List<List<Effect.Deliver>> deliveries = new ArrayList<>();
  private final Map<Integer, java.util.function.Consumer<Effect.Deliver>> deliverHooks =
      new HashMap<>();
  private LinkFilter linkFilter = (from, to, m) -> true;
  private final List<Function<PubMessage, ValidationResult>> validators = new ArrayList<>();
  private final List<String> trace = new ArrayList<>();
  private final Set<Long> links = new TreeSet<>();
  private final Map<Long, Long> latencyNs = new HashMap<>();
  private final Map<Long, Long> linkLatencyNs = new HashMap<>();
  private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(
      (a, b) -> a.atNs != b.atNs ? Long.compare(a.atNs, b.atNs) : Long.compare(a.seq, b.seq));
  private final long baseLatencyNs;
  private final long jitterNs;
  private final SplittableRandom linkRandom;
  private final String protocolId;
  private final Map<Integer, String> protocolOverrides;
  private final long validationDelayNs;
  private final double messageLoss;
  private final SplittableRandom lossRandom;
  private long seq;
  private long messageCopies;
  private long nowNs;
  private long rpcsSent;

  private TestNetwork(Builder b) {
    this.seed = b.seed;
    this.baseLatencyNs = b.latency.toNanos();
    this.jitterNs = b.jitter.toNanos();
    this.linkRandom = new SplittableRandom(b.seed * 31 + 7);
    this.protocolId = b.protocolId;
    this.protocolOverrides = new HashMap<>(b.protocolOverrides);
    this.validationDelayNs = b.validationDelay.toNanos();
    this.messageLoss = b.messageLoss;
    this.lossRandom = new SplittableRandom(b.seed * 17 + 3);
    for (Map.Entry<Long, Duration> e : b.linkLatency.entrySet()) {
      linkLatencyNs.put(e.getKey(), e.getValue().toNanos());
    }
    SplittableRandom master = new SplittableRandom(b.seed);
    for (int i = 0; i < b.peers; i++) {
      PeerId id = TestKeys.peerId(b.seed, i);
      index.put(id, i);
      NodeCore.Builder nb = NodeCore.builder().self(id).params(b.params)
          .random(master.split()).startNs(0).initialSeqno(1000L * i + 1)
          .events(OverlayEvents.compose(new TraceEvents("n" + i, trace), b.extraEvents));
      if (b.params.signaturePolicy() == SignaturePolicy.STRICT_SIGN) {
        nb.signer(TestKeys.signer(b.seed, i)).verifier(TestKeys.verifier());
      } else {
        nb.messageIdFn(MessageIdFn.contentSha256());
      }
      if (b.messageIdFn != null) {
        nb.messageIdFn(b.messageIdFn);
      }
      if (b.customizer != null) {
        b.customizer.accept(i, nb);
      }
      NodeCore node = nb.build();
      if (!b.validationDelay.isZero()) {
        for (String t : b.topics) {
          node.setValidationRequired(t, true);
        }
      }
      nodes.add(node);
      deliveries.add(new ArrayList<>());
      validators.add(m -> ValidationResult.ACCEPT);
    }
    // random topology: each node dials `outboundPerNode` distinct others
    for (int[] e : b.edges) {
      if (!connected(e[0], e[1])) {
        connect(e[0], e[1]);
      }
    }
    SplittableRandom topo = new SplittableRandom(b.seed ^ 0x5DEECE66DL);
    for (int i = 0; i < b.peers && b.edges.isEmpty(); i++) {
      int made = 0;
      int attempts = 0;
      while (made < Math.min(b.outboundPerNode, b.peers - 1) && attempts++ < 100 * b.peers) {
        int j = topo.nextInt(b.peers);
        if (j != i && !connected(i, j)) {
          connect(i, j);
          made++;
        }
      }
    }
    for (int i = 0; i < b.peers; i++) {
      for (String t : b.topics) {
        int n = i;
        at(0, () -> run(n, out -> nodes.get(n).subscribe(nowNs, t, out)));
      }
      scheduleTick(i);
    }
  }

  /** A builder with 10 peers, 4 outbound connections each, 10 ms ±2 ms links, spec params. */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------ control

  /** Processes events until virtual time reaches {@code nowNs + d}. */
  public void runFor(Duration d) {
    long end = nowNs + d.toNanos();
    while (!queue.isEmpty() && queue.peek().atNs <= end) {
      Scheduled s = queue.poll();
      nowNs = s.atNs;
      s.action.run();
    }
    nowNs = end;
  }

  /** Publishes from node {@code i} now. */
  public GossipRouter.PublishResult publish(int i, String topic, byte[] data) {
    GossipRouter.PublishResult[] r = new GossipRouter.PublishResult[1];
    run(i, out -> r[0] = nodes.get(i).publish(nowNs, topic, data, out));
    return r[0];
  }

  /** Makes node {@code i} validate {@code topic} asynchronously with {@code validator}. */
  public void validator(int i, String topic, Function<PubMessage, ValidationResult> validator) {
    nodes.get(i).setValidationRequired(topic, true);
    validators.set(i, validator);
  }

  /** Node {@code i} joins {@code topic} now. */
  public void subscribe(int i, String topic) {
    run(i, out -> nodes.get(i).subscribe(nowNs, topic, out));
  }

  /** Node {@code i} leaves {@code topic} now. */
  public void unsubscribe(int i, String topic) {
    run(i, out -> nodes.get(i).unsubscribe(nowNs, topic, out));
  }

  /** Decides per published-message copy on a link whether it arrives (control always does). */
  @FunctionalInterface
  public interface LinkFilter {
    /** True to deliver {@code m} sent by node {@code from} to node {@code to}. */
    boolean keep(int from, int to, PubMessage m);
  }

  /** Replaces the link filter (default: keep everything). */
  public void linkFilter(LinkFilter f) {
    linkFilter = f;
  }

  /** Hands node {@code i}'s deliveries also to {@code hook} (after recording them). */
  public void onDeliver(int i, java.util.function.Consumer<Effect.Deliver> hook) {
    deliverHooks.put(i, hook);
  }

  /** Feeds {@code in} to node {@code i} now and executes its effects. */
  public void input(int i, dev.weft.core.node.Input in) {
    run(i, out -> nodes.get(i).handle(nowNs, in, out));
  }

  /** Runs {@code action} at virtual time {@code atNs} (not before now). */
  public void schedule(long atNs, Runnable action) {
    at(Math.max(atNs, nowNs), action);
  }

  /** Disconnects node {@code i} from every node now (a crash, as seen by its peers). */
  public void isolate(int i) {
    for (int j = 0; j < nodes.size(); j++) {
      if (j != i && connected(i, j)) {
        disconnect(i, j);
      }
    }
  }

  /** Disconnects nodes {@code i} and {@code j} now. */
  public void disconnect(int i, int j) {
    links.remove(key(i, j));
    run(i, out -> nodes.get(i).peerDisconnected(nowNs, nodes.get(j).self(), out));
    run(j, out -> nodes.get(j).peerDisconnected(nowNs, nodes.get(i).self(), out));
  }

  // ------------------------------------------------------------ queries

  /** Node {@code i}. */
  public NodeCore node(int i) {
    return nodes.get(i);
  }

  /** Number of nodes. */
  public int size() {
    return nodes.size();
  }

  /** Index of a node by peer ID. */
  public int indexOf(PeerId peer) {
    return index.get(peer);
  }

  /** Messages delivered to node {@code i}'s application, in order. */
  public List<Effect.Deliver> deliveries(int i) {
    return deliveries.get(i);
  }

  /** Whether node {@code i} delivered message {@code id}. */
  public boolean delivered(int i, MessageId id) {
    for (Effect.Deliver d : deliveries.get(i)) {
      if (d.id().equals(id)) {
        return true;
      }
    }
    return false;
  }

  /** The whole event trace, in processing order. */
  public List<String> trace() {
    return trace;
  }

  /** Current virtual time. */
  public long nowNs() {
    return nowNs;
  }

  /** Published-message copies carried by all RPCs sent so far (payload duplicates included). */
  public long messageCopies() {
    return messageCopies;
  }

  /** Whether nodes i and j are connected. */
  public boolean isConnected(int i, int j) {
    return connected(i, j);
  }

  /** RPCs sent so far. */
  public long rpcsSent() {
    return rpcsSent;
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  // ------------------------------------------------------------ internals

  private interface Step {
    void apply(Outbox out);
  }

  private void run(int i, Step step) {
    Outbox out = new Outbox();
    step.apply(out);
    for (Effect e : out.drain()) {
      execute(i, e);
    }
  }

  private void execute(int from, Effect e) {
    if (e instanceof Effect.SendRpc s) {
      Integer to = index.get(s.peer());
      if (to == null || !connected(from, to)) {
        return;
      }
      rpcsSent++;
      messageCopies += s.rpc().messages().size();
      PeerId sender = nodes.get(from).self();
      Rpc rpc = s.rpc();
      if (messageLoss > 0 && !rpc.messages().isEmpty()) {
        List<PubMessage> kept = new ArrayList<>();
        for (PubMessage m : rpc.messages()) {
          if (lossRandom.nextDouble() >= messageLoss) {
            kept.add(m);
          }
        }
        rpc = new Rpc(rpc.subscriptions(), kept, rpc.control());
      }
      if (!rpc.messages().isEmpty()) {
        List<PubMessage> kept = new ArrayList<>();
        for (PubMessage m : rpc.messages()) {
          if (linkFilter.keep(from, to, m)) {
            kept.add(m);
          }
        }
        if (kept.size() != rpc.messages().size()) {
          rpc = new Rpc(rpc.subscriptions(), kept, rpc.control());
        }
      }
      Rpc delivered = rpc;
      at(nowNs + latency(from, to), () -> {
        if (connected(from, to)) {
          run(to, out -> nodes.get(to).rpcReceived(nowNs, sender, delivered, out));
        }
      });
    } else if (e instanceof Effect.Dial d) {
      Integer to = index.get(d.peer());
      if (to != null && !connected(from, to)) {
        at(nowNs + latency(from, to), () -> {
          if (!connected(from, to)) {
            connectNow(from, to);
          }
        });
      }
    } else if (e instanceof Effect.Disconnect d) {
      Integer to = index.get(d.peer());
      if (to != null && connected(from, to)) {
        disconnect(from, to);
      }
    } else if (e instanceof Effect.Deliver d) {
      deliveries.get(from).add(d);
      java.util.function.Consumer<Effect.Deliver> hook = deliverHooks.get(from);
      if (hook != null) {
        hook.accept(d);
      }
    } else if (e instanceof Effect.ValidateRequest v) {
      ValidationResult r = validators.get(from).apply(v.message());
      at(nowNs + validationDelayNs,
          () -> run(from, out -> nodes.get(from).validationCompleted(nowNs, v.id(), r, out)));
    }
  }

  private void connect(int i, int j) {
    links.add(key(i, j));
    at(0, () -> connectNow(i, j));
  }

  private void connectNow(int i, int j) {
    links.add(key(i, j));
    String proto = negotiated(i, j);
    run(i, out -> nodes.get(i).peerConnected(nowNs, nodes.get(j).self(), proto, true, out));
    run(j, out -> nodes.get(j).peerConnected(nowNs, nodes.get(i).self(), proto, false, out));
  }

  private static final List<String> PROTOCOL_ORDER = List.of(
      "/floodsub/1.0.0", "/meshsub/1.0.0", "/meshsub/1.1.0", "/meshsub/1.2.0", "/meshsub/1.3.0");

  /** Both sides support every version up to their own; the highest common one wins. */
  private String negotiated(int i, int j) {
    int a = PROTOCOL_ORDER.indexOf(protocolOverrides.getOrDefault(i, protocolId));
    int b = PROTOCOL_ORDER.indexOf(protocolOverrides.getOrDefault(j, protocolId));
    return PROTOCOL_ORDER.get(Math.min(a, b));
  }

  private boolean connected(int i, int j) {
    return links.contains(key(i, j));
  }

  private static long key(int i, int j) {
    return ((long) Math.min(i, j) << 32) | Math.max(i, j);
  }

  private long latency(int i, int j) {
    Long fixed = linkLatencyNs.get(key(i, j));
    if (fixed != null) {
      return fixed;
    }
    return latencyNs.computeIfAbsent(key(i, j),
        k -> baseLatencyNs + (jitterNs == 0 ? 0 : linkRandom.nextLong(jitterNs + 1)));
  }

  private void scheduleTick(int i) {
    at(nodes.get(i).nextDeadlineNs(), () -> {
      run(i, out -> nodes.get(i).tick(nowNs, out));
      scheduleTick(i);
    });
  }

  private void at(long atNs, Runnable r) {
    queue.add(new Scheduled(atNs, seq++, r));
  }

  /** Settings for {@link TestNetwork}. */
  public static final class Builder {
    private int peers = 10;
    private int outboundPerNode = 4;
    private final Set<String> topics = new LinkedHashSet<>();
    private long seed = 1;
    private Duration latency = Duration.ofMillis(10);
    private Duration jitter = Duration.ofMillis(2);
    private GossipParams params = GossipParams.specDefaults();
    private String protocolId = "/meshsub/1.2.0";
    private OverlayEvents extraEvents = OverlayEvents.NONE;
    private final Map<Integer, String> protocolOverrides = new HashMap<>();
    private Duration validationDelay = Duration.ZERO;
    private double messageLoss;
    private final List<int[]> edges = new ArrayList<>();
    private MessageIdFn messageIdFn;
    private java.util.function.BiConsumer<Integer, NodeCore.Builder> customizer;
    private final Map<Long, Duration> linkLatency = new HashMap<>();

    private Builder() {}

    /**
     * Called with each node's index and core builder before it is built (e.g. to give node i its
     * own scorer or route selector).
     */
    public Builder customize(java.util.function.BiConsumer<Integer, NodeCore.Builder> c) {
      customizer = c;
      return this;
    }

    /** A fixed one-way latency for the link between {@code i} and {@code j} (both ways). */
    public Builder linkLatency(int i, int j, Duration d) {
      linkLatency.put(key(i, j), d);
      return this;
    }

    /** Message ID function of every node (default: the policy's). */
    public Builder messageIdFn(MessageIdFn v) {
      messageIdFn = v;
      return this;
    }

    /** Number of nodes. */
    public Builder peers(int v) { peers = v; return this; }
    /** Connections each node dials (the topology's outbound degree). */
    public Builder outboundPerNode(int v) { outboundPerNode = v; return this; }
    /** Topics every node subscribes to at time 0. */
    public Builder topics(String... v) { topics.addAll(Arrays.asList(v)); return this; }
    /** Seed for identities, routers and link latencies. */
    public Builder seed(long v) { seed = v; return this; }
    /** Base one-way link latency. */
    public Builder latency(Duration v) { latency = v; return this; }
    /** Max extra latency per link (fixed per link, seeded). */
    public Builder jitter(Duration v) { jitter = v; return this; }
    /** Router parameters of every node. */
    public Builder params(GossipParams v) { params = v; return this; }
    /** Protocol every stream negotiates. */
    public Builder protocolId(String v) { protocolId = v; return this; }
    /** Every node validates every topic, answering after {@code d} (default: no validation). */
    public Builder validationDelay(Duration d) {
      validationDelay = d;
      return this;
    }

    /** Probability that each published-message copy in an RPC is lost (control is kept). */
    public Builder messageLoss(double p) {
      messageLoss = p;
      return this;
    }

    /** Node {@code from} dials {@code to}; when any edge is given the random topology is off. */
    public Builder edge(int from, int to) {
      edges.add(new int[] {from, to});
      return this;
    }

    /** Node {@code i} supports protocols only up to {@code protocolId}. */
    public Builder protocolOf(int i, String protocolId) {
      protocolOverrides.put(i, protocolId);
      return this;
    }

    /** An extra listener added to every node. */
    public Builder events(OverlayEvents v) { extraEvents = v; return this; }

    /** Builds the network (connections and subscriptions happen at time 0 when it runs). */
    public TestNetwork build() {
      return new TestNetwork(this);
    }
  }
}
