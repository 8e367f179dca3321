package dev.weft.cli.demo;

import dev.weft.cli.node.WeftNode;
import dev.weft.cli.topology.Topology;
import dev.weft.cli.topology.TopologyLoader;
import dev.weft.core.gossip.GossipParams;
import dev.weft.core.identity.Multiaddr;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.emulation.LinkEmulatorRegistry;
import dev.weft.net.emulation.LinkProfile;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A topology run in one JVM on loopback: one {@link WeftNode} per node (ephemeral ports), links
 * shaped by one {@link LinkEmulatorRegistry}, publishers and attackers driven by a scheduler, and
 * scenario steps applied on request. Nodes whose first mention is a {@code start} step (the
 * demo's spammer) stay down until then.
 */
public final class LocalMesh implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalMesh.class);

  /** One node of the run and what happened to it. */
  public static final class Member {
    public final Topology.NodeSpec spec;
    public volatile WeftNode node;
    public volatile boolean killed;
    final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    Member(Topology.NodeSpec spec) {
      this.spec = spec;
    }

    public boolean isUp() {
      return node != null && !killed;
    }
  }

  private final Topology topology;
  private final LinkEmulatorRegistry links;
  private final LinkProfile defaultLink;
  private final Map<String, Member> members = new LinkedHashMap<>();
  private final ScheduledExecutorService traffic;
  private final SplittableRandom random;
  private final AtomicLong seq = new AtomicLong();

  private final boolean treeRouting;

  /** A run with plain GossipSub. */
  public LocalMesh(Topology topology, long seed) {
    this(topology, seed, false);
  }

  /** A run whose nodes use adaptive spanning trees ({@code --tree-routing}) when asked. */
  public LocalMesh(Topology topology, long seed, boolean treeRouting) {
    this.treeRouting = treeRouting;
    this.topology = topology;
    this.random = new SplittableRandom(seed);
    this.links = new LinkEmulatorRegistry(seed);
    Topology.LinkSpec dl = topology.defaults().link();
    this.defaultLink = dl == null ? LinkProfile.IDEAL : profile(dl.latencyMs(), dl.jitterMs(),
        dl.lossPercent(), dl.bandwidthKbps(), LinkProfile.IDEAL);
    links.setDefaultProfile(defaultLink);
    for (Topology.NodeSpec n : topology.nodes()) {
      members.put(n.name(), new Member(n));
    }
    this.traffic = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "weft-demo-traffic");
      t.setDaemon(true);
      return t;
    });
  }

  public Topology topology() {
    return topology;
  }

  public Map<String, Member> members() {
    return members;
  }

  /** Starts every node that no scenario step starts later, connects them and starts traffic. */
  public void start() throws Exception {
    List<Member> now = new ArrayList<>();
    for (Member m : members.values()) {
      if (!startedLater(m.spec.name())) {
        launch(m);
        now.add(m);
      }
    }
    for (Member m : members.values()) {
      if (m.node != null) {
        wirePeers(m);
      }
    }
    for (Topology.LinkSpec l : topology.links()) {
      applyLinkSpec(l);
    }
    this.initial = now;
  }

  private List<Member> initial = List.of();

  /**
   * Waits until every running node has at least one mesh peer in each of its topics (or the
   * timeout passes); returns whether they all did.
   */
  public boolean awaitMeshes(long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (System.nanoTime() - deadline < 0) {
      boolean all = true;
      for (Member m : initial) {
        for (String t : m.node.options().topics) {
          if (m.node.query(r -> r.meshPeers(t)).isEmpty()) {
            all = false;
            break;
          }
        }
        if (!all) {
          break;
        }
      }
      if (all) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  /** Starts the publishers and attackers of the nodes running now. */
  public void startTraffic() {
    for (Member m : initial) {
      startTraffic(m);
    }
  }

  private boolean startedLater(String name) {
    return topology.scenario().stream().anyMatch(s -> "start".equals(s.action()) && name.equals(s.node()));
  }

  private void launch(Member m) throws Exception {
    Topology.NodeSpec s = m.spec;
    WeftNode.Options o = new WeftNode.Options();
    o.name = s.name();
    o.key = Ed25519Keys.generate(new SecureRandom());
    o.topics = new ArrayList<>(s.topics() != null ? s.topics() : topology.defaults().topics());
    o.params = params(s.gossipPreset() != null ? s.gossipPreset() : topology.defaults().gossipPreset(),
        topology.defaults().maxMessageBytes());
    o.emulation = links;
    o.publishClock = MarketData.CLOCK;
    o.ioThreads = 1;
    o.treeRouting = treeRouting && s.role() != Topology.Role.attacker;
    if (s.role() != Topology.Role.attacker) {
      for (String t : o.topics) {
        o.validators.put(t, MarketData.VALIDATOR);
      }
    }
    m.node = new WeftNode(o).listen();
  }

  /** Points the node at its peers (by name or multiaddr) and starts dialling. */
  private void wirePeers(Member m) {
    List<Multiaddr> addrs = new ArrayList<>();
    for (String p : m.spec.peers()) {
      if (p.startsWith("/")) {
        addrs.add(Multiaddr.parse(p));
      } else {
        Member other = members.get(p);
        if (other != null && other.isUp()) {
          addrs.add(other.node.fullAddrs().get(0));
        }
      }
    }
    m.node.options().peers = addrs;
    m.node.dialPeers();
  }

  private void startTraffic(Member m) {
    Topology.PublishSpec p = m.spec.publish();
    if (p != null) {
      List<String> instruments = p.instruments() == null || p.instruments().isEmpty()
          ? List.of("X") : p.instruments();
      long periodUs = (long) (1_000_000 / p.ratePerSecond());
      SplittableRandom r = random.split();
      m.tasks.add(traffic.scheduleAtFixedRate(() -> {
        if (!m.isUp()) {
          return;
        }
        long n = seq.incrementAndGet();
        String instrument = instruments.get((int) (n % instruments.size()));
        m.node.pubsub().publish(p.topic(), MarketData.message(p.kind(), instrument, n, r, p.sizeBytes()));
      }, periodUs, periodUs, TimeUnit.MICROSECONDS));
    }
    Topology.AttackSpec a = m.spec.attack();
    if (a != null) {
      long periodUs = (long) (1_000_000 / a.ratePerSecond());
      SplittableRandom r = random.split();
      m.tasks.add(traffic.scheduleAtFixedRate(() -> {
        if (m.isUp()) {
          m.node.pubsub().publish(a.topic(), MarketData.spam(seq.incrementAndGet(), r));
        }
      }, periodUs, periodUs, TimeUnit.MICROSECONDS));
    }
  }

  /** Stops every publisher and attacker (the nodes keep running). */
  public void stopTraffic() {
    for (Member m : members.values()) {
      m.tasks.forEach(t -> t.cancel(false));
    }
  }

  /** Applies one scenario step; returns a line describing it. */
  public String apply(Topology.Step s) throws Exception {
    String what = s.note() != null ? s.note() : s.action() + " " + (s.node() != null ? s.node() : s.link());
    switch (s.action()) {
      case "kill" -> {
        Member m = members.get(s.node());
        m.killed = true;
        m.tasks.forEach(t -> t.cancel(false));
        if (m.node != null) {
          m.node.close();
        }
      }
      case "start" -> {
        Member m = members.get(s.node());
        if (m.node == null) {
          launch(m);
          wirePeers(m);
          startTraffic(m);
        }
      }
      case "congest" -> setLink(s.link(), profile(s.latencyMs(), null, s.lossPercent(), s.bandwidthKbps(), defaultLink));
      case "heal" -> {
        String[] ids = ids(s.link());
        if (ids != null) {
          links.heal(ids[0], ids[1]);
          links.setLink(ids[0], ids[1], defaultLink);
        }
      }
      case "partition" -> {
        String[] ids = ids(s.link());
        if (ids != null) {
          links.partition(ids[0], ids[1]);
        }
      }
      default -> throw new IllegalArgumentException("unknown action " + s.action());
    }
    log.info("scenario: {}", what);
    return what;
  }

  private void applyLinkSpec(Topology.LinkSpec l) {
    setLink(List.of(l.from(), l.to()), profile(l.latencyMs(), l.jitterMs(), l.lossPercent(), l.bandwidthKbps(), defaultLink));
  }

  private void setLink(List<String> pair, LinkProfile p) {
    String[] ids = ids(pair);
    if (ids != null) {
      links.setLink(ids[0], ids[1], p);
    }
  }

  /** The peer IDs of a link's two nodes, or null if one never started. */
  private String[] ids(List<String> pair) {
    Member a = members.get(pair.get(0));
    Member b = members.get(pair.get(1));
    if (a == null || b == null || a.node == null || b.node == null) {
      return null;
    }
    return new String[] {a.node.peerId().toBase58(), b.node.peerId().toBase58()};
  }

  static LinkProfile profile(Long latencyMs, Long jitterMs, Double lossPercent, Long bandwidthKbps,
      LinkProfile base) {
    LinkProfile.Builder b = base.toBuilder();
    if (latencyMs != null) {
      b.latencyMs(latencyMs);
    }
    if (jitterMs != null) {
      b.jitterMs(jitterMs);
    }
    if (lossPercent != null) {
      b.lossRatio(lossPercent / 100.0);
    }
    if (bandwidthKbps != null) {
      b.bandwidthBytesPerSec(bandwidthKbps * 1000 / 8);
    }
    return b.build();
  }

  /** GossipSub parameters of a preset name, with room for {@code maxMessageBytes}. */
  public static GossipParams params(String preset, Integer maxMessageBytes) {
    GossipParams p = switch (preset == null ? "spec" : preset) {
      case "ethereum" -> GossipParams.ethereumConsensus();
      case "market" -> GossipParams.lowLatencyMarketData();
      default -> GossipParams.specDefaults();
    };
    if (maxMessageBytes != null && p.maxRpcSize() < maxMessageBytes + 16 * 1024) {
      p = p.toBuilder().maxRpcSize(maxMessageBytes + 16 * 1024).build();
    }
    return p;
  }

  /** Run-relative seconds of a step. */
  public static double at(Topology.Step s, double runSeconds) {
    return TopologyLoader.atSeconds(s.at(), runSeconds);
  }

  @Override
  public void close() {
    traffic.shutdownNow();
    for (Member m : members.values()) {
      if (m.node != null && !m.killed) {
        m.node.close();
      }
    }
  }
}
