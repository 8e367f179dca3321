package dev.weft.net.multistream;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Negotiates one protocol with multistream-select 1.0 at the start of a connection (or of any
 * byte channel), then removes itself.
 *
 * <p>On success it fires {@link ProtocolSelected} and then forwards, with {@code fireChannelRead},
 * any bytes that arrived behind the negotiation (pipelined protocol data), so a handler added in
 * response to the event receives them. On failure it fires {@link ProtocolNegotiationFailed} and
 * closes the channel. A dialer writes the header and its first proposal in one write as soon as
 * the channel is active; a listener never speaks first.
 */
public final class MultistreamHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(MultistreamHandler.class);

  private final Negotiator negotiator;
  private ByteBuf cumulation;
  private boolean done;

  private MultistreamHandler(Negotiator negotiator) {
    this.negotiator = negotiator;
  }

  /** A dialer proposing {@code proposals} in order of preference. */
  public static MultistreamHandler dialer(List<String> proposals) {
    return new MultistreamHandler(Negotiator.dialer(proposals));
  }

  /** A listener accepting any protocol in {@code supported} (also the {@code ls} answer). */
  public static MultistreamHandler listener(Collection<String> supported) {
    Set<String> set = Set.copyOf(supported);
    List<String> list = List.copyOf(supported);
    return new MultistreamHandler(Negotiator.listener(set::contains, () -> list));
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
    byte[] out = negotiator.start();
    if (out.length > 0) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(out));
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (done) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    cumulation = cumulation == null ? in
        : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
    Negotiator.Step step = negotiator.feed(cumulation);
    if (step.out().length > 0) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(step.out()));
    }
    switch (step.outcome()) {
      case PENDING -> {
        if (!cumulation.isReadable()) {
          cumulation.release();
          cumulation = null;
        }
      }
      case SELECTED -> {
        done = true;
        ByteBuf leftover = cumulation;
        cumulation = null;
        ctx.pipeline().remove(this);
        ctx.fireUserEventTriggered(new ProtocolSelected(step.protocol()));
        if (leftover.isReadable()) {
          ctx.fireChannelRead(leftover);
          ctx.fireChannelReadComplete();
        } else {
          leftover.release();
        }
      }
      case FAILED -> {
        done = true;
        cumulation.release();
        cumulation = null;
        LOG.debug("multistream negotiation failed on {}: {}", ctx.channel(), step.reason());
        ctx.fireUserEventTriggered(new ProtocolNegotiationFailed(step.reason()));
        ctx.close();
      }
      default -> throw new IllegalStateException();
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!done) {
      done = true;
      ctx.fireUserEventTriggered(new ProtocolNegotiationFailed("channel closed during negotiation"));
    }
    ctx.fireChannelInactive();
  }
}
