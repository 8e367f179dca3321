package dev.weft.cli;

import dev.weft.core.gossip.GossipParams;
import dev.weft.core.identity.Multiaddr;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.crypto.KeyFiles;
import dev.weft.net.crypto.KeyType;
import dev.weft.net.crypto.PrivKey;
import dev.weft.net.health.HealthEvent;
import dev.weft.net.health.NodeHealth;
import dev.weft.net.host.Connection;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostConfig;
import dev.weft.net.host.HostListener;
import dev.weft.net.host.IdentifyInfo;
import dev.weft.net.pubsub.PubSub;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft run}: starts a node, prints one JSON {@code ready} line on stdout, then one JSON
 * line per connection event and per received message; publishes what stdin asks for; logs go to
 * stderr. SIGTERM / Ctrl-C shut it down cleanly.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Start a weft node.",
      "Prints {\"event\":\"ready\",\"peerId\":...,\"addrs\":[...]} on stdout once listening, then one "
          + "JSON line per connection event and per peer-health transition "
          + "({\"event\":\"health\",...}). Logs go to stderr."
    })
final class RunCommand implements java.util.concurrent.Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--listen", paramLabel = "<multiaddr>",
      description = "TCP address to listen on, repeatable (default: ${DEFAULT-VALUE}).",
      defaultValue = "/ip4/127.0.0.1/tcp/0")
  List<String> listen = new ArrayList<>();

  @Option(names = "--key", paramLabel = "<file>",
      description = "Identity key file (libp2p PrivateKey protobuf). Created with mode 0600 if "
          + "missing. Without it the node uses a fresh Ed25519 key.")
  Path keyFile;

  @Option(names = "--peer", paramLabel = "<multiaddr>",
      description = "Peer to dial and keep connected (with /p2p/<id>), repeatable.")
  List<String> peers = new ArrayList<>();

  @Option(names = "--topic", paramLabel = "<name>",
      description = "GossipSub topic to subscribe to, repeatable. Messages arrive on stdout as "
          + "{\"event\":\"message\",...}; publish by writing {\"op\":\"publish\",\"topic\":...,"
          + "\"data\":...} lines (or \"dataBase64\") to stdin.")
  List<String> topics = new ArrayList<>();

  @Option(names = "--gossip-preset", paramLabel = "<preset>",
      description = "GossipSub parameter preset: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "spec")
  GossipPreset preset;

  @Option(names = "--agent", paramLabel = "<string>", description = "Agent version sent in identify.",
      defaultValue = HostConfig.DEFAULT_AGENT)
  String agent;

  @Option(names = "--state-dir", paramLabel = "<dir>",
      description = "Directory for state kept across restarts (peer health: retained scores, "
          + "quarantines, bans; saved every 30 s and on exit) (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.weft/state")
  Path stateDir;

  @Override
  public Integer call() throws Exception {
    List<Multiaddr> listenAddrs = new ArrayList<>();
    for (String l : listen) {
      listenAddrs.add(parse("--listen", l));
    }
    List<Multiaddr> peerAddrs = new ArrayList<>();
    for (String p : peers) {
      Multiaddr ma = parse("--peer", p);
      if (ma.peerId().isEmpty()) {
        throw new IllegalArgumentException("--peer " + p + ": must end in /p2p/<peer-id>");
      }
      peerAddrs.add(ma);
    }
    SecureRandom random = new SecureRandom();
    PrivKey key = keyFile == null
        ? Ed25519Keys.generate(random)
        : KeyFiles.loadOrCreate(keyFile, KeyType.ED25519, random);
    PrintStream out = System.out;
    NodeHealth health = new NodeHealth(
        NodeHealth.Config.defaults(topics.toArray(String[]::new)).withStateDir(stateDir));
    health.addListener(e -> emitLine(out, healthEvent(e)));
    HostConfig.Builder cfg = HostConfig.builder(key).agentVersion(agent).gater(health.gater());
    listenAddrs.forEach(cfg::listen);
    Host host = new Host(cfg.build());
    host.addListener(new JsonEvents(out));
    PubSub pubsub = new PubSub(host,
        health.configure(PubSub.Config.defaults().withParams(preset.params())));
    health.attach(host, pubsub);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      log.info("shutting down");
      pubsub.close();
      host.close();
      health.close();
      stopped.countDown();
    }, "weft-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    List<Multiaddr> bound = host.start();
    StringBuilder addrs = new StringBuilder();
    for (Multiaddr a : bound) {
      addrs.append(addrs.length() == 0 ? "" : ",").append(Json.quote(a + "/p2p/" + host.peerId()));
    }
    synchronized (out) {
      out.println("{\"event\":\"ready\",\"peerId\":" + Json.quote(host.peerId().toBase58())
          + ",\"addrs\":[" + addrs + "]}");
      out.flush();
    }
    pubsub.addListener(d -> emitLine(out, StdioPubSub.messageEvent(d)));
    for (String t : topics) {
      pubsub.subscribe(t).get(5, TimeUnit.SECONDS);
    }
    StdioPubSub.startStdinReader(pubsub, line -> emitLine(out, line));
    ScheduledExecutorService redial = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "weft-redial");
      t.setDaemon(true);
      return t;
    });
    if (!peerAddrs.isEmpty()) {
      redial.scheduleWithFixedDelay(() -> {
        for (Multiaddr p : peerAddrs) {
          if (host.connection(p.peerId().orElseThrow()).isEmpty()) {
            host.dial(p).whenComplete((c, e) -> {
              if (e != null) {
                log.warn("dial {} failed: {}", p, e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
              }
            });
          }
        }
      }, 0, 5, TimeUnit.SECONDS);
    }
    stopped.await();
    redial.shutdownNow();
    return 0;
  }

  /** A health transition as a JSON line. */
  static String healthEvent(HealthEvent e) {
    var t = e.transition();
    return "{\"event\":\"health\",\"peer\":" + Json.quote(t.peer().toBase58())
        + ",\"from\":" + Json.quote(t.from().name()) + ",\"to\":" + Json.quote(t.to().name())
        + ",\"reason\":" + Json.quote(t.reason().name()) + ",\"detail\":"
        + Json.quote(t.detail()) + ",\"at\":" + Json.quote(e.at().toString()) + "}";
  }

  private static void emitLine(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  /** GossipSub parameter presets selectable from the command line. */
  enum GossipPreset {
    spec(GossipParams.specDefaults()),
    ethereum(GossipParams.ethereumConsensus()),
    market(GossipParams.lowLatencyMarketData());

    private final GossipParams params;

    GossipPreset(GossipParams params) {
      this.params = params;
    }

    GossipParams params() {
      return params;
    }
  }

  private static Multiaddr parse(String option, String text) {
    try {
      return Multiaddr.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " " + text + ": " + e.getMessage(), e);
    }
  }

  /** Connection events as JSON lines on stdout, for scripts. */
  private record JsonEvents(PrintStream out) implements HostListener {
    @Override
    public void onConnected(Connection c) {
      emit("{\"event\":\"connected\",\"peer\":" + Json.quote(c.remotePeer().toBase58())
          + ",\"direction\":" + Json.quote(c.direction().name().toLowerCase())
          + ",\"addr\":" + Json.quote(c.remoteAddr().toString()) + "}");
    }

    @Override
    public void onIdentified(Connection c, IdentifyInfo info) {
      emit("{\"event\":\"identified\",\"peer\":" + Json.quote(c.remotePeer().toBase58())
          + ",\"agentVersion\":" + Json.quote(info.agentVersion())
          + ",\"protocols\":" + Json.array(info.protocols()) + "}");
    }

    @Override
    public void onDisconnected(Connection c, String reason) {
      emit("{\"event\":\"disconnected\",\"peer\":" + Json.quote(c.remotePeer().toBase58())
          + ",\"reason\":" + Json.quote(reason) + "}");
    }

    private void emit(String line) {
      synchronized (out) {
        out.println(line);
        out.flush();
      }
    }
  }
}
