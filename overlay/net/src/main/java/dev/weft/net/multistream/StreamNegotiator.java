package dev.weft.net.multistream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * multistream-select on a {@link MuxedStream}: the stream-level twin of
 * {@link MultistreamHandler}. It installs itself as the stream's handler, negotiates, and on
 * agreement sets {@link MuxedStream#setProtocol}, installs the protocol's handler and hands it
 * any pipelined bytes. On failure the stream is reset and the reason logged.
 */
public final class StreamNegotiator implements StreamHandler {
  private static final Logger LOG = LoggerFactory.getLogger(StreamNegotiator.class);

  /** Outcome of a dial. Called on the stream's event loop. */
  public interface DialCallback {
    /**
     * The remote accepted {@code protocol}; return the handler that takes over the stream (it
     * receives any bytes that came in behind the echo).
     */
    StreamHandler onSelected(MuxedStream stream, String protocol);

    /** Negotiation failed; the stream has been reset. */
    default void onFailed(MuxedStream stream, String reason) {}
  }

  private final Negotiator negotiator;
  private final Function<String, StreamHandler> handlers;
  private final DialCallback callback;
  private ByteBuf cumulation;
  private boolean done;
  private ScheduledFuture<?> timeoutTask;

  private StreamNegotiator(Negotiator negotiator, Function<String, StreamHandler> handlers,
      DialCallback callback) {
    this.negotiator = negotiator;
    this.handlers = handlers;
    this.callback = callback;
  }

  /** Starts dialing on {@code stream}: writes header and first proposal at once. */
  public static void dial(MuxedStream stream, List<String> protocols, DialCallback callback) {
    StreamNegotiator n = new StreamNegotiator(Negotiator.dialer(protocols), null, callback);
    stream.setHandler(n);
    byte[] out = n.negotiator.start();
    stream.writeAndFlush(Unpooled.wrappedBuffer(out));
  }

  /**
   * Dials and installs {@code handler} for whichever protocol is agreed; the future completes on
   * the event loop with the protocol, or exceptionally with a {@link
   * dev.weft.net.mux.MuxerException} after the stream was reset.
   */
  public static CompletableFuture<String> dial(MuxedStream stream, List<String> protocols,
      StreamHandler handler) {
    CompletableFuture<String> result = new CompletableFuture<>();
    dial(stream, protocols, new DialCallback() {
      @Override
      public StreamHandler onSelected(MuxedStream s, String protocol) {
        result.complete(protocol);
        return handler;
      }

      @Override
      public void onFailed(MuxedStream s, String reason) {
        result.completeExceptionally(new dev.weft.net.mux.MuxerException(reason));
      }
    });
    return result;
  }

  /**
   * Listens on an inbound {@code stream}. {@code handlersByProtocol} returns a fresh handler for a
   * supported protocol and null otherwise; {@code advertised} answers {@code ls}.
   */
  public static void listen(MuxedStream stream, Function<String, StreamHandler> handlersByProtocol,
      Supplier<List<String>> advertised) {
    listen(stream, handlersByProtocol, advertised, null);
  }

  /**
   * As {@link #listen(MuxedStream, Function, Supplier)}, and resets the stream with a logged
   * reason if negotiation has not finished {@code timeout} after this call (null: no limit).
   */
  public static void listen(MuxedStream stream, Function<String, StreamHandler> handlersByProtocol,
      Supplier<List<String>> advertised, Duration timeout) {
    // the handler created while checking support is the one installed (created once)
    StreamHandler[] chosen = new StreamHandler[1];
    StreamNegotiator n = new StreamNegotiator(
        Negotiator.listener(p -> (chosen[0] = handlersByProtocol.apply(p)) != null, advertised),
        p -> chosen[0], null);
    stream.setHandler(n);
    if (timeout != null) {
      n.timeoutTask = stream.eventLoop().schedule(() -> {
        if (!n.done) {
          LOG.warn("inbound stream {} reset: protocol negotiation not finished after {} ms",
              stream.id(), timeout.toMillis());
          n.fail(stream, "negotiation timed out after " + timeout.toMillis() + " ms");
        }
      }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Listens with a fixed map of protocol → handler factory. */
  public static void listen(MuxedStream stream, Map<String, Supplier<StreamHandler>> protocols) {
    List<String> list = List.copyOf(protocols.keySet());
    listen(stream, p -> {
      Supplier<StreamHandler> s = protocols.get(p);
      return s == null ? null : s.get();
    }, () -> list);
  }

  @Override
  public void onData(MuxedStream stream, ByteBuf data) {
    if (done) {
      data.release();
      return;
    }
    cumulation = cumulation == null ? data
        : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(data.alloc(), cumulation, data);
    Negotiator.Step step = negotiator.feed(cumulation);
    if (step.out().length > 0 && step.outcome() != Negotiator.Outcome.FAILED) {
      stream.write(Unpooled.wrappedBuffer(step.out()));
      stream.flush();
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
        cancelTimeout();
        ByteBuf leftover = cumulation;
        cumulation = null;
        String protocol = step.protocol();
        StreamHandler next;
        try {
          next = negotiator.isDialer() ? callback.onSelected(stream, protocol)
              : handlers.apply(protocol);
        } catch (RuntimeException e) {
          leftover.release();
          LOG.warn("stream {} handler for {} failed to start", stream.id(), protocol, e);
          stream.reset();
          return;
        }
        if (next == null) {
          leftover.release();
          LOG.debug("stream {}: no handler for agreed protocol {}", stream.id(), protocol);
          stream.reset();
          return;
        }
        stream.setProtocol(protocol);
        stream.setHandler(next);
        if (leftover.isReadable()) {
          next.onData(stream, leftover);
        } else {
          leftover.release();
        }
        if (stream.isRemoteClosed()) {
          next.onRemoteClose(stream);
        }
      }
      case FAILED -> fail(stream, step.reason());
      default -> throw new IllegalStateException();
    }
  }

  private void cancelTimeout() {
    if (timeoutTask != null) {
      timeoutTask.cancel(false);
      timeoutTask = null;
    }
  }

  private void fail(MuxedStream stream, String reason) {
    done = true;
    cancelTimeout();
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
    LOG.debug("stream {} protocol negotiation failed: {}", stream.id(), reason);
    stream.reset();
    if (callback != null) {
      callback.onFailed(stream, reason);
    }
  }

  @Override
  public void onRemoteClose(MuxedStream stream) {
    if (!done) {
      fail(stream, "remote closed the stream during negotiation");
    }
  }

  @Override
  public void onReset(MuxedStream stream) {
    if (!done) {
      done = true;
      cancelTimeout();
      if (cumulation != null) {
        cumulation.release();
        cumulation = null;
      }
      if (callback != null) {
        callback.onFailed(stream, "stream reset during negotiation");
      }
    }
  }
}
