package dev.weft.cli;

import dev.weft.core.gossip.GossipParams;
import dev.weft.core.identity.Multiaddr;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.crypto.KeyFiles;
import dev.weft.net.crypto.KeyType;
import dev.weft.net.crypto.PrivKey;
import dev.weft.cli.node.WeftNode;
import dev.weft.net.host.Connection;
import dev.weft.net.host.HostConfig;
import dev.weft.net.host.HostListener;
import dev.weft.net.host.IdentifyInfo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
          + "JSON line per connection event. Logs go to stderr."
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

  @Option(names = "--api", paramLabel = "<host:port>",
      description = "Admin HTTP API address, loopback by default, or 'off' (default: ${DEFAULT-VALUE}). "
          + "The bound address and the bearer token for mutating calls are written to the state "
          + "directory (admin.addr, admin.token, mode 0600).",
      defaultValue = "127.0.0.1:0")
  String api;

  @Option(names = "--state-dir", paramLabel = "<dir>",
      description = "Node state directory (default: $WEFT_STATE_DIR or ./.weft).")
  Path stateDir;

  @Option(names = "--config", paramLabel = "<topology.yaml>",
      description = "Take this node's listen address, key, API address, topics, peers and preset from "
          + "a topology file (docs/topology.md); flags given as well add to it (--key, --api, "
          + "--listen replace).")
  Path config;

  @Option(names = "--node", paramLabel = "<name>",
      description = "Which node of --config to run (needed when it has more than one).")
  String nodeName;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--tree-routing",
      description = "Forward along adaptive spanning trees with weft peers (/weft/tree/1.0.0, "
          + "see docs/routing.md); other peers get plain GossipSub.")
  boolean treeRouting;

  @Override
  public Integer call() throws Exception {
    if (config != null) {
      TopologyNode.apply(this, spec.commandLine().getParseResult());
    } else if (nodeName != null) {
      throw new IllegalArgumentException("--node needs --config");
    }
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
    WeftNode.Options opts = new WeftNode.Options();
    opts.key = key;
    opts.listen = listenAddrs;
    opts.peers = peerAddrs;
    opts.topics = topics;
    opts.params = preset.params();
    opts.agent = agent;
    opts.api = ApiOptions.parseBind(api);
    opts.stateDir = ApiOptions.stateDir(stateDir);
    PrintStream out = System.out;
    opts.treeRouting = treeRouting;
    WeftNode node = new WeftNode(opts);
    node.addHostListener(new JsonEvents(out));
    node.nodeHealth().addListener(e -> emitLine(out, healthEvent(e)));
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      log.info("shutting down");
      node.close();
      stopped.countDown();
    }, "weft-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    node.addMessageListener(d -> emitLine(out, StdioPubSub.messageEvent(d)));
    node.listen();
    StringBuilder addrs = new StringBuilder();
    for (Multiaddr a : node.fullAddrs()) {
      addrs.append(addrs.length() == 0 ? "" : ",").append(Json.quote(a.toString()));
    }
    synchronized (out) {
      out.println("{\"event\":\"ready\",\"peerId\":" + Json.quote(node.peerId().toBase58())
          + ",\"addrs\":[" + addrs + "]"
          + (node.admin() == null ? "" : ",\"api\":" + Json.quote(node.admin().addressText())
              + ",\"stateDir\":" + Json.quote(opts.stateDir.toAbsolutePath().toString()))
          + "}");
      out.flush();
    }
    StdioPubSub.startStdinReader(node.pubsub(), line -> emitLine(out, line));
    node.dialPeers();
    stopped.await();
    return 0;
  }

  private static void emitLine(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  /** A health transition as a JSON line. */
  static String healthEvent(dev.weft.net.health.HealthEvent e) {
    var t = e.transition();
    return "{\"event\":\"health\",\"peer\":" + Json.quote(t.peer().toBase58())
        + ",\"from\":" + Json.quote(t.from().name()) + ",\"to\":" + Json.quote(t.to().name())
        + ",\"reason\":" + Json.quote(t.reason().name()) + ",\"detail\":"
        + Json.quote(t.detail()) + ",\"at\":" + Json.quote(e.at().toString()) + "}";
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
