package dev.weft.it.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.host.Connection;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostConfig;
import dev.weft.net.host.HostListener;
import dev.weft.net.host.IdentifyInfo;
import dev.weft.net.identify.IdentifyService;
import dev.weft.net.ping.PingService;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * weft against real js-libp2p 3.x nodes: TCP + multistream + Noise + yamux/mplex + identify + ping,
 * in both dial directions, and a connection kept alive through js's keepalives and
 * connection-monitor pings.
 */
class WeftJsConnectionInteropTest extends JsInteropFixture {
  private static final Duration T = Duration.ofSeconds(20);
  private final Map<PeerId, CompletableFuture<IdentifyInfo>> identified = new ConcurrentHashMap<>();

  private Host weft() throws Exception {
    Host h = new Host(HostConfig.builder(Ed25519Keys.generate(new SecureRandom()))
        .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).build());
    closeables.add(h);
    h.addListener(new HostListener() {
      @Override
      public void onIdentified(Connection c, IdentifyInfo info) {
        identified.computeIfAbsent(c.remotePeer(), p -> new CompletableFuture<>()).complete(info);
      }
    });
    h.start();
    return h;
  }

  private JsPeer js(JsPeer.Options options) {
    JsPeer p = JsPeer.start(options);
    closeables.add(p);
    return p;
  }

  private IdentifyInfo weftIdentifyOf(String jsPeerId) throws Exception {
    return identified.computeIfAbsent(PeerId.parse(jsPeerId), p -> new CompletableFuture<>())
        .get(20, TimeUnit.SECONDS);
  }

  private static List<String> strings(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private void assertJsIdentifiedWeft(JsPeer js, Host weft) {
    JsonNode id = js.awaitIdentify(weft.peerId().toBase58(), T);
    List<String> protocols = strings(id.get("protocols"));
    assertTrue(protocols.containsAll(List.of(IdentifyService.ID, IdentifyService.PUSH_ID, PingService.ID)),
        "js saw our protocols: " + protocols);
    assertEquals(HostConfig.DEFAULT_AGENT, id.get("agentVersion").asText());
    assertEquals("ipfs/0.1.0", id.get("protocolVersion").asText());
    List<String> addrs = strings(id.get("listenAddrs"));
    assertTrue(addrs.stream().anyMatch(a -> a.startsWith(weft.listenAddrs().get(0).toString())),
        "js saw our listen address " + weft.listenAddrs() + " in " + addrs);
  }

  private void assertWeftIdentifiedJs(JsPeer js) throws Exception {
    IdentifyInfo info = weftIdentifyOf(js.peerId());
    assertTrue(info.supports("/meshsub/1.2.0") && info.supports(PingService.ID), info.protocols().toString());
    assertTrue(info.agentVersion().contains("libp2p/"), info.agentVersion());
    assertTrue(info.listenAddrs().stream().anyMatch(a -> js.addr().startsWith(a.toString())),
        "we saw js's listen address " + js.addr() + " in " + info.listenAddrs());
  }

  @Test
  void weftDialsJsWithNoiseAndYamuxAndBothIdentifyAndPing() throws Exception {
    Host weft = weft();
    JsPeer js = js(new JsPeer.Options().name("js-listener"));
    Connection c = weft.dial(Multiaddr.parse(js.addr())).get(20, TimeUnit.SECONDS);
    assertEquals(js.peerId(), c.remotePeer().toBase58());
    JsonNode open = js.awaitEvent(JsPeer.event("connection:open", weft.peerId().toBase58()), T);
    assertEquals("/noise", open.get("encryption").asText());
    assertEquals("/yamux/1.0.0", open.get("muxer").asText());
    assertEquals("inbound", open.get("direction").asText());
    assertJsIdentifiedWeft(js, weft);
    assertWeftIdentifiedJs(js);
    Duration rtt = weft.ping(c).get(10, TimeUnit.SECONDS);
    assertTrue(rtt.toNanos() > 0, "weft measured an RTT to js: " + rtt);
    double jsRtt = js.ping(weft.peerId().toBase58());
    assertTrue(jsRtt > 0, "js measured an RTT to weft: " + jsRtt);
  }

  @Test
  void jsDialsWeftWithNoiseAndYamuxAndBothIdentifyAndPing() throws Exception {
    Host weft = weft();
    JsPeer js = js(new JsPeer.Options().name("js-dialer"));
    String weftAddr = weft.listenAddrs().get(0).withPeerId(weft.peerId()).toString();
    JsonNode dial = js.dial(weftAddr);
    assertEquals("/yamux/1.0.0", dial.get("muxer").asText());
    assertEquals("/noise", dial.get("encryption").asText());
    assertJsIdentifiedWeft(js, weft);
    assertWeftIdentifiedJs(js);
    assertTrue(js.ping(weft.peerId().toBase58()) > 0);
    Connection c = weft.connection(PeerId.parse(js.peerId())).orElseThrow();
    assertTrue(weft.ping(c).get(10, TimeUnit.SECONDS).toNanos() > 0);
  }

  @Test
  void negotiatesMplexWithAJsPeerThatOnlySpeaksMplex() throws Exception {
    Host weft = weft();
    JsPeer js = js(new JsPeer.Options().name("js-mplex").muxer("mplex"));
    Connection c = weft.dial(Multiaddr.parse(js.addr())).get(20, TimeUnit.SECONDS);
    JsonNode open = js.awaitEvent(JsPeer.event("connection:open", weft.peerId().toBase58()), T);
    assertEquals("/mplex/6.7.0", open.get("muxer").asText());
    assertEquals(HostConfig.MPLEX, c.muxer().protocolId());
    assertJsIdentifiedWeft(js, weft);
    assertTrue(weft.ping(c).get(10, TimeUnit.SECONDS).toNanos() > 0);
    assertTrue(js.ping(weft.peerId().toBase58()) > 0);
  }

  /**
   * js keeps yamux keepalive pings (every 30 s) and the connection monitor (a new ping stream
   * every 10 s, aborting the connection on failure) running; both connections must survive 65 s.
   */
  @Test
  void keepsConnectionsAliveThroughJsKeepalivesAndMonitorPingsForOverAMinute() throws Exception {
    Host weft = weft();
    JsPeer listener = js(new JsPeer.Options().name("js-ka-listener"));
    JsPeer dialer = js(new JsPeer.Options().name("js-ka-dialer"));
    Connection out = weft.dial(Multiaddr.parse(listener.addr())).get(20, TimeUnit.SECONDS);
    dialer.dial(weft.listenAddrs().get(0).withPeerId(weft.peerId()).toString());
    Connection in = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (in == null && System.nanoTime() < deadline) {
      in = weft.connection(PeerId.parse(dialer.peerId())).orElse(null);
      Thread.sleep(20);
    }
    assertTrue(in != null, "js dialer's connection registered");
    long servedBefore = weft.pingService().inboundStreams();
    Thread.sleep(65_000);
    assertTrue(out.isOpen() && in.isOpen(), "both connections open after 65 s");
    String me = weft.peerId().toBase58();
    assertTrue(listener.events(JsPeer.event("connection:close", me)).isEmpty(), "listener never dropped us");
    assertTrue(dialer.events(JsPeer.event("connection:close", me)).isEmpty(), "dialer never dropped us");
    long served = weft.pingService().inboundStreams() - servedBefore;
    // Two js nodes, each pinging every 10 s for 65 s: at least 5 each.
    assertTrue(served >= 10, "connection-monitor pings answered: " + served);
    assertTrue(weft.ping(out).get(10, TimeUnit.SECONDS).toNanos() > 0);
    assertTrue(dialer.ping(me) > 0);
  }
}
