package dev.weft.it.interop;

import dev.weft.core.events.OverlayEvents;
import dev.weft.core.events.PruneReason;
import dev.weft.core.gossip.GossipParams;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostConfig;
import dev.weft.net.pubsub.PubSub;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A weft GossipSub node for interop tests: host + pubsub on loopback, recording the payloads it
 * delivers and the router decisions that the tests check (as text lines, e.g.
 * {@code "graft <peer> <topic>"}, {@code "prune <peer> <topic> REMOTE_PRUNE"}).
 */
final class WeftGossipNode implements AutoCloseable {
  final Host host;
  final PubSub pubsub;
  final Set<String> received = ConcurrentHashMap.newKeySet();
  final List<String> events = new CopyOnWriteArrayList<>();

  WeftGossipNode(GossipParams params) throws Exception {
    host = new Host(HostConfig.builder(Ed25519Keys.generate(new SecureRandom()))
        .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).build());
    PubSub.Config d = PubSub.Config.defaults();
    pubsub = new PubSub(host, new PubSub.Config(params, d.thresholds(), d.scorer(), recorder(),
        d.limits()));
    pubsub.addListener(dl -> received.add(new String(dl.message().data(), StandardCharsets.UTF_8)));
    host.start();
  }

  private OverlayEvents recorder() {
    return new OverlayEvents() {
      @Override
      public void onGraft(long nowNs, PeerId peer, String topic) {
        events.add("graft " + peer.toBase58() + " " + topic);
      }

      @Override
      public void onPrune(long nowNs, PeerId peer, String topic, PruneReason reason) {
        events.add("prune " + peer.toBase58() + " " + topic + " " + reason);
      }

      @Override
      public void onGraftBackoffViolation(long nowNs, PeerId peer, String topic, boolean flood) {
        events.add("backoffViolation " + peer.toBase58() + " " + topic);
      }

      @Override
      public void onIHaveSent(long nowNs, PeerId peer, String topic, int count) {
        events.add("ihaveSent " + peer.toBase58() + " " + count);
      }

      @Override
      public void onIHaveReceived(long nowNs, PeerId peer, String topic, int count) {
        events.add("ihaveReceived " + peer.toBase58() + " " + count);
      }

      @Override
      public void onIWantSent(long nowNs, PeerId peer, int count) {
        events.add("iwantSent " + peer.toBase58() + " " + count);
      }

      @Override
      public void onIWantReceived(long nowNs, PeerId peer, int count, int served) {
        events.add("iwantReceived " + peer.toBase58() + " " + count + " " + served);
      }

      @Override
      public void onPeerExchange(long nowNs, PeerId pruner, String topic, int dials) {
        events.add("px " + pruner.toBase58() + " " + dials);
      }
    };
  }

  /** Recorded lines starting with {@code prefix}. */
  List<String> events(String prefix) {
    List<String> out = new ArrayList<>();
    for (String e : events) {
      if (e.startsWith(prefix)) {
        out.add(e);
      }
    }
    return out;
  }

  PeerId peerId() {
    return host.peerId();
  }

  String addr() {
    return host.listenAddrs().get(0).withPeerId(host.peerId()).toString();
  }

  void subscribe(String topic) throws Exception {
    pubsub.subscribe(topic).get(5, TimeUnit.SECONDS);
  }

  void dial(String addr) throws Exception {
    host.dial(Multiaddr.parse(addr)).get(20, TimeUnit.SECONDS);
  }

  List<PeerId> mesh(String topic) throws Exception {
    return pubsub.meshPeers(topic).get(5, TimeUnit.SECONDS);
  }

  boolean meshHas(String topic, String peerBase58) throws Exception {
    return mesh(topic).stream().anyMatch(p -> p.toBase58().equals(peerBase58));
  }

  boolean connectedTo(String peerBase58) {
    return host.connection(PeerId.fromBase58(peerBase58)).isPresent();
  }

  @Override
  public void close() {
    pubsub.close();
    host.close();
  }
}
