package dev.weft.net.pubsub;

import dev.weft.core.events.MalformedReason;
import dev.weft.core.events.OverlayEvents;
import dev.weft.core.gossip.GossipParams;
import dev.weft.core.gossip.GossipRouter;
import dev.weft.core.gossip.PeerScoreThresholds;
import dev.weft.core.gossip.PeerScorer;
import dev.weft.core.gossip.RouteSelector;
import dev.weft.core.gossip.ValidationResult;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.core.node.Effect;
import dev.weft.core.node.NodeCore;
import dev.weft.core.node.Outbox;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import dev.weft.net.crypto.PeerRecord;
import dev.weft.net.host.Connection;
import dev.weft.net.host.Direction;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostListener;
import dev.weft.net.host.IdentifyInfo;
import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import dev.weft.net.stream.LengthPrefixedReader;
import dev.weft.routing.block.BlockRelay;
import dev.weft.routing.block.BlockRouteSelector;
import dev.weft.routing.tree.TreeControl;
import dev.weft.routing.tree.TreeRouter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GossipSub node driver: pins one {@link NodeCore} to its own event loop and connects it to
 * the host's streams. Frames are decoded and signatures verified on each connection's event loop;
 * the decoded RPC then hops onto the core's loop as an input, and the effects the core writes to
 * its outbox are carried out (written to the peer's outbound pubsub stream, dialled, delivered to
 * listeners, validated on a worker pool).
 *
 * <p>Streams follow the pubsub spec: each side opens one outbound stream per peer and only writes
 * to it; we read only from the stream the peer opened. We open ours when identify shows a pubsub
 * protocol or when the peer opens one to us (as js does).
 */
public final class PubSub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PubSub.class);

  /** Offered in this order; the first the peer accepts wins. */
  public static final List<String> PROTOCOLS =
      List.of("/meshsub/1.2.0", "/meshsub/1.1.0", "/meshsub/1.0.0", "/floodsub/1.0.0");
  private static final int MAX_CONCURRENT_PX_DIALS = 8;
  /** RPCs kept per peer while our outbound stream to it is being opened. */
  private static final int MAX_EARLY_RPCS = 64;
  /** Attempts to open our pubsub stream to a connected peer (0.5 s, 1 s, 2 s, ... apart). */
  private static final int MAX_STREAM_OPENS = 5;

  /** A message delivered to the application. */
  public record Delivery(String topic, MessageId id, PubMessage message, PeerId receivedFrom,
      long receivedAtNanos) {}

  /** Application message listener; called on the core's event loop, so keep it short. */
  @FunctionalInterface
  public interface MessageListener {
    void onMessage(Delivery delivery);
  }

  /** Application validator for one topic; runs on a worker thread. */
  @FunctionalInterface
  public interface TopicValidator {
    ValidationResult validate(PubMessage message, PeerId receivedFrom);
  }

  /** Driver settings around the core's own parameters. */
  public record Config(GossipParams params, PeerScoreThresholds thresholds, PeerScorer scorer,
      OverlayEvents events, RpcCodec.Limits limits) {
    public static Config defaults() {
      return new Config(GossipParams.specDefaults(), PeerScoreThresholds.neutral(),
          PeerScorer.NEUTRAL, OverlayEvents.NONE, RpcCodec.Limits.defaults());
    }

    public Config withParams(GossipParams p) {
      return new Config(p, thresholds, scorer, events, limits);
    }
  }

  private final Host host;
  private final Config config;
  private final EventLoop loop;
  private final NodeCore core;
  private final PreverifyingVerifier verifier = new PreverifyingVerifier();
  private final Outbox outbox = new Outbox();
  private final Map<PeerId, PeerState> peers = new HashMap<>();
  private final List<MessageListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, TopicValidator> validators = new ConcurrentHashMap<>();
  private final ExecutorService validationPool;
  private final AtomicInteger pxDials = new AtomicInteger();
  private final AtomicLong malformedFrames = new AtomicLong();
  private final AtomicLong droppedSends = new AtomicLong();
  private volatile InboundGuard guard = InboundGuard.ALLOW_ALL;
  private final PeerSendQueue.Stats sendStats = new PeerSendQueue.Stats();
  private volatile RpcObserver rpcObserver = RpcObserver.NONE;
  private ScheduledFuture<?> timer;
  private final TreeLink treeLink;
  /** Chunked blocks (null when off). */
  private final BlockLink blockLink;
  private final BlockOptions blocks;
  private long timerDeadlineNs;
  private volatile boolean closed;

  /** Per-peer stream state; touched only on the core loop. */
  private static final class PeerState {
    final Connection conn;
    MuxedStream out;
    PeerSendQueue queue;
    boolean opening;
    int failedOpens;
    /** RPCs that arrived before our stream was open (the router does not know the peer yet). */
    final java.util.ArrayDeque<Runnable> early = new java.util.ArrayDeque<>();

    PeerState(Connection conn) {
      this.conn = conn;
    }
  }

  public PubSub(Host host, Config config) {
    this(host, config, null, null);
  }

  /**
   * A driver whose core forwards along {@code tree}'s adaptive spanning trees with peers that
   * negotiate {@value TreeControl#PROTOCOL_ID} (plain GossipSub with all others); null: plain.
   */
  public PubSub(Host host, Config config, TreeRouter tree) {
    this(host, config, tree, null);
  }

  /**
   * As {@link #PubSub(Host, Config, TreeRouter)}, with a core that uses {@code messageIdFn} (null:
   * the policy's default), e.g. a {@code FeedMessageIdFn} on networks carrying sequenced feeds.
   */
  public PubSub(Host host, Config config, TreeRouter tree, dev.weft.core.wire.MessageIdFn messageIdFn) {
    this(host, config, tree, messageIdFn, null);
  }

  /**
   * As {@link #PubSub(Host, Config, TreeRouter, dev.weft.core.wire.MessageIdFn)}, with chunked
   * erasure-coded blocks on {@code blocks}' topics between peers that negotiate
   * {@value dev.weft.routing.block.BlockFrame#PROTOCOL_ID} (null: off). See docs/blocks.md.
   */
  public PubSub(Host host, Config config, TreeRouter tree, dev.weft.core.wire.MessageIdFn messageIdFn,
      BlockOptions blocks) {
    this.host = host;
    this.blocks = blocks;
    BlockRelay relay = blocks == null ? null
        : new BlockRelay(blocks.relay(), BlockRelay.REED_SOLOMON, this::isGenuineBlock);
    RouteSelector base = tree != null ? tree : RouteSelector.FLOOD;
    RouteSelector selector = relay == null ? base : new BlockRouteSelector(base, relay::isCapable,
        blocks.topics()::contains, blocks.minBlockBytes(), blocks.fallbackIWant().toNanos());
    this.config = config;
    this.loop = new DefaultEventLoop(new DefaultThreadFactory("weft-core", true));
    this.validationPool = Executors.newFixedThreadPool(2, new DefaultThreadFactory("weft-validate", true));
    this.core = NodeCore.builder()
        .self(host.peerId())
        .params(config.params())
        .thresholds(config.thresholds())
        .scorer(config.scorer())
        .events(relay != null && tree != null ? OverlayEvents.compose(config.events(), tree)
            : config.events())
        .signer(new KeyMessageSigner(host.config().identity()))
        .verifier(verifier)
        .random(new SplittableRandom(new SecureRandom().nextLong()))
        .initialSeqno(System.currentTimeMillis() * 1_000_000L)
        .startNs(System.nanoTime())
        .routeSelector(selector)
        .messageIdFn(messageIdFn)
        .build();
    this.treeLink = tree == null ? null : new TreeLink(host, tree, loop, this::runOnLoop);
    this.blockLink = relay == null ? null : new BlockLink(host, relay, blocks.relay().maxBlockSize(),
        loop, task -> runOnLoop(() -> {
          task.run();
          afterInput();
        }), this::rebuiltBlock, tree == null ? null : tree.links());
    for (String protocol : PROTOCOLS) {
      host.registerProtocol(protocol, this::onInboundStream);
    }
    host.addListener(new HostListener() {
      @Override
      public void onIdentified(Connection c, IdentifyInfo info) {
        if (PROTOCOLS.stream().anyMatch(info::supports)) {
          runOnLoop(() -> ensureOutbound(c));
        }
        runOnLoop(() -> passPeerRecord(c)); // identify push may bring a newer record
      }

      @Override
      public void onDisconnected(Connection c, String reason) {
        runOnLoop(() -> onPeerGone(c));
      }
    });
    loop.execute(this::rescheduleTimer);
  }

  public PeerId peerId() {
    return host.peerId();
  }

  public Host host() {
    return host;
  }

  public void addListener(MessageListener l) {
    listeners.add(l);
  }

  public CompletableFuture<Void> subscribe(String topic) {
    return onLoop(() -> {
      core.subscribe(System.nanoTime(), topic, outbox);
      return null;
    });
  }

  public CompletableFuture<Void> unsubscribe(String topic) {
    return onLoop(() -> {
      core.unsubscribe(System.nanoTime(), topic, outbox);
      return null;
    });
  }

  public CompletableFuture<GossipRouter.PublishResult> publish(String topic, byte[] data) {
    byte[] copy = data.clone();
    return onLoop(() -> {
      long now = System.nanoTime();
      GossipRouter.PublishResult r = core.publish(now, topic, copy, outbox);
      if (r.status() == GossipRouter.PublishStatus.PUBLISHED && isBlock(topic, copy.length)) {
        // GossipSub sent it whole to peers without the block protocol; chunks go to the others
        PubMessage m = core.router().cachedMessage(r.id());
        byte[] block = m == null ? null : dev.weft.core.wire.GossipProto.encode(Rpc.ofMessages(List.of(m)));
        if (block != null && block.length <= blocks.relay().maxBlockSize()) {
          blockLink.relay().publish(now, r.id().toBytes(), block);
        }
      }
      return r;
    });
  }

  /** Chunked-block counters (null when blocks are off). */
  public CompletableFuture<BlockRelay.Stats> blockStats() {
    return onLoop(() -> blockLink == null ? null : blockLink.relay().stats());
  }

  /** Whether {@code peer} negotiated the block protocol with us. */
  public CompletableFuture<Boolean> blockCapable(PeerId peer) {
    return onLoop(() -> blockLink != null && blockLink.relay().isCapable(peer));
  }

  private boolean isBlock(String topic, int bytes) {
    return blockLink != null && bytes >= blocks.minBlockBytes() && blocks.topics().contains(topic);
  }

  /** A rebuilt block is the RPC encoding of one message whose ID is the block ID. Core loop. */
  private boolean isGenuineBlock(byte[] blockId, byte[] block) {
    try {
      Rpc rpc = RpcCodec.decode(block, config.limits());
      boolean ok = rpc.messages().size() == 1
          && java.util.Arrays.equals(blockId, core.router().messageId(rpc.messages().get(0)).toBytes());
      lastBlock = ok ? block : null;
      lastBlockRpc = ok ? rpc : null;
      return ok;
    } catch (RpcCodec.DecodeException e) {
      return false;
    }
  }

  /** The block {@link #isGenuineBlock} last accepted and its decoding (decode 1 MiB once). */
  private byte[] lastBlock;
  private Rpc lastBlockRpc;

  /**
   * The relay rebuilt a block: it enters the core as if the last chunk's sender had sent the
   * whole message (signature check, delivery, forwarding to peers without the block protocol).
   */
  private void rebuiltBlock(BlockRelay.Delivered d) {
    Rpc rpc = d.block() == lastBlock ? lastBlockRpc : null;
    lastBlock = null;
    lastBlockRpc = null;
    if (rpc == null) {
      try {
        rpc = RpcCodec.decode(d.block(), config.limits());
      } catch (RpcCodec.DecodeException e) {
        return; // the relay verified it; cannot happen
      }
    }
    PeerState ps = peers.get(d.lastFrom());
    if (ps == null || ps.out == null) {
      return; // the router does not know the peer: the GossipSub fallback will bring it
    }
    verifier.use(verifier.preverify(rpc.messages()));
    try {
      core.rpcReceived(System.nanoTime(), d.lastFrom(), rpc, outbox);
    } finally {
      verifier.use(Map.of());
    }
  }

  /** Installs (or with null removes) the application validator of {@code topic}. */
  public CompletableFuture<Void> setValidator(String topic, TopicValidator validator) {
    if (validator == null) {
      validators.remove(topic);
    } else {
      validators.put(topic, validator);
    }
    return onLoop(() -> {
      core.router().setValidationRequired(topic, validator != null);
      return null;
    });
  }

  public CompletableFuture<List<PeerId>> meshPeers(String topic) {
    return onLoop(() -> core.router().meshPeers(topic));
  }

  public CompletableFuture<List<PeerId>> topicPeers(String topic) {
    return onLoop(() -> core.router().topicPeers(topic));
  }

  /** Tree routing counters (zeros when tree routing is off). */
  public CompletableFuture<TreeRouter.Stats> treeStats() {
    return onLoop(() -> treeLink == null ? new TreeRouter.Stats(0, 0, 0, 0, 0, 0)
        : treeLink.router().stats());
  }

  /** Whether {@code peer} negotiated tree control with us. */
  public CompletableFuture<Boolean> treeCapable(PeerId peer) {
    return onLoop(() -> treeLink != null && treeLink.router().isCapable(peer));
  }

  public CompletableFuture<List<PeerId>> pubsubPeers() {
    return onLoop(() -> core.router().connectedPeers());
  }

  /** Installs the screen every inbound RPC frame passes before decoding (null: allow all). */
  public void setInboundGuard(InboundGuard g) {
    guard = g == null ? InboundGuard.ALLOW_ALL : g;
  }

  /**
   * Every RPC read from or written to a peer's pubsub stream, with its encoded size (metrics).
   * Both directions are reported on the connection's event loop (outbound: as each part is
   * encoded for sending).
   */
  @FunctionalInterface
  public interface RpcObserver {
    RpcObserver NONE = (peer, inbound, bytes, rpc) -> {};

    void onRpc(PeerId peer, boolean inbound, int bytes, Rpc rpc);
  }

  public void setRpcObserver(RpcObserver observer) {
    rpcObserver = observer == null ? RpcObserver.NONE : observer;
  }

  /**
   * Runs {@code query} on the core loop with the router (read-only use: mesh, subscriptions,
   * backlog) and completes with its result; the admin API and metrics read state through this.
   */
  public <T> CompletableFuture<T> inspect(java.util.function.Function<GossipRouter, T> query) {
    return onLoop(() -> query.apply(core.router()));
  }

  /** Inputs queued for the core loop (a queue-depth gauge). */
  public int coreQueueDepth() {
    return ((io.netty.channel.SingleThreadEventLoop) loop).pendingTasks();
  }

  /** Frames refused by the codec since start (each also reset its stream). */
  public long malformedFrames() {
    return malformedFrames.get();
  }

  /** RPCs the core asked to send to a peer whose stream was not (yet or any more) open. */
  public long droppedSends() {
    return droppedSends.get();
  }

  /**
   * Asks up to {@code maxPeers} mesh peers of {@code topic} for messages by ID (feed gap recovery);
   * completes with the number of peers asked.
   */
  public CompletableFuture<Integer> requestMessages(String topic, List<MessageId> ids,
      int maxPeers) {
    List<MessageId> copy = List.copyOf(ids);
    return onLoop(() -> core.requestMessages(System.nanoTime(), topic, copy, maxPeers, outbox));
  }

  /** Outbound drops by reason (priority shedding, full queues, peers gone), since start. */
  public Map<dev.weft.core.feed.DropReason, Long> sendDrops() {
    return sendStats.drops();
  }

  /** Peers currently flagged slow by their send queue. */
  public java.util.Set<PeerId> slowPeers() {
    return sendStats.slowPeers();
  }

  private <T> CompletableFuture<T> onLoop(java.util.function.Supplier<T> action) {
    CompletableFuture<T> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(new IllegalStateException("pubsub is closed"));
      return f;
    }
    loop.execute(() -> {
      try {
        T r = action.get();
        afterInput();
        f.complete(r);
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  // ---- streams -------------------------------------------------------------------------------

  /** Queues {@code task} on the core loop unless the driver is closed. */
  private void runOnLoop(Runnable task) {
    if (closed) {
      return;
    }
    try {
      loop.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing: the core no longer takes inputs
    }
  }

  private StreamHandler onInboundStream(Connection conn, MuxedStream stream) {
    runOnLoop(() -> ensureOutbound(conn));
    return new InboundReader(conn);
  }

  /** Reads length-prefixed RPCs from the peer's stream, on the connection's event loop. */
  private final class InboundReader implements StreamHandler {
    private final Connection conn;
    private final LengthPrefixedReader reader;

    InboundReader(Connection conn) {
      this.conn = conn;
      this.reader = new LengthPrefixedReader(conn.channel().alloc(), config.params().maxFrameSize());
    }

    /** Why the last frame was refused; the reader's own failures are oversize prefixes. */
    private MalformedReason refusal = MalformedReason.OVERSIZE;

    @Override
    public void onData(MuxedStream stream, ByteBuf data) {
      try {
        reader.feed(data, frame -> {
          try {
            if (!frame.isReadable()) {
              return; // go skips empty frames
            }
            int size = frame.readableBytes();
            if (!guard.allowRpc(conn.remotePeer(), size)) {
              return;
            }
            Rpc rpc = RpcCodec.decode(ByteBufUtil.getBytes(frame), config.limits());
            rpcObserver.onRpc(conn.remotePeer(), true, size, rpc);
            var verified = verifier.preverify(rpc.messages());
            runOnLoop(() -> {
              Runnable deliver = () -> {
                verifier.use(verified);
                try {
                  core.rpcReceived(System.nanoTime(), conn.remotePeer(), rpc, outbox);
                } finally {
                  verifier.use(Map.of());
                }
              };
              PeerState ps = peers.get(conn.remotePeer());
              if (ps != null && ps.conn == conn && ps.out == null) {
                // the peer's hello (subscriptions) often beats our own stream: keep it for later
                if (ps.early.size() < MAX_EARLY_RPCS) {
                  ps.early.add(deliver);
                }
                return;
              }
              deliver.run();
              afterInput();
            });
          } catch (RpcCodec.DecodeException e) {
            refusal = e.limitExceeded() ? MalformedReason.LIMIT_EXCEEDED : MalformedReason.UNDECODABLE;
            throw new LengthPrefixedReader.FrameException(e.getMessage());
          } finally {
            frame.release();
          }
        });
      } catch (LengthPrefixedReader.FrameException e) {
        malformedFrames.incrementAndGet();
        log.warn("pubsub stream from {} reset: {}", conn.remotePeer(), e.getMessage());
        reader.release();
        stream.reset();
        MalformedReason reason = refusal;
        long now = System.nanoTime();
        runOnLoop(() -> {
          core.rpcMalformed(now, conn.remotePeer(), reason, outbox);
          afterInput();
        });
      }
    }

    @Override
    public void onRemoteClose(MuxedStream stream) {
      reader.release();
    }

    @Override
    public void onReset(MuxedStream stream) {
      reader.release();
    }
  }

  private static final StreamHandler WRITE_ONLY = new StreamHandler() {
    @Override
    public void onData(MuxedStream stream, ByteBuf data) {
      data.release(); // nothing is expected on our outbound stream
    }
  };

  /** Opens our outbound pubsub stream to the peer of {@code conn} unless it exists. Core loop. */
  private void ensureOutbound(Connection conn) {
    if (closed || !conn.isOpen()) {
      return;
    }
    PeerId peer = conn.remotePeer();
    PeerState ps = peers.get(peer);
    if (ps != null && ps.conn != conn && !ps.conn.isOpen()) {
      peers.remove(peer);
      ps = null;
    }
    if (ps == null) {
      ps = new PeerState(conn);
      peers.put(peer, ps);
    }
    if (ps.out != null || ps.opening) {
      return;
    }
    ps.opening = true;
    PeerState state = ps;
    host.newStream(conn, PROTOCOLS, WRITE_ONLY).whenComplete((stream, err) -> runOnLoop(() -> {
      state.opening = false;
      if (peers.get(peer) != state) {
        if (stream != null) {
          stream.eventLoop().execute(stream::reset);
        }
        return;
      }
      if (err != null) {
        // Without our stream the router never learns of the peer: the link would be one-way and
        // look like a black hole to the other side. Retry while the connection lives.
        if (++state.failedOpens < MAX_STREAM_OPENS && conn.isOpen() && !closed) {
          long delayMs = 500L << (state.failedOpens - 1);
          log.debug("no pubsub stream to {} ({}); retrying in {} ms", peer, err, delayMs);
          loop.schedule(() -> ensureOutbound(conn), delayMs, TimeUnit.MILLISECONDS);
        } else {
          log.warn("no pubsub stream to {} after {} attempts: {}", peer, state.failedOpens, err.toString());
        }
        return;
      }
      state.out = stream;
      state.queue = new PeerSendQueue(peer, stream, conn.channel().alloc(), host.peerId(),
          PeerSendQueue.Limits.defaults(), sendStats,
          (p, in, n, r) -> rpcObserver.onRpc(p, in, n, r));
      stream.eventLoop().execute(() -> stream.setHandler(state.queue));
      core.peerConnected(System.nanoTime(), peer, stream.protocol(),
          conn.direction() == Direction.OUTBOUND, outbox);
      for (Runnable r; (r = state.early.poll()) != null; ) {
        r.run();
      }
      passPeerRecord(conn);
      afterInput();
    }));
  }

  /** Hands the peer's signed peer record (from identify) to the router for PX. Core loop. */
  private void passPeerRecord(Connection conn) {
    IdentifyInfo info = conn.identify();
    PeerState ps = peers.get(conn.remotePeer());
    if (info == null || ps == null || ps.conn != conn || ps.out == null) {
      return;
    }
    info.signedPeerRecord().ifPresent(r -> core.signedPeerRecordUpdated(conn.remotePeer(), r));
  }

  private void onPeerGone(Connection conn) {
    PeerId peer = conn.remotePeer();
    PeerState ps = peers.get(peer);
    if (ps == null || ps.conn != conn) {
      return;
    }
    peers.remove(peer);
    if (ps.queue != null) {
      ps.queue.close();
    }
    if (ps.out != null) {
      core.peerDisconnected(System.nanoTime(), peer, outbox);
      afterInput();
    }
    // another open connection to the same peer (simultaneous dial) takes over
    host.connection(peer).ifPresent(c -> {
      if (c != conn && c.identify() != null) {
        ensureOutbound(c);
      }
    });
  }

  // ---- effects -------------------------------------------------------------------------------

  /** Runs the outbox and re-arms the heartbeat timer. Core loop only. */
  private void afterInput() {
    do {
      runEffects();
      if (treeLink != null) {
        treeLink.flush();
      }
      if (blockLink != null) {
        blockLink.flush(); // a rebuilt block enters the core and makes new effects
      }
    } while (!outbox.isEmpty());
    rescheduleTimer();
  }

  private void runEffects() {
    for (Effect e : outbox.drain()) {
      if (e instanceof Effect.SendRpc s) {
        send(s.peer(), s.rpc());
      } else if (e instanceof Effect.Deliver d) {
        Delivery delivery = new Delivery(d.topic(), d.id(), d.message(), d.receivedFrom(), System.nanoTime());
        if (isBlock(d.topic(), d.message().dataLength()) && !blockLink.relay().complete(d.id().toBytes())) {
          // the whole block came over GossipSub: stop pulling its chunks, serve them instead
          blockLink.relay().offer(System.nanoTime(), d.id().toBytes(),
              dev.weft.core.wire.GossipProto.encode(Rpc.ofMessages(List.of(d.message()))));
        }
        for (MessageListener l : listeners) {
          try {
            l.onMessage(delivery);
          } catch (RuntimeException ex) {
            log.warn("message listener failed: {}", ex.toString());
          }
        }
      } else if (e instanceof Effect.ValidateRequest v) {
        validate(v);
      } else if (e instanceof Effect.Dial d) {
        dialFromPx(d);
      } else if (e instanceof Effect.Disconnect d) {
        host.connection(d.peer()).ifPresent(c -> c.close(d.reason()));
      }
    }
  }

  private void send(PeerId peer, Rpc rpc) {
    PeerState ps = peers.get(peer);
    if (ps == null || ps.out == null) {
      droppedSends.incrementAndGet();
      return;
    }
    ps.queue.send(rpc);
  }

  private void validate(Effect.ValidateRequest v) {
    TopicValidator validator = validators.get(v.message().topic());
    if (validator == null) {
      core.validationCompleted(System.nanoTime(), v.id(), ValidationResult.ACCEPT, outbox);
      return;
    }
    validationPool.execute(() -> {
      ValidationResult r;
      try {
        r = validator.validate(v.message(), v.receivedFrom());
      } catch (RuntimeException ex) {
        log.warn("validator for {} threw; treating the message as IGNORE: {}", v.message().topic(), ex.toString());
        r = ValidationResult.IGNORE;
      }
      ValidationResult result = r;
      runOnLoop(() -> {
        core.validationCompleted(System.nanoTime(), v.id(), result, outbox);
        afterInput();
      });
    });
  }

  private void dialFromPx(Effect.Dial d) {
    if (d.signedPeerRecord() == null || host.connection(d.peer()).isPresent()) {
      return; // no address book yet: peer IDs without a record cannot be dialled
    }
    PeerRecord record;
    try {
      record = PeerRecord.fromEnvelope(d.signedPeerRecord());
    } catch (IllegalArgumentException e) {
      log.debug("ignoring PX record for {}: {}", d.peer(), e.getMessage());
      return;
    }
    if (!record.peerId().equals(d.peer()) || record.addresses().isEmpty()) {
      return;
    }
    if (pxDials.incrementAndGet() > MAX_CONCURRENT_PX_DIALS) {
      pxDials.decrementAndGet();
      return;
    }
    Multiaddr addr = record.addresses().get(0).withPeerId(d.peer());
    host.dial(addr).whenComplete((c, err) -> pxDials.decrementAndGet());
  }

  private void rescheduleTimer() {
    if (closed) {
      return;
    }
    long deadline = core.nextDeadlineNs();
    if (blockLink != null) {
      deadline = Math.min(deadline, blockLink.relay().nextDeadlineNs());
    }
    if (timer != null && !timer.isDone() && deadline - timerDeadlineNs >= 0) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    timerDeadlineNs = deadline;
    long delay = Math.max(0, deadline - System.nanoTime());
    timer = loop.schedule(() -> {
      timer = null;
      long now = System.nanoTime();
      core.tick(now, outbox);
      if (blockLink != null) {
        blockLink.relay().tick(now);
      }
      afterInput();
    }, delay, TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    loop.execute(() -> {
      if (timer != null) {
        timer.cancel(false);
      }
      if (treeLink != null) {
        treeLink.close();
      }
      if (blockLink != null) {
        blockLink.close();
      }
    });
    validationPool.shutdownNow();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
  }
}
