package dev.weft.net.pubsub;

import dev.weft.core.identity.PeerId;
import dev.weft.net.host.Connection;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostListener;
import dev.weft.net.host.IdentifyInfo;
import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import dev.weft.net.stream.LengthPrefixedReader;
import dev.weft.routing.tree.TreeControl;
import dev.weft.routing.tree.TreeRouter;
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
 * Carries a {@link TreeRouter}'s control messages on the {@value TreeControl#PROTOCOL_ID} stream
 * and feeds it ping RTTs. A peer takes part in trees once our outbound tree stream to it is
 * negotiated (so peers without the protocol, such as js-libp2p, never do). One outbound stream per
 * peer, written only; inbound streams are read only, as for pubsub. Everything that touches the
 * router runs on the core loop through {@code onLoop}.
 */
final class TreeLink {
  private static final Logger log = LoggerFactory.getLogger(TreeLink.class);
  private static final long PING_INTERVAL_MS = 1000;

  private final Host host;
  private final TreeRouter router;
  private final Consumer<Runnable> onLoop;
  private final Map<PeerId, MuxedStream> out = new HashMap<>(); // core loop only
  private final Map<PeerId, Connection> conns = new HashMap<>(); // core loop only
  private final ScheduledFuture<?> pinger;

  TreeLink(Host host, TreeRouter router, EventLoop loop, Consumer<Runnable> onLoop) {
    this.host = host;
    this.router = router;
    this.onLoop = onLoop;
    host.registerProtocol(TreeControl.PROTOCOL_ID, (conn, stream) -> new Reader(conn));
    host.addListener(new HostListener() {
      @Override
      public void onIdentified(Connection c, IdentifyInfo info) {
        if (info.supports(TreeControl.PROTOCOL_ID)) {
          open(c);
        }
      }

      @Override
      public void onDisconnected(Connection c, String reason) {
        onLoop.accept(() -> {
          if (conns.get(c.remotePeer()) == c) {
            conns.remove(c.remotePeer());
            out.remove(c.remotePeer());
          }
        });
      }
    });
    this.pinger = loop.scheduleAtFixedRate(this::pingAll, PING_INTERVAL_MS, PING_INTERVAL_MS,
        TimeUnit.MILLISECONDS);
  }

  private static final StreamHandler WRITE_ONLY = new StreamHandler() {
    @Override
    public void onData(MuxedStream stream, ByteBuf data) {
      data.release();
    }
  };

  private void open(Connection c) {
    host.newStream(c, List.of(TreeControl.PROTOCOL_ID), WRITE_ONLY).whenComplete((s, err) -> {
      if (err != null) {
        log.debug("no tree stream to {}: {}", c.remotePeer(), err.toString());
        return;
      }
      onLoop.accept(() -> {
        if (!c.isOpen()) {
          return;
        }
        out.put(c.remotePeer(), s);
        conns.put(c.remotePeer(), c);
        router.peerCapable(c.remotePeer());
      });
    });
  }

  /** Writes the router's queued controls. Core loop. */
  void flush() {
    for (TreeRouter.Outgoing o : router.drainControl()) {
      MuxedStream s = out.get(o.peer());
      Connection c = conns.get(o.peer());
      if (s == null || c == null) {
        continue;
      }
      byte[] bytes = o.control().encode();
      s.eventLoop().execute(() -> s.writeAndFlush(
          LengthPrefixedReader.frame(c.channel().alloc(), bytes)));
    }
  }

  private void pingAll() {
    for (Map.Entry<PeerId, Connection> e : Map.copyOf(conns).entrySet()) {
      PeerId peer = e.getKey();
      host.ping(e.getValue()).whenComplete((rtt, err) -> {
        if (rtt != null) {
          long now = System.nanoTime();
          onLoop.accept(() -> router.recordRtt(peer, rtt.toNanos(), now));
        }
      });
    }
  }

  TreeRouter router() {
    return router;
  }

  void close() {
    pinger.cancel(false);
  }

  /** Reads tree control frames from a peer's inbound tree stream. */
  private final class Reader implements StreamHandler {
    private final Connection conn;
    private final LengthPrefixedReader reader;

    Reader(Connection conn) {
      this.conn = conn;
      this.reader = new LengthPrefixedReader(conn.channel().alloc(), TreeControl.MAX_FRAME_BYTES);
    }

    @Override
    public void onData(MuxedStream stream, ByteBuf data) {
      try {
        reader.feed(data, frame -> {
          try {
            TreeControl c = TreeControl.decode(ByteBufUtil.getBytes(frame));
            long now = System.nanoTime();
            onLoop.accept(() -> router.controlReceived(now, conn.remotePeer(), c));
          } catch (IllegalArgumentException e) {
            throw new LengthPrefixedReader.FrameException(e.getMessage());
          } finally {
            frame.release();
          }
        });
      } catch (LengthPrefixedReader.FrameException e) {
        log.warn("tree stream from {} reset: {}", conn.remotePeer(), e.getMessage());
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
