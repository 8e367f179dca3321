package dev.weft.net.noise;

import dev.weft.core.identity.PeerId;
import dev.weft.net.crypto.PrivKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the libp2p Noise XX handshake on a channel, framing each message as
 * {@code uint16 BE length || message}. The initiator sends message 1 as soon as the handler is added
 * to an active channel (the host adds it after multistream agreed on {@code /noise}) or when the
 * channel becomes active.
 *
 * <p>On success it installs a {@link NoiseTransportCodec} in its place, fires {@link NoiseSecured},
 * then hands any bytes that arrived behind the last handshake message to the codec. On failure
 * (bad length, decryption failure, bad signature, unexpected peer, no common muxer, early close,
 * timeout — {@link #DEFAULT_TIMEOUT} unless given)
 * it logs the reason, fires {@link NoiseFailed} and closes the channel. Every frame length is
 * checked against the bound for the expected message before anything is allocated for it.
 */
public final class NoiseHandshakeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(NoiseHandshakeHandler.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Default bound on the whole handshake. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final NoiseSession session;
  private final Duration timeout;
  private ByteBuf cumulation;
  private boolean started;
  private boolean finished;
  private ScheduledFuture<?> timeoutTask;

  /**
   * A handler using the node-wide credentials of {@code identity} ({@link NoiseIdentity#shared}:
   * one X25519 static key per identity key object and muxer list, created on first use).
   *
   * @param identity our libp2p identity key
   * @param initiator true on the side that opened the connection
   * @param expectedRemoteOrNull the peer we dialled (checked against the remote identity), or null
   * @param localMuxers muxers to advertise in {@code stream_muxers}, preference-ordered
   */
  public NoiseHandshakeHandler(PrivKey identity, boolean initiator, PeerId expectedRemoteOrNull,
      List<String> localMuxers) {
    this(NoiseIdentity.shared(identity, localMuxers, RANDOM), initiator, expectedRemoteOrNull,
        DEFAULT_TIMEOUT);
  }

  /**
   * A handler with explicit credentials and handshake timeout (the handshake fails, and the channel
   * closes, if it has not completed {@code timeout} after the handler was added).
   */
  public NoiseHandshakeHandler(NoiseIdentity identity, boolean initiator, PeerId expectedRemoteOrNull,
      Duration timeout) {
    this.session = new NoiseSession(identity, initiator, expectedRemoteOrNull, RANDOM);
    this.timeout = timeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    timeoutTask = ctx.executor().schedule(() -> {
      if (!finished) {
        fail(ctx, "handshake timed out after " + timeout.toMillis() + " ms");
      }
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
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
    if (started || !session.isInitiator()) {
      started = true;
      return;
    }
    started = true;
    try {
      writeFramed(ctx, session.start());
    } catch (NoiseException e) {
      fail(ctx, e.getMessage());
    }
  }

  private static void writeFramed(ChannelHandlerContext ctx, byte[] msg) {
    ByteBuf buf = ctx.alloc().buffer(2 + msg.length);
    buf.writeShort(msg.length);
    buf.writeBytes(msg);
    ctx.writeAndFlush(buf);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (finished) {
      in.release();
      return;
    }
    cumulation = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(),
        cumulation == null ? Unpooled.EMPTY_BUFFER : cumulation, in);
    try {
      while (!finished && cumulation.readableBytes() >= 2) {
        int len = cumulation.getUnsignedShort(cumulation.readerIndex());
        int which = session.nextIncomingMessage();
        if (len < session.minIncomingLength() || len > session.maxIncomingLength()) {
          fail(ctx, "handshake message " + which + " has length " + len + ", allowed "
              + session.minIncomingLength() + ".." + session.maxIncomingLength());
          return;
        }
        if (cumulation.readableBytes() < 2 + len) {
          return;
        }
        cumulation.skipBytes(2);
        byte[] frame = new byte[len];
        cumulation.readBytes(frame);
        byte[] reply = session.onMessage(frame, 0, len);
        if (reply != null) {
          writeFramed(ctx, reply);
        }
        if (session.isComplete()) {
          succeed(ctx);
        }
      }
    } catch (NoiseException | RuntimeException e) {
      fail(ctx, e.getMessage() == null ? e.toString() : e.getMessage());
    } finally {
      if (cumulation != null && !cumulation.isReadable()) {
        cumulation.release();
        cumulation = null;
      }
    }
  }

  private void succeed(ChannelHandlerContext ctx) {
    finished = true;
    if (timeoutTask != null) {
      timeoutTask.cancel(false);
    }
    NoiseSession.Result r = session.result();
    NoiseTransportCodec codec = new NoiseTransportCodec(r.ciphers().send(), r.ciphers().receive());
    String name = ctx.pipeline().get(NoiseTransportCodec.HANDLER_NAME) == null
        ? NoiseTransportCodec.HANDLER_NAME : null;
    ctx.pipeline().addAfter(ctx.name(), name, codec);
    LOG.debug("noise secured with {} at {} (early muxer {})", r.remote().peerId(),
        ctx.channel().remoteAddress(), r.earlyMuxerOrNull());
    // The codec is in place before anyone reacts to the event, so replies are encrypted.
    ctx.fireUserEventTriggered(
        new NoiseSecured(r.remote().peerId(), r.remote().identityKey(), r.earlyMuxerOrNull()));
    ByteBuf rest = cumulation;
    cumulation = null;
    if (rest != null) {
      if (rest.isReadable()) {
        // Transport frames that arrived behind the last handshake message go to the codec, which
        // is our next handler.
        ctx.fireChannelRead(rest);
        ctx.fireChannelReadComplete();
      } else {
        rest.release();
      }
    }
    ctx.pipeline().remove(this);
  }

  private void fail(ChannelHandlerContext ctx, String reason) {
    if (finished) {
      return;
    }
    finished = true;
    if (timeoutTask != null) {
      timeoutTask.cancel(false);
    }
    if (ctx.channel().isActive()) {
      LOG.warn("noise handshake with {} failed: {}", ctx.channel().remoteAddress(), reason);
    } else {
      LOG.debug("noise handshake with {} failed: {}", ctx.channel().remoteAddress(), reason);
    }
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
    ctx.fireUserEventTriggered(new NoiseFailed(reason));
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!finished) {
      fail(ctx, "connection closed during handshake");
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!finished) {
      fail(ctx, "exception during handshake: " + cause);
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timeoutTask != null) {
      timeoutTask.cancel(false);
    }
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }
}
