package dev.weft.net.pubsub;

import dev.weft.core.identity.PeerId;
import dev.weft.net.host.Connection;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostListener;
import dev.weft.net.host.IdentifyInfo;
import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import dev.weft.net.stream.LengthPrefixedReader;
import dev.weft.routing.block.BlockFrame;
import dev.weft.routing.block.BlockRelay;
import dev.weft.routing.measure.LinkTable;
import dev.weft.routing.measure.MeasureParams;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries a {@link BlockRelay}'s frames on the {@value BlockFrame#PROTOCOL_ID} stream. A peer
 * takes part once our outbound block stream to it is negotiated (js-libp2p and go-libp2p answer
 * {@code na} and keep getting whole messages over GossipSub). One outbound stream per peer,
 * written only; inbound streams are read only. Everything that touches the relay runs on the core
 * loop through {@code onLoop} (which also flushes afterwards).
 *
 * <p>The source sends chunks to its block peers cheapest link first: the cost is the link cost of
 * the tree router's measurements when tree routing is on, otherwise of this link's own libp2p
 * pings (every second per block peer, as tree routing does).
 */
final class BlockLink {
  private static final Logger log = LoggerFactory.getLogger(BlockLink.class);

  private final Host host;
  private final BlockRelay relay;
  private final int maxBlockSize;
  private final Consumer<Runnable> onLoop;
  private final Consumer<BlockRelay.Delivered> rebuilt;
  private final Map<PeerId, MuxedStream> out = new HashMap<>(); // core loop only
  private final Map<PeerId, Connection> conns = new HashMap<>(); // core loop only
  private final LinkTable<PeerId> links;
  private final ScheduledFuture<?> pinger;

  /** {@code treeLinks}: the tree router's measurements, or null to ping block peers here. */
  BlockLink(Host host, BlockRelay relay, int maxBlockSize, EventLoop loop,
      Consumer<Runnable> onLoop, Consumer<BlockRelay.Delivered> rebuilt,
      LinkTable<PeerId> treeLinks) {
    this.host = host;
    this.relay = relay;
    this.maxBlockSize = maxBlockSize;
    this.onLoop = onLoop;
    this.rebuilt = rebuilt;
    this.links = treeLinks != null ? treeLinks : new LinkTable<>(MeasureParams.defaults());
    relay.peerCost(peer -> links.costNs(peer, System.nanoTime()));
    this.pinger = treeLinks != null ? null
        : loop.scheduleAtFixedRate(this::pingAll, 1000, 1000, TimeUnit.MILLISECONDS);
    host.registerProtocol(BlockFrame.PROTOCOL_ID, (conn, stream) -> new Reader(conn));
    host.addListener(new HostListener() {
      @Override
      public void onIdentified(Connection c, IdentifyInfo info) {
        if (info.supports(BlockFrame.PROTOCOL_ID)) {
          open(c);
        }
      }

      @Override
      public void onDisconnected(Connection c, String reason) {
        onLoop.accept(() -> {
          if (conns.get(c.remotePeer()) == c) {
            conns.remove(c.remotePeer());
            out.remove(c.remotePeer());
            relay.peerGone(System.nanoTime(), c.remotePeer());
            if (pinger != null) {
              links.remove(c.remotePeer());
            }
          }
        });
      }
    });
  }

  private static final StreamHandler WRITE_ONLY = new StreamHandler() {
    @Override
    public void onData(MuxedStream stream, ByteBuf data) {
      data.release();
    }
  };

  private void open(Connection c) {
    host.newStream(c, List.of(BlockFrame.PROTOCOL_ID), WRITE_ONLY).whenComplete((s, err) -> {
      if (err != null) {
        log.debug("no block stream to {}: {}", c.remotePeer(), err.toString());
        return;
      }
      onLoop.accept(() -> {
        if (!c.isOpen()) {
          return;
        }
        out.put(c.remotePeer(), s);
        conns.put(c.remotePeer(), c);
        relay.peerCapable(c.remotePeer());
      });
    });
  }

  /** Writes the relay's queued frames and hands rebuilt blocks on. Core loop. */
  void flush() {
    for (BlockRelay.Outgoing o : relay.drainOutgoing()) {
      MuxedStream s = out.get(o.peer());
      Connection c = conns.get(o.peer());
      if (s == null || c == null) {
        continue;
      }
      byte[] bytes = o.frame().encode();
      s.eventLoop().execute(() -> s.writeAndFlush(
          LengthPrefixedReader.frame(c.channel().alloc(), bytes)));
    }
    for (BlockRelay.Delivered d : relay.drainDelivered()) {
      rebuilt.accept(d);
    }
  }

  BlockRelay relay() {
    return relay;
  }

  private void pingAll() {
    for (Map.Entry<PeerId, Connection> e : Map.copyOf(conns).entrySet()) {
      PeerId peer = e.getKey();
      host.ping(e.getValue()).whenComplete((rtt, err) -> {
        if (rtt != null) {
          long now = System.nanoTime();
          onLoop.accept(() -> links.recordRtt(peer, rtt.toNanos(), now));
        }
      });
    }
  }

  void close() {
    if (pinger != null) {
      pinger.cancel(false);
    }
  }

  /** Reads block frames from a peer's inbound block stream. */
  private final class Reader implements StreamHandler {
    private final Connection conn;
    private final LengthPrefixedReader reader;

    Reader(Connection conn) {
      this.conn = conn;
      // a chunk is at most the whole block (k = 1) plus its header
      this.reader = new LengthPrefixedReader(conn.channel().alloc(), maxBlockSize + 1024);
    }

    @Override
    public void onData(MuxedStream stream, ByteBuf data) {
      try {
        reader.feed(data, frame -> {
          try {
            BlockFrame f = BlockFrame.decode(ByteBufUtil.getBytes(frame), maxBlockSize);
            onLoop.accept(() -> relay.frameReceived(System.nanoTime(), conn.remotePeer(), f));
          } catch (IllegalArgumentException e) {
            throw new LengthPrefixedReader.FrameException(e.getMessage());
          } finally {
            frame.release();
          }
        });
      } catch (LengthPrefixedReader.FrameException e) {
        log.warn("block stream from {} reset: {}", conn.remotePeer(), e.getMessage());
        reader.release();
        stream.reset();
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
}
