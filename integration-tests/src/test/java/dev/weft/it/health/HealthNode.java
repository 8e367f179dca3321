package dev.weft.it.health;

import dev.weft.core.events.OverlayEvents;
import dev.weft.core.gossip.GossipParams;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.emulation.LinkEmulatorRegistry;
import dev.weft.net.health.HealthEvent;
import dev.weft.net.health.NodeHealth;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostConfig;
import dev.weft.net.pubsub.PubSub;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A full weft node on loopback: Host + PubSub + NodeHealth, recording deliveries and transitions. */
final class HealthNode implements AutoCloseable {
  final String name;
  final NodeHealth health;
  final Host host;
  final PubSub pubsub;
  final Multiaddr addr;
  final List<HealthEvent> events = new CopyOnWriteArrayList<>();
  final Set<String> received = ConcurrentHashMap.newKeySet();
  /** When each router heartbeat ran (monotonic ns). */
  final List<Long> heartbeats = new CopyOnWriteArrayList<>();

  HealthNode(String name, String ip, String topic, GossipParams params,
      LinkEmulatorRegistry emulation) throws Exception {
    this.name = name;
    health = new NodeHealth(NodeHealth.Config.defaults(topic));
    health.addListener(events::add);
    HostConfig.Builder b = HostConfig.builder(Ed25519Keys.generate(new SecureRandom()))
        .listen(Multiaddr.parse("/ip4/" + ip + "/tcp/0")).gater(health.gater()).ioThreads(1);
    if (emulation != null) {
      b.emulation(emulation);
    }
    host = new Host(b.build());
    PubSub.Config base = PubSub.Config.defaults().withParams(params);
    OverlayEvents heartbeatClock = new OverlayEvents() {
      @Override
      public void onHeartbeat(long nowNs, long ticks) {
        heartbeats.add(nowNs);
      }
    };
    base = new PubSub.Config(base.params(), base.thresholds(), base.scorer(), heartbeatClock,
        base.limits());
    pubsub = new PubSub(host, health.configure(base));
    health.attach(host, pubsub);
    addr = host.start().get(0).withPeerId(host.peerId());
    pubsub.addListener(d -> received.add(new String(d.message().data(), StandardCharsets.UTF_8)));
    pubsub.subscribe(topic).get();
  }

  /** Heartbeats that ran after {@code fromNs} up to and including {@code toNs}. */
  int heartbeatsBetween(long fromNs, long toNs) {
    int n = 0;
    for (long t : heartbeats) {
      if (t - fromNs > 0 && t - toNs <= 0) {
        n++;
      }
    }
    return n;
  }

  PeerId id() {
    return host.peerId();
  }

  @Override
  public void close() {
    pubsub.close();
    host.close();
    health.close();
  }

  @Override
  public String toString() {
    return name;
  }
}
