package dev.weft.sim.engine;

import dev.weft.core.gossip.GossipParams;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one simulation run needs, immutable. Times are milliseconds of virtual time.
 *
 * @param name scenario name (for the report)
 * @param seed the only source of randomness
 * @param nodes honest nodes
 * @param connections connections each node aims for (it dials half of them)
 * @param regions region code to placement weight, in iteration order
 * @param uplinkMbps per-node uplink
 * @param downlinkMbps per-node downlink
 * @param loss probability that one TCP segment is lost (costs one RTT of retransmission delay)
 * @param params router parameters of every node
 * @param protocolId pubsub protocol every stream negotiates
 * @param health whether honest nodes run health's HealthMonitor as their scorer
 * @param traffic what is published
 * @param attack the attack, or null
 * @param faults network faults in time order
 * @param tailMs virtual time simulated after the last publish
 */
public record SimConfig(
    String name, long seed, int nodes, int connections, Map<String, Double> regions,
    double uplinkMbps, double downlinkMbps, double loss, GossipParams params, String protocolId,
    boolean health, Traffic traffic, Attack attack, List<Fault> faults, long tailMs) {

  /** Checks the values. */
  public SimConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(traffic, "traffic");
    regions = regions == null || regions.isEmpty() ? Map.of("us-east-1", 1.0)
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(regions));
    faults = faults == null ? List.of() : List.copyOf(faults);
    if (nodes < 2) {
      throw new IllegalArgumentException("nodes must be >= 2");
    }
    if (connections < 1) {
      throw new IllegalArgumentException("connections must be >= 1");
    }
    if (!(uplinkMbps > 0) || !(downlinkMbps > 0)) {
      throw new IllegalArgumentException("bandwidth must be > 0");
    }
    if (!(loss >= 0 && loss < 1)) {
      throw new IllegalArgumentException("loss must be in [0, 1)");
    }
    for (Map.Entry<String, Double> e : regions.entrySet()) {
      Geo.regionIndex(e.getKey());
      if (!(e.getValue() > 0)) {
        throw new IllegalArgumentException("region weight of " + e.getKey() + " must be > 0");
      }
    }
  }

  /** A copy with another node count. */
  public SimConfig withNodes(int n) {
    return new SimConfig(name, seed, n, connections, regions, uplinkMbps, downlinkMbps, loss,
        params, protocolId, health, traffic, attack, faults, tailMs);
  }

  /** A copy with another seed. */
  public SimConfig withSeed(long s) {
    return new SimConfig(name, s, nodes, connections, regions, uplinkMbps, downlinkMbps, loss,
        params, protocolId, health, traffic, attack, faults, tailMs);
  }

  /** Traffic models. */
  public enum TrafficKind {
    /** Many publishers, small messages, a steady aggregate rate. */
    MARKET,
    /** One publisher per slot, large messages. */
    BLOCKS
  }

  /**
   * What is published.
   *
   * @param kind the model
   * @param topic the topic every honest node joins
   * @param messages messages published in total
   * @param sizeBytes payload size (at least 16: the header carries the message number)
   * @param publishers distinct publishers (MARKET)
   * @param ratePerSecond aggregate publish rate (MARKET)
   * @param slotMs slot length (BLOCKS): one message per slot
   * @param startMs first publish (meshes form before)
   * @param deadlineMs delivery deadline reported as "within deadline"
   */
  public record Traffic(TrafficKind kind, String topic, int messages, int sizeBytes, int publishers,
      double ratePerSecond, long slotMs, long startMs, long deadlineMs) {
    /** Checks the values. */
    public Traffic {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(topic, "topic");
      if (messages < 1) {
        throw new IllegalArgumentException("messages must be >= 1");
      }
      if (sizeBytes < 16) {
        throw new IllegalArgumentException("sizeBytes must be >= 16");
      }
      if (kind == TrafficKind.MARKET && (publishers < 1 || !(ratePerSecond > 0))) {
        throw new IllegalArgumentException("market traffic needs publishers >= 1 and rate > 0");
      }
      if (kind == TrafficKind.BLOCKS && slotMs < 1) {
        throw new IllegalArgumentException("slotMs must be >= 1");
      }
      if (startMs < 0 || deadlineMs < 1) {
        throw new IllegalArgumentException("startMs must be >= 0 and deadlineMs >= 1");
      }
    }

    /** Virtual time of message {@code i}'s publish. */
    public long publishAtNs(int i) {
      long offset = kind == TrafficKind.BLOCKS ? i * slotMs * 1_000_000L
          : (long) (i * 1e9 / ratePerSecond);
      return startMs * 1_000_000L + offset;
    }
  }

  /** Attack types (the GossipSub v1.1 evaluation's, plus plain black-hole relays). */
  public enum AttackKind {
    /** Attackers join a warm network, connect to honest nodes and drop every message. */
    SYBIL,
    /** Attackers all connect to a few victims and drop every message. */
    ECLIPSE,
    /** Attackers connect to the target publishers and drop only their messages. */
    CENSORSHIP,
    /** Attackers behave until the attack start, then all drop every message at once. */
    COVERT_FLASH,
    /** Attackers and honest nodes start together; attackers drop from the start. */
    COLD_BOOT,
    /** Attackers connect first; honest nodes find each other only later. */
    ATTACK_AT_DAWN,
    /** A share of ordinary participants (dialled like anyone) silently drops messages. */
    BLACK_HOLE
  }

  /**
   * An attack. Attackers run the real core (so they mesh, gossip and answer control) but their
   * outgoing published messages are removed while the attack is on.
   *
   * @param kind type
   * @param attackersPerHonest attackers per honest node (e.g. 4 for the Sybil scenario; 0.1 for 10%
   *     black holes)
   * @param degree connections each attacker dials
   * @param joinMs when attackers connect
   * @param startMs when they start dropping
   * @param targets victims (ECLIPSE) or censored publishers (CENSORSHIP)
   * @param honestJoinDelayMs ATTACK_AT_DAWN: honest nodes dial each other only after this
   */
  public record Attack(AttackKind kind, double attackersPerHonest, int degree, long joinMs,
      long startMs, int targets, long honestJoinDelayMs) {
    /** Checks the values. */
    public Attack {
      Objects.requireNonNull(kind, "kind");
      if (!(attackersPerHonest > 0)) {
        throw new IllegalArgumentException("attackersPerHonest must be > 0");
      }
      if (degree < 1 || targets < 0 || joinMs < 0 || startMs < 0 || honestJoinDelayMs < 0) {
        throw new IllegalArgumentException("degree >= 1, targets, joinMs, startMs >= 0");
      }
    }
  }

  /** Network faults. */
  public enum FaultKind {
    /** Kill a share of honest nodes at once (they stay dead). */
    KILL,
    /** Repeatedly kill a share and restart it after a downtime. */
    CHURN,
    /** Cut the listed regions (or a share of nodes) off from the rest for a while. */
    PARTITION,
    /** Divide bandwidth and add latency for a share of nodes, possibly repeatedly (waves). */
    CONGESTION
  }

  /**
   * A fault.
   *
   * @param kind type
   * @param atMs when it starts
   * @param durationMs how long it lasts (PARTITION, CONGESTION, CHURN)
   * @param fraction share of honest nodes affected (when no regions are given)
   * @param regions regions affected instead of a share
   * @param bandwidthFactor CONGESTION: bandwidth is divided by this
   * @param extraLatencyMs CONGESTION: added one-way latency
   * @param repeat CONGESTION/CHURN: how many times
   * @param everyMs CONGESTION/CHURN: period of the repeats
   * @param downtimeMs CHURN: how long a killed node stays down
   */
  public record Fault(FaultKind kind, long atMs, long durationMs, double fraction,
      List<String> regions, double bandwidthFactor, long extraLatencyMs, int repeat, long everyMs,
      long downtimeMs) {
    /** Checks the values. */
    public Fault {
      Objects.requireNonNull(kind, "kind");
      regions = regions == null ? List.of() : List.copyOf(regions);
      for (String r : regions) {
        Geo.regionIndex(r);
      }
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException("fraction must be in [0, 1]");
      }
      if (atMs < 0 || durationMs < 0 || extraLatencyMs < 0 || everyMs < 0 || downtimeMs < 0) {
        throw new IllegalArgumentException("times must be >= 0");
      }
      if (repeat < 1) {
        throw new IllegalArgumentException("repeat must be >= 1");
      }
      if (!(bandwidthFactor >= 1)) {
        throw new IllegalArgumentException("bandwidthFactor must be >= 1");
      }
    }
  }
}
