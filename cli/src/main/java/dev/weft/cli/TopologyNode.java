package dev.weft.cli;

import dev.weft.cli.topology.Topology;
import dev.weft.cli.topology.TopologyLoader;
import dev.weft.core.identity.Multiaddr;
import dev.weft.net.crypto.KeyFiles;
import dev.weft.net.crypto.KeyType;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Fills {@code weft run}'s options from one node of a topology file. */
final class TopologyNode {
  private TopologyNode() {}

  static void apply(RunCommand run, CommandLine.ParseResult parsed) throws IOException {
    Topology t = TopologyLoader.load(run.config);
    Map<String, Topology.NodeSpec> byName = t.byName();
    Topology.NodeSpec n;
    if (run.nodeName == null) {
      if (t.nodes().size() != 1) {
        throw new IllegalArgumentException(run.config + " has " + t.nodes().size()
            + " nodes: choose one with --node (" + String.join(", ", byName.keySet()) + ")");
      }
      n = t.nodes().get(0);
    } else {
      n = byName.get(run.nodeName);
      if (n == null) {
        throw new IllegalArgumentException("--node " + run.nodeName + ": no such node in " + run.config
            + " (" + String.join(", ", byName.keySet()) + ")");
      }
    }
    Path dir = run.config.toAbsolutePath().getParent();
    if (!parsed.hasMatchedOption("--listen") && n.listen() != null) {
      run.listen = new ArrayList<>(List.of(n.listen()));
    }
    if (run.keyFile == null && n.key() != null) {
      run.keyFile = dir.resolve(n.key());
    }
    if (!parsed.hasMatchedOption("--api") && n.api() != null) {
      run.api = n.api();
    }
    if (!parsed.hasMatchedOption("--gossip-preset")) {
      String preset = n.gossipPreset() != null ? n.gossipPreset() : t.defaults().gossipPreset();
      if (preset != null) {
        run.preset = RunCommand.GossipPreset.valueOf(preset);
      }
    }
    List<String> topics = n.topics() != null ? n.topics() : t.defaults().topics();
    if (topics != null) {
      run.topics.addAll(topics);
    }
    for (String p : n.peers()) {
      run.peers.add(p.startsWith("/") ? p : address(run.config, dir, byName.get(p)));
    }
  }

  /** The dialable address of a named node: its fixed listen port and the peer ID of its key. */
  private static String address(Path file, Path dir, Topology.NodeSpec peer) throws IOException {
    if (peer.listen() == null || peer.key() == null) {
      throw new IllegalArgumentException(file + ": node " + peer.name()
          + " is a peer by name, so it needs listen (a fixed port) and key");
    }
    Multiaddr addr = Multiaddr.parse(peer.listen());
    if (addr.toString().endsWith("/tcp/0")) {
      throw new IllegalArgumentException(file + ": node " + peer.name()
          + " is a peer by name, so its listen address needs a fixed port, not 0");
    }
    var id = KeyFiles.loadOrCreate(dir.resolve(peer.key()), KeyType.ED25519, new SecureRandom())
        .publicKey().peerId();
    return addr.withPeerId(id).toString();
  }
}
