package dev.weft.net.host;

import dev.weft.core.identity.PeerId;
import dev.weft.net.mplex.MplexConfig;
import dev.weft.net.mplex.MplexHandler;
import dev.weft.net.multistream.MultistreamHandler;
import dev.weft.net.multistream.ProtocolNegotiationFailed;
import dev.weft.net.multistream.ProtocolSelected;
import dev.weft.net.mux.StreamMuxer;
import dev.weft.net.noise.NoiseFailed;
import dev.weft.net.noise.NoiseHandshakeHandler;
import dev.weft.net.noise.NoiseSecured;
import dev.weft.net.yamux.YamuxConfig;
import dev.weft.net.yamux.YamuxHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one TCP connection from raw bytes to a multiplexed libp2p connection:
 * multistream-select {@code /noise} → Noise XX → (early muxer, or multistream-select of the
 * muxer) → yamux/mplex. It sits last in the pipeline and inserts each stage in front of itself
 * as the previous stage reports success through a user event. Any failure or the handshake
 * timeout closes this connection only, with the reason logged.
 */
final class UpgradeController extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(UpgradeController.class);
  static final String NOISE = "/noise";

  private enum Stage { SECURITY_NEGOTIATION, NOISE_HANDSHAKE, MUXER_NEGOTIATION, ESTABLISHED, FAILED }

  private final Host host;
  private final Direction direction;
  private final PeerId expectedPeer;
  private final CompletableFuture<Connection> promise;
  private Stage stage = Stage.SECURITY_NEGOTIATION;
  private NoiseSecured secured;
  private Connection connection;
  private ScheduledFuture<?> timeout;
  private boolean started;
  private dev.weft.net.emulation.LinkEmulator emulator;

  UpgradeController(Host host, Direction direction, PeerId expectedPeer,
      CompletableFuture<Connection> promise) {
    this.host = host;
    this.direction = direction;
    this.expectedPeer = expectedPeer;
    this.promise = promise;
  }

  void emulator(dev.weft.net.emulation.LinkEmulator em) {
    this.emulator = em;
  }

  /** The first handler of a fresh connection: multistream-select for the security protocol. */
  ChannelHandler securityNegotiator() {
    return direction == Direction.OUTBOUND
        ? MultistreamHandler.dialer(List.of(NOISE))
        : MultistreamHandler.listener(List.of(NOISE));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start(ctx);
    ctx.fireChannelActive();
  }

  private void start(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    long ms = host.config().handshakeTimeout().toMillis();
    timeout = ctx.executor().schedule(
        () -> fail(ctx, "handshake did not complete within " + ms + " ms (stage " + stage + ")"),
        ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ProtocolSelected selected) {
      onProtocolSelected(ctx, selected.protocol());
    } else if (evt instanceof NoiseSecured s) {
      onSecured(ctx, s);
    } else if (evt instanceof NoiseFailed f) {
      fail(ctx, "noise handshake failed: " + f.reason());
    } else if (evt instanceof ProtocolNegotiationFailed f) {
      fail(ctx, "multistream negotiation failed in stage " + stage + ": " + f.reason());
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  private void onProtocolSelected(ChannelHandlerContext ctx, String protocol) {
    switch (stage) {
      case SECURITY_NEGOTIATION -> {
        if (!NOISE.equals(protocol)) {
          fail(ctx, "unexpected security protocol " + protocol);
          return;
        }
        stage = Stage.NOISE_HANDSHAKE;
        ctx.pipeline().addBefore(ctx.name(), "noise", new NoiseHandshakeHandler(
            host.config().identity(), direction == Direction.OUTBOUND, expectedPeer,
            host.config().muxers()));
      }
      case MUXER_NEGOTIATION -> installMuxer(ctx, protocol);
      default -> fail(ctx, "protocol " + protocol + " selected in unexpected stage " + stage);
    }
  }

  private void onSecured(ChannelHandlerContext ctx, NoiseSecured s) {
    if (stage != Stage.NOISE_HANDSHAKE) {
      fail(ctx, "noise completed in unexpected stage " + stage);
      return;
    }
    secured = s;
    if (emulator != null) {
      host.config().emulation().rebind(emulator, host.peerId().toBase58(), s.remotePeer().toBase58());
    }
    String refusal = host.config().gater().refuseSecured(s.remotePeer(), direction);
    if (refusal != null) {
      fail(ctx, "peer " + s.remotePeer() + " refused: " + refusal);
      return;
    }
    String early = s.earlyMuxerOrNull();
    if (early != null && host.config().muxers().contains(early)) {
      installMuxer(ctx, early);
      return;
    }
    stage = Stage.MUXER_NEGOTIATION;
    List<String> muxers = host.config().muxers();
    ctx.pipeline().addBefore(ctx.name(), "muxer-select", direction == Direction.OUTBOUND
        ? MultistreamHandler.dialer(muxers)
        : MultistreamHandler.listener(muxers));
  }

  private void installMuxer(ChannelHandlerContext ctx, String muxerId) {
    connection = new Connection(ctx.channel(), secured.remotePeer(), secured.remoteKey(),
        direction, Addrs.toMultiaddr(ctx.channel().remoteAddress()), System.nanoTime());
    Connection conn = connection;
    StreamMuxer.InboundStreamListener listener = stream -> host.onInboundStream(conn, stream);
    boolean client = direction == Direction.OUTBOUND;
    ChannelHandler muxer;
    if (HostConfig.YAMUX.equals(muxerId)) {
      YamuxConfig yc = YamuxConfig.defaults().withKeepAliveInterval(host.config().yamuxKeepAlive());
      muxer = new YamuxHandler(client, listener, yc);
    } else if (HostConfig.MPLEX.equals(muxerId)) {
      muxer = new MplexHandler(listener, MplexConfig.defaults());
    } else {
      fail(ctx, "unsupported muxer " + muxerId);
      return;
    }
    ctx.pipeline().addBefore(ctx.name(), "muxer", muxer);
    conn.muxer((StreamMuxer) muxer);
    stage = Stage.ESTABLISHED;
    if (timeout != null) {
      timeout.cancel(false);
    }
    host.onEstablished(conn, muxerId, promise);
  }

  private void fail(ChannelHandlerContext ctx, String reason) {
    if (stage == Stage.ESTABLISHED || stage == Stage.FAILED) {
      return;
    }
    stage = Stage.FAILED;
    if (timeout != null) {
      timeout.cancel(false);
    }
    log.warn("{} connection {} closed: {}", direction.name().toLowerCase(),
        ctx.channel().remoteAddress(), reason);
    host.onUpgradeFailed(expectedPeer, direction, reason, promise);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (stage == Stage.ESTABLISHED) {
      host.onClosed(connection);
    } else {
      fail(ctx, "connection closed by the remote during " + stage);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (stage == Stage.ESTABLISHED) {
      log.warn("connection {} failed: {}", connection, cause.toString());
      connection.close("error: " + cause.getMessage());
    } else {
      fail(ctx, "error: " + cause);
    }
  }
}
