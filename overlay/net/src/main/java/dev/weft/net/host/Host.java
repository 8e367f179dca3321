package dev.weft.net.host;

import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.net.identify.IdentifyService;
import dev.weft.net.multistream.StreamNegotiator;
import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import dev.weft.net.ping.PingService;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A libp2p host over TCP: listens, dials, upgrades connections (multistream-select, Noise,
 * yamux/mplex), serves registered stream protocols, runs identify and ping, and manages
 * connections (limits, dial dedup and backoff, duplicate-connection resolution, clean close).
 *
 * <p>Thread model: every connection lives on one Netty event loop; callbacks for it run there.
 * Public methods are thread-safe.
 */
public final class Host implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Host.class);

  private final HostConfig config;
  private final PeerId peerId;
  private final EventLoopGroup acceptGroup;
  private final EventLoopGroup ioGroup;
  private final Map<String, ProtocolHandler> protocols = new ConcurrentHashMap<>();
  private final Map<PeerId, Connection> connections = new ConcurrentHashMap<>();
  private final Map<PeerId, CompletableFuture<Connection>> pendingDials = new ConcurrentHashMap<>();
  private final Map<PeerId, DialBackoff> backoffs = new ConcurrentHashMap<>();
  private final List<HostListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();
  private final List<Multiaddr> boundAddrs = new CopyOnWriteArrayList<>();
  private final AtomicInteger inboundCount = new AtomicInteger();
  private final AtomicInteger outboundCount = new AtomicInteger();
  private final IdentifyService identify;
  private final PingService ping;
  private volatile boolean closed;

  public Host(HostConfig config) {
    this.config = config;
    this.peerId = config.identity().publicKey().peerId();
    this.acceptGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("weft-accept", true));
    this.ioGroup = new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("weft-io", true));
    this.identify = new IdentifyService(this, this::onIdentified);
    this.ping = new PingService();
    registerProtocol(IdentifyService.ID, identify.responder());
    registerProtocol(IdentifyService.PUSH_ID, identify.pushReceiver());
    registerProtocol(PingService.ID, ping.responder());
  }

  public HostConfig config() {
    return config;
  }

  public PeerId peerId() {
    return peerId;
  }

  /** Binds every configured listen address; completes with the bound addresses. */
  public List<Multiaddr> start() throws InterruptedException {
    for (Multiaddr addr : config.listenAddrs()) {
      InetSocketAddress sa = Addrs.toSocketAddress(addr);
      ServerBootstrap b = new ServerBootstrap()
          .group(acceptGroup, ioGroup)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.SO_KEEPALIVE, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              initInbound(ch);
            }
          });
      ChannelFuture f = b.bind(sa).sync();
      serverChannels.add(f.channel());
      Multiaddr bound = Addrs.toMultiaddr(f.channel().localAddress());
      boundAddrs.add(bound);
      log.info("listening on {}/p2p/{}", bound, peerId);
    }
    return listenAddrs();
  }

  /** The bound listen addresses (with the real port when 0 was configured), without /p2p. */
  public List<Multiaddr> listenAddrs() {
    return List.copyOf(boundAddrs);
  }

  /**
   * Serves {@code protocolId}. When connections are open, the change reaches the peers through
   * identify push, debounced by {@link #IDENTIFY_PUSH_DEBOUNCE_MS} (as js does).
   */
  public void registerProtocol(String protocolId, ProtocolHandler handler) {
    if (protocols.put(protocolId, handler) == null && !connections.isEmpty()
        && pushScheduled.compareAndSet(false, true)) {
      acceptGroup.schedule(() -> {
        pushScheduled.set(false);
        identify.pushToAll();
      }, IDENTIFY_PUSH_DEBOUNCE_MS, TimeUnit.MILLISECONDS);
    }
  }

  /** Protocol changes within this window go out in one identify push. */
  static final long IDENTIFY_PUSH_DEBOUNCE_MS = 200;
  private final java.util.concurrent.atomic.AtomicBoolean pushScheduled =
      new java.util.concurrent.atomic.AtomicBoolean();

  public Collection<String> protocolIds() {
    return List.copyOf(protocols.keySet());
  }

  public void addListener(HostListener listener) {
    listeners.add(listener);
  }

  public Collection<Connection> connections() {
    return List.copyOf(connections.values());
  }

  public Optional<Connection> connection(PeerId peer) {
    Connection c = connections.get(peer);
    return c != null && c.isOpen() ? Optional.of(c) : Optional.empty();
  }

  public IdentifyService identifyService() {
    return identify;
  }

  public PingService pingService() {
    return ping;
  }

  /** Measures one round trip on {@code connection} with {@code /ipfs/ping/1.0.0}. */
  public CompletableFuture<Duration> ping(Connection connection) {
    return ping.ping(this, connection);
  }

  /**
   * Dials {@code addr} ((/ip4, /ip6 or /dns with /tcp, optionally ending in /p2p)). Returns the existing connection
   * when one is open, joins a dial already in flight to the same peer, and fails fast while the
   * peer is in dial backoff.
   */
  public CompletableFuture<Connection> dial(Multiaddr addr) {
    if (closed) {
      return CompletableFuture.failedFuture(new DialException("host is closed"));
    }
    PeerId expected = addr.peerId().orElse(null);
    if (expected != null) {
      if (expected.equals(peerId)) {
        return CompletableFuture.failedFuture(new DialException("refusing to dial ourselves: " + addr));
      }
      Optional<Connection> existing = connection(expected);
      if (existing.isPresent()) {
        return CompletableFuture.completedFuture(existing.get());
      }
      DialBackoff bo = backoffs.get(expected);
      long now = System.nanoTime();
      if (bo != null && bo.untilNanos - now > 0) {
        return CompletableFuture.failedFuture(new DialException("peer " + expected + " is in dial backoff for "
            + TimeUnit.NANOSECONDS.toMillis(bo.untilNanos - now) + " ms after " + bo.failures
            + " failed dial(s)"));
      }
      CompletableFuture<Connection> pending = new CompletableFuture<>();
      CompletableFuture<Connection> raced = pendingDials.putIfAbsent(expected, pending);
      if (raced != null) {
        return raced;
      }
      pending.whenComplete((c, e) -> pendingDials.remove(expected, pending));
      startDial(addr, expected, pending);
      return pending;
    }
    CompletableFuture<Connection> promise = new CompletableFuture<>();
    startDial(addr, null, promise);
    return promise;
  }

  private void startDial(Multiaddr addr, PeerId expected, CompletableFuture<Connection> promise) {
    if (outboundCount.get() >= config.maxOutboundConnections()) {
      promise.completeExceptionally(new DialException(
          "outbound connection limit reached (" + config.maxOutboundConnections() + ")"));
      return;
    }
    InetSocketAddress target;
    try {
      target = Addrs.toSocketAddress(addr);
    } catch (IllegalArgumentException e) {
      promise.completeExceptionally(new DialException(e.getMessage()));
      return;
    }
    UpgradeController controller = new UpgradeController(this, Direction.OUTBOUND, expected, promise);
    Bootstrap b = new Bootstrap()
        .group(ioGroup)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.dialTimeout().toMillis())
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            attachEmulator(ch, controller, target);
            ch.pipeline().addLast("security-select", controller.securityNegotiator());
            ch.pipeline().addLast("upgrade", controller);
          }
        });
    b.connect(target).addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        onUpgradeFailed(expected, Direction.OUTBOUND,
            "connect to " + target + " failed: " + f.cause().getMessage(), promise);
      }
    });
  }

  private void initInbound(SocketChannel ch) {
    if (closed || inboundCount.get() >= config.maxInboundConnections()
        || !config.gater().allowInbound(ch.remoteAddress())) {
      log.info("refusing inbound connection from {}: {}", ch.remoteAddress(),
          closed ? "host closing" : inboundCount.get() >= config.maxInboundConnections()
              ? "inbound connection limit (" + config.maxInboundConnections() + ") reached"
              : "refused by gater");
      ch.close();
      return;
    }
    UpgradeController controller = new UpgradeController(this, Direction.INBOUND, null, null);
    attachEmulator(ch, controller, ch.remoteAddress());
    ch.pipeline().addLast("security-select", controller.securityNegotiator());
    ch.pipeline().addLast("upgrade", controller);
  }

  /** With emulation on, shapes the connection's outbound bytes from its first byte. */
  private void attachEmulator(SocketChannel ch, UpgradeController controller,
      java.net.SocketAddress remote) {
    if (config.emulation() != null) {
      dev.weft.net.emulation.LinkEmulator em =
          config.emulation().attach(peerId.toBase58(), remote);
      ch.pipeline().addFirst("link-emulator", em);
      controller.emulator(em);
    }
  }

  void onUpgradeFailed(PeerId expected, Direction direction, String reason,
      CompletableFuture<Connection> promise) {
    if (expected != null && direction == Direction.OUTBOUND) {
      Optional<Connection> other = connection(expected);
      if (other.isPresent() && promise != null) {
        // the remote closed our dial because its own dial to us won the duplicate resolution
        promise.complete(other.get());
        return;
      }
      backoffs.compute(expected, (p, old) -> {
        int failures = old == null ? 1 : old.failures + 1;
        long base = config.dialBackoffBase().toNanos();
        long max = config.dialBackoffMax().toNanos();
        long delay = Math.min(max, base << Math.min(failures - 1, 30));
        return new DialBackoff(failures, System.nanoTime() + delay);
      });
    }
    if (promise != null) {
      promise.completeExceptionally(new DialException(reason));
    }
  }

  void onEstablished(Connection conn, String muxerId, CompletableFuture<Connection> promise) {
    PeerId remote = conn.remotePeer();
    Connection loser = null;
    Connection winner = conn;
    // Two connections to one peer may establish at once on different event loops: decide under a
    // lock so exactly one is registered.
    synchronized (connections) {
      Connection existing = connections.get(remote);
      if (existing != null && existing.isOpen()) {
        // Simultaneous dials: both sides keep the connection dialled by the smaller peer ID, so
        // they agree without talking. Two dials of ours keep the first one.
        boolean keepNew = preferred(conn) && !preferred(existing);
        loser = keepNew ? existing : conn;
        winner = keepNew ? conn : existing;
        if (keepNew) {
          connections.put(remote, conn);
          countOf(existing).decrementAndGet();
          countOf(conn).incrementAndGet();
        }
      } else {
        connections.put(remote, conn);
        countOf(conn).incrementAndGet();
      }
    }
    if (loser != null) {
      log.debug("duplicate connection to {}: keeping {}, closing {}", remote, winner, loser);
      loser.close("duplicate connection");
      if (loser == conn) {
        if (promise != null) {
          promise.complete(winner);
        }
        return;
      }
    }
    backoffs.remove(remote);
    log.info("connected {} {} via {} ({})", conn.direction().name().toLowerCase(), remote,
        conn.remoteAddr(), muxerId);
    conn.markAnnounced();
    for (HostListener l : listeners) {
      l.onConnected(conn);
    }
    if (promise != null) {
      promise.complete(conn);
    }
    identify.identify(conn);
  }

  private AtomicInteger countOf(Connection c) {
    return c.direction() == Direction.INBOUND ? inboundCount : outboundCount;
  }

  private boolean preferred(Connection c) {
    PeerId dialer = c.direction() == Direction.OUTBOUND ? peerId : c.remotePeer();
    PeerId other = c.direction() == Direction.OUTBOUND ? c.remotePeer() : peerId;
    return dialer.compareTo(other) < 0;
  }

  void onClosed(Connection conn) {
    if (conn == null) {
      return;
    }
    String reason = conn.closeReason() == null ? "closed by remote" : conn.closeReason();
    boolean removed;
    synchronized (connections) {
      removed = connections.remove(conn.remotePeer(), conn);
      if (removed) {
        countOf(conn).decrementAndGet();
      }
    }
    try {
      if (removed || conn.announced()) {
        log.info("disconnected {} ({})", conn.remotePeer(), reason);
        for (HostListener l : listeners) {
          try {
            l.onDisconnected(conn, reason);
          } catch (RuntimeException e) {
            log.warn("listener failed on disconnect of {}: {}", conn.remotePeer(), e.toString());
          }
        }
      }
    } finally {
      conn.markClosed(reason);
    }
  }

  void onIdentified(Connection conn, IdentifyInfo info) {
    conn.identify(info);
    for (HostListener l : listeners) {
      l.onIdentified(conn, info);
    }
  }

  /** Called by the muxer for every stream the remote opens: negotiate, then hand to the protocol. */
  void onInboundStream(Connection conn, dev.weft.net.mux.MuxedStream stream) {
    if (!config.gater().allowInboundStream(conn)) {
      log.debug("inbound stream from {} refused by gater", conn.remotePeer());
      stream.reset();
      return;
    }
    StreamNegotiator.listen(stream, protocol -> {
      ProtocolHandler h = protocols.get(protocol);
      return h == null ? null : new DeferredHandler(h, conn, stream);
    }, () -> List.copyOf(new java.util.TreeSet<>(protocols.keySet())),
        config.streamNegotiationTimeout());
  }

  /**
   * Opens a stream on {@code conn} and negotiates the first of {@code protocolIds} the peer
   * accepts; {@code handler} receives the stream's data after negotiation.
   */
  public CompletableFuture<MuxedStream> newStream(Connection conn, List<String> protocolIds,
      StreamHandler handler) {
    CompletableFuture<MuxedStream> result = new CompletableFuture<>();
    conn.eventLoop().execute(() -> {
      try {
        MuxedStream stream = conn.muxer().openStream(NEGOTIATING);
        io.netty.util.concurrent.ScheduledFuture<?> timeout = conn.eventLoop().schedule(() -> {
          if (!result.isDone()) {
            result.completeExceptionally(new DialException("protocol negotiation of " + protocolIds
                + " with " + conn.remotePeer() + " timed out"));
            stream.reset();
          }
        }, config.streamNegotiationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        StreamNegotiator.dial(stream, protocolIds, new StreamNegotiator.DialCallback() {
          @Override
          public StreamHandler onSelected(MuxedStream s, String protocol) {
            timeout.cancel(false);
            s.setProtocol(protocol);
            result.complete(s);
            return handler;
          }

          @Override
          public void onFailed(MuxedStream s, String reason) {
            timeout.cancel(false);
            result.completeExceptionally(new DialException(
                "no protocol of " + protocolIds + " agreed with " + conn.remotePeer() + ": " + reason));
          }
        });
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /**
   * Creates the protocol's handler only once negotiation has finished (the negotiator asks for a
   * handler while deciding whether it supports the protocol, before it writes its echo): on the
   * first data, or in a task queued behind the echo, whichever comes first. A responder that
   * writes at once (identify) therefore writes after the echo.
   */
  private static final class DeferredHandler implements StreamHandler {
    private final ProtocolHandler factory;
    private final Connection conn;
    private final MuxedStream stream;
    private StreamHandler real;
    private boolean creating;

    DeferredHandler(ProtocolHandler factory, Connection conn, MuxedStream stream) {
      this.factory = factory;
      this.conn = conn;
      this.stream = stream;
      stream.eventLoop().execute(this::real);
    }

    private StreamHandler real() {
      if (real == null) {
        if (creating) {
          return NEGOTIATING; // a callback fired by what the factory itself wrote
        }
        creating = true;
        StreamHandler h = factory.onInboundStream(conn, stream);
        real = h;
        stream.setHandler(h);
      }
      return real;
    }

    @Override
    public void onData(MuxedStream s, io.netty.buffer.ByteBuf data) {
      real().onData(s, data);
    }

    @Override
    public void onRemoteClose(MuxedStream s) {
      real().onRemoteClose(s);
    }

    @Override
    public void onReset(MuxedStream s) {
      real().onReset(s);
    }

    @Override
    public void onWritabilityChanged(MuxedStream s) {
      real().onWritabilityChanged(s);
    }
  }

  private static final StreamHandler NEGOTIATING = (stream, data) -> data.release();

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Channel ch : serverChannels) {
      ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    List<CompletableFuture<String>> closing = new ArrayList<>();
    for (Connection c : connections.values()) {
      closing.add(c.closeFuture());
      c.close("host shutting down");
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("connections did not all close within 2 s: {}", e.toString());
    }
    acceptGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    log.info("host {} stopped", peerId);
  }

  private record DialBackoff(int failures, long untilNanos) {}
}
