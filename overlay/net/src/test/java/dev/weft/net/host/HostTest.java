package dev.weft.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.net.LogCapture;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.identify.IdentifyService;
import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import dev.weft.net.ping.PingService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two or more real hosts on loopback: the whole upgrade path, identify, ping and the manager. */
class HostTest {
  private final List<Host> hosts = new ArrayList<>();
  private final SecureRandom random = new SecureRandom();

  @AfterEach
  void closeHosts() {
    hosts.forEach(Host::close);
  }

  private Host host(java.util.function.UnaryOperator<HostConfig.Builder> tweak) throws Exception {
    HostConfig.Builder b = HostConfig.builder(Ed25519Keys.generate(random))
        .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
    Host h = new Host(tweak.apply(b).build());
    hosts.add(h);
    h.start();
    return h;
  }

  private Host host() throws Exception {
    return host(b -> b);
  }

  private static Multiaddr addrOf(Host h) {
    return h.listenAddrs().get(0).withPeerId(h.peerId());
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  /** The accepting side registers the connection a moment after the dialer; wait for it. */
  private static Connection awaitConnection(Host h, PeerId peer) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      java.util.Optional<Connection> c = h.connection(peer);
      if (c.isPresent()) {
        return c.get();
      }
      Thread.sleep(10);
    }
    throw new AssertionError(h.peerId() + " never registered a connection to " + peer);
  }

  @Test
  void shouldConnectAuthenticateAndIdentifyBothWays() throws Exception {
    Host a = host();
    Host b = host(x -> x.agentVersion("weft-test-b/1"));
    CompletableFuture<IdentifyInfo> aLearnsB = new CompletableFuture<>();
    CompletableFuture<IdentifyInfo> bLearnsA = new CompletableFuture<>();
    a.addListener(new HostListener() {
      @Override
      public void onIdentified(Connection c, IdentifyInfo info) {
        aLearnsB.complete(info);
      }
    });
    b.addListener(new HostListener() {
      @Override
      public void onIdentified(Connection c, IdentifyInfo info) {
        bLearnsA.complete(info);
      }
    });
    Connection c = await(a.dial(addrOf(b)));
    assertEquals(b.peerId(), c.remotePeer());
    assertEquals(Direction.OUTBOUND, c.direction());
    IdentifyInfo ib = await(aLearnsB);
    assertEquals("weft-test-b/1", ib.agentVersion());
    assertTrue(ib.supports(PingService.ID) && ib.supports(IdentifyService.ID), ib.protocols().toString());
    assertEquals(b.listenAddrs(), ib.listenAddrs());
    IdentifyInfo ia = await(bLearnsA);
    assertEquals(HostConfig.DEFAULT_AGENT, ia.agentVersion());
    assertTrue(ia.observedAddr().isPresent(), "b reports the address it sees us on");
    assertEquals(a.peerId(), b.connection(a.peerId()).orElseThrow().remotePeer());
  }

  @Test
  void shouldShapeLinksThroughTheEmulatorRegistry() throws Exception {
    dev.weft.net.emulation.LinkEmulatorRegistry reg = new dev.weft.net.emulation.LinkEmulatorRegistry(7);
    Host a = host(x -> x.emulation(reg));
    Host b = host(x -> x.emulation(reg));
    Connection c = await(a.dial(addrOf(b)));
    Duration base = await(a.ping(c));
    reg.setLink(a.peerId().toBase58(), b.peerId().toBase58(),
        dev.weft.net.emulation.LinkProfile.builder().latencyMs(150).build());
    Duration slowed = await(a.ping(c));
    // 150 ms each way: a round trip now takes at least 300 ms (a lower bound, never an upper one)
    assertTrue(slowed.toMillis() >= 300, "rtt with 150 ms each way: " + slowed + " (base " + base + ")");
  }

  @Test
  void shouldAuthenticateASecp256k1Identity() throws Exception {
    Host a = host();
    HostConfig.Builder cfg = HostConfig.builder(
            dev.weft.net.crypto.Keys.generate(dev.weft.net.crypto.KeyType.SECP256K1, random))
        .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"));
    Host k = new Host(cfg.build());
    hosts.add(k);
    k.start();
    assertTrue(k.peerId().toBase58().startsWith("16Uiu2"), k.peerId().toBase58());
    Connection c = await(a.dial(addrOf(k)));
    assertEquals(k.peerId(), c.remotePeer());
    assertEquals(dev.weft.net.crypto.KeyType.SECP256K1, c.remoteKey().type());
    assertTrue(await(a.ping(c)).toNanos() > 0);
  }

  @Test
  void shouldPushProtocolChangesToConnectedPeers() throws Exception {
    Host a = host();
    Host b = host();
    java.util.concurrent.LinkedBlockingQueue<IdentifyInfo> seen = new java.util.concurrent.LinkedBlockingQueue<>();
    a.addListener(new HostListener() {
      @Override
      public void onIdentified(Connection c, IdentifyInfo info) {
        seen.add(info);
      }
    });
    await(a.dial(addrOf(b)));
    IdentifyInfo first = seen.poll(10, TimeUnit.SECONDS);
    assertNotNull(first);
    assertFalse(first.supports("/weft/late/1.0.0"));
    b.registerProtocol("/weft/late/1.0.0", (conn, stream) -> (s, data) -> data.release());
    IdentifyInfo pushed = seen.poll(10, TimeUnit.SECONDS);
    assertNotNull(pushed, "identify push arrived");
    assertTrue(pushed.supports("/weft/late/1.0.0"), pushed.protocols().toString());
    assertTrue(pushed.supports(PingService.ID), "a push replaces the protocol list as a whole");
  }

  @Test
  void shouldMeasurePingRoundTripsOnBothSides() throws Exception {
    Host a = host();
    Host b = host();
    Connection ab = await(a.dial(addrOf(b)));
    for (int i = 0; i < 3; i++) {
      Duration rtt = await(a.ping(ab));
      assertTrue(rtt.toNanos() > 0 && rtt.toMillis() < 5_000, "rtt " + rtt);
    }
    Connection ba = awaitConnection(b, a.peerId());
    assertTrue(await(b.ping(ba)).toNanos() > 0);
  }

  @Test
  void shouldServeRegisteredProtocolsOverStreams() throws Exception {
    Host a = host();
    Host b = host();
    String proto = "/weft/test-echo/1.0.0";
    b.registerProtocol(proto, (conn, stream) -> new StreamHandler() {
      @Override
      public void onData(MuxedStream s, ByteBuf data) {
        s.writeAndFlush(data);
      }

      @Override
      public void onRemoteClose(MuxedStream s) {
        s.closeWrite();
      }
    });
    Connection c = await(a.dial(addrOf(b)));
    int size = 3 * 1024 * 1024;
    byte[] payload = new byte[size];
    random.nextBytes(payload);
    ByteBuf received = Unpooled.buffer(size);
    CompletableFuture<Void> done = new CompletableFuture<>();
    MuxedStream s = await(a.newStream(c, List.of("/weft/unknown/1.0.0", proto), new StreamHandler() {
      @Override
      public void onData(MuxedStream st, ByteBuf data) {
        received.writeBytes(data);
        data.release();
      }

      @Override
      public void onRemoteClose(MuxedStream st) {
        done.complete(null);
      }

      @Override
      public void onReset(MuxedStream st) {
        done.completeExceptionally(new IllegalStateException("reset"));
      }
    }));
    assertEquals(proto, s.protocol());
    c.eventLoop().execute(() -> {
      s.writeAndFlush(Unpooled.wrappedBuffer(payload));
      s.closeWrite();
    });
    await(done);
    byte[] back = new byte[received.readableBytes()];
    received.readBytes(back);
    assertTrue(java.util.Arrays.equals(payload, back), "3 MiB echoed intact through flow control");
  }

  @Test
  void shouldRefuseConnectionWhenPeerIdDoesNotMatch() throws Exception {
    Host a = host();
    Host b = host();
    PeerId someoneElse = Ed25519Keys.generate(random).publicKey().peerId();
    Multiaddr wrong = b.listenAddrs().get(0).withPeerId(someoneElse);
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(a.dial(wrong)));
    assertTrue(e.getCause() instanceof DialException, e.toString());
    assertTrue(a.connections().isEmpty());
  }

  @Test
  void shouldJoinConcurrentDialsToTheSamePeer() throws Exception {
    Host a = host();
    Host b = host();
    CompletableFuture<Connection> d1 = a.dial(addrOf(b));
    CompletableFuture<Connection> d2 = a.dial(addrOf(b));
    assertSame(await(d1), await(d2));
    assertEquals(1, a.connections().size());
  }

  @Test
  void shouldKeepOneConnectionAfterSimultaneousDials() throws Exception {
    Host a = host();
    Host b = host();
    CompletableFuture<Connection> ab = a.dial(addrOf(b));
    CompletableFuture<Connection> ba = b.dial(addrOf(a));
    await(ab);
    await(ba);
    // Both sides converge on the same single connection (the one dialled by the smaller peer ID).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!sameSingleConnection(a, b) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(1, a.connections().size());
    assertEquals(1, b.connections().size());
    Connection ca = a.connections().iterator().next();
    Connection cb = b.connections().iterator().next();
    assertTrue(ca.isOpen() && cb.isOpen());
    assertEquals(ca.direction() == Direction.OUTBOUND, cb.direction() == Direction.INBOUND);
    assertTrue(await(a.ping(ca)).toNanos() > 0);
  }

  /** Each side holds exactly one connection and it is the same TCP connection. */
  private static boolean sameSingleConnection(Host a, Host b) {
    if (a.connections().size() != 1 || b.connections().size() != 1) {
      return false;
    }
    Connection ca = a.connections().iterator().next();
    Connection cb = b.connections().iterator().next();
    return ca.isOpen() && cb.isOpen()
        && ca.channel().localAddress().equals(cb.channel().remoteAddress());
  }

  @Test
  void shouldBackOffAfterAFailedDial() throws Exception {
    Host a = host(x -> x.dialBackoff(Duration.ofSeconds(30), Duration.ofMinutes(1)));
    Host b = host();
    Multiaddr target = addrOf(b);
    b.close();
    assertThrows(ExecutionException.class, () -> await(a.dial(target)));
    ExecutionException second = assertThrows(ExecutionException.class, () -> await(a.dial(target)));
    assertTrue(second.getCause().getMessage().contains("backoff"), second.getCause().getMessage());
  }

  @Test
  void shouldCloseHandshakeThatNeverCompletesAndKeepServingOthers() throws Exception {
    Host b = host(x -> x.handshakeTimeout(Duration.ofMillis(300)));
    InetSocketAddress sa = Addrs.toSocketAddress(b.listenAddrs().get(0));
    try (Socket silent = new Socket()) {
      silent.connect(sa, 2000);
      silent.setSoTimeout(5000);
      InputStream in = silent.getInputStream();
      // The listener never speaks first and closes us when the timeout passes: read hits EOF.
      assertEquals(-1, in.read());
    }
    Host a = host();
    assertNotNull(await(a.dial(addrOf(b))));
  }

  @Test
  void shouldCloseGarbageConnectionAndKeepServingOthers() throws Exception {
    Host b = host();
    Host a = host();
    Connection good = await(a.dial(addrOf(b)));
    InetSocketAddress sa = Addrs.toSocketAddress(b.listenAddrs().get(0));
    try (Socket bad = new Socket()) {
      bad.connect(sa, 2000);
      bad.setSoTimeout(5000);
      OutputStream out = bad.getOutputStream();
      out.write("\u0013/multistream/1.0.0\n\u0007/noise\n".getBytes(StandardCharsets.US_ASCII));
      byte[] garbage = new byte[4096];
      random.nextBytes(garbage);
      garbage[0] = 0x00;
      garbage[1] = 0x20; // a 32-byte "ephemeral key" and then nonsense
      out.write(garbage);
      out.flush();
      InputStream in = bad.getInputStream();
      int n;
      while ((n = in.read()) != -1) {
        assertTrue(n >= 0);
      }
    } catch (java.net.SocketException reset) {
      // a reset instead of a FIN is an acceptable way to close
    }
    assertTrue(good.isOpen());
    assertTrue(await(a.ping(good)).toNanos() > 0);
  }

  @Test
  void shouldRefuseInboundConnectionsBeyondTheLimit() throws Exception {
    Host b = host(x -> x.maxInboundConnections(1));
    Host a1 = host();
    Host a2 = host();
    await(a1.dial(addrOf(b)));
    assertThrows(ExecutionException.class, () -> await(a2.dial(addrOf(b))));
    assertEquals(1, b.connections().size());
  }

  @Test
  void shouldNotifyBothSidesOnCleanClose() throws Exception {
    Host a = host();
    Host b = host();
    CompletableFuture<String> bSawClose = new CompletableFuture<>();
    b.addListener(new HostListener() {
      @Override
      public void onDisconnected(Connection c, String reason) {
        bSawClose.complete(reason);
      }
    });
    Connection c = await(a.dial(addrOf(b)));
    awaitConnection(b, a.peerId());
    c.close("test done");
    assertNotNull(await(bSawClose));
    assertEquals("test done", await(c.closeFuture()));
    assertFalse(c.isOpen());
  }

  /** Polls {@code condition} for up to 10 s (the machine may be heavily loaded). */
  private static void eventually(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void shouldResetInboundStreamWhoseNegotiationNeverCompletesAndKeepTheConnection() throws Exception {
    Host b = host(x -> x.streamNegotiationTimeout(Duration.ofMillis(300)));
    Host a = host();
    Connection conn = await(a.dial(addrOf(b)));
    CompletableFuture<Boolean> reset = new CompletableFuture<>();
    StreamHandler silent = new StreamHandler() {
      @Override
      public void onData(MuxedStream s, ByteBuf data) {
        data.release();
      }

      @Override
      public void onReset(MuxedStream s) {
        reset.complete(true);
      }
    };
    try (LogCapture log = new LogCapture(dev.weft.net.multistream.StreamNegotiator.class)) {
      conn.eventLoop().execute(() -> {
        MuxedStream s = conn.muxer().openStream(silent);
        // the header, then never a protocol: negotiation stalls on b's side
        s.writeAndFlush(Unpooled.wrappedBuffer(
            dev.weft.net.multistream.Negotiator.encode(dev.weft.net.multistream.Negotiator.HEADER)));
      });
      assertTrue(await(reset));
      eventually("the logged reason", () -> log.contains("protocol negotiation not finished after 300 ms"));
    }
    assertTrue(conn.isOpen());
    assertTrue(await(a.ping(conn)).toNanos() > 0);
  }

  @Test
  void shouldLogWhyAHandshakeThatNeverCompletesWasClosed() throws Exception {
    Host b = host(x -> x.handshakeTimeout(Duration.ofMillis(300)));
    InetSocketAddress sa = Addrs.toSocketAddress(b.listenAddrs().get(0));
    try (LogCapture log = new LogCapture(UpgradeController.class); Socket silent = new Socket()) {
      silent.connect(sa, 2000);
      silent.setSoTimeout(10_000);
      assertEquals(-1, silent.getInputStream().read());
      eventually("the logged reason", () -> log.contains("handshake did not complete within 300 ms"));
    }
  }

  @Test
  void shouldCloseOnlyTheConnectionThatSendsAMalformedMuxerFrame() throws Exception {
    Host b = host();
    Host a = host();
    Host c = host();
    Connection good = await(a.dial(addrOf(b)));
    Connection bad = await(c.dial(addrOf(b)));
    awaitConnection(b, c.peerId());
    try (LogCapture log = new LogCapture(dev.weft.net.yamux.YamuxHandler.class)) {
      // bytes below c's yamux (so Noise encrypts them) that b's yamux cannot parse: version 1
      byte[] garbage = {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
      bad.channel().pipeline().context(dev.weft.net.yamux.YamuxHandler.class)
          .writeAndFlush(Unpooled.wrappedBuffer(garbage));
      eventually("b to drop c", () -> b.connection(c.peerId()).isEmpty());
      eventually("the logged reason", () -> log.contains("unsupported yamux version 1"));
    }
    eventually("c to see the close", () -> !bad.isOpen());
    assertTrue(good.isOpen());
    assertTrue(b.connection(a.peerId()).isPresent());
    assertTrue(await(a.ping(good)).toNanos() > 0);
    assertTrue(await(b.ping(b.connection(a.peerId()).orElseThrow())).toNanos() > 0);
  }
}
