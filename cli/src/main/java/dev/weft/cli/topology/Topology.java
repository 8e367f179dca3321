package dev.weft.cli.topology;

import java.util.List;
import java.util.Map;

/**
 * A topology file (docs/topology.md): nodes, their roles, links and a timed scenario. Records bound
 * by {@link TopologyLoader}; unknown fields are errors. Optional fields are null when absent.
 */
public record Topology(
    String name,
    String description,
    Defaults defaults,
    List<NodeSpec> nodes,
    List<LinkSpec> links,
    List<Step> scenario) {

  public Topology {
    defaults = defaults == null ? new Defaults(null, null, null, null) : defaults;
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    links = links == null ? List.of() : List.copyOf(links);
    scenario = scenario == null ? List.of() : List.copyOf(scenario);
  }

  /** Settings every node inherits unless it sets its own. */
  public record Defaults(String gossipPreset, List<String> topics, Integer maxMessageBytes,
      LinkSpec link) {}

  /** Roles a node can play; they decide what the demo and scenarios do with it. */
  public enum Role { publisher, relay, subscriber, validator, attacker }

  /**
   * One node.
   *
   * @param name unique name, referenced by peers, links and scenario steps
   * @param role what it does
   * @param listen multiaddr to listen on (weft run); the demo binds an ephemeral port instead
   * @param key identity key file, relative to the topology file (created if missing)
   * @param api admin API address for weft run ("off" for none)
   * @param topics topics to join (default: defaults.topics)
   * @param peers node names or /p2p multiaddrs to dial and keep connected
   * @param publish what a publisher or validator publishes
   * @param attack what an attacker does
   * @param gossipPreset spec, ethereum or market (default: defaults.gossipPreset)
   */
  public record NodeSpec(String name, Role role, String listen, String key, String api,
      List<String> topics, List<String> peers, PublishSpec publish, AttackSpec attack,
      String gossipPreset) {
    public NodeSpec {
      peers = peers == null ? List.of() : List.copyOf(peers);
    }
  }

  /** Synthetic traffic: {@code kind} quotes, trades or blocks. */
  public record PublishSpec(String topic, String kind, Double ratePerSecond, Integer sizeBytes,
      List<String> instruments) {}

  /** Misbehaviour: {@code kind} invalid-spam (messages the validators reject). */
  public record AttackSpec(String kind, String topic, Double ratePerSecond) {}

  /** A link profile between two nodes (both directions), or the default link without from/to. */
  public record LinkSpec(String from, String to, Long latencyMs, Long jitterMs, Double lossPercent,
      Long bandwidthKbps) {}

  /**
   * One scenario step.
   *
   * @param at when: seconds ("20s", "1500ms", "2m") or a share of the run ("40%")
   * @param action congest, heal, kill, start or partition
   * @param node the node (kill, start)
   * @param link the two nodes of a link (congest, heal, partition)
   * @param latencyMs congestion latency
   * @param lossPercent congestion loss
   * @param bandwidthKbps congestion bandwidth
   * @param note shown in the demo's view
   */
  public record Step(String at, String action, String node, List<String> link, Long latencyMs,
      Double lossPercent, Long bandwidthKbps, String note) {}

  /** Per-name lookup. */
  public Map<String, NodeSpec> byName() {
    Map<String, NodeSpec> m = new java.util.LinkedHashMap<>();
    for (NodeSpec n : nodes) {
      m.put(n.name(), n);
    }
    return m;
  }
}
