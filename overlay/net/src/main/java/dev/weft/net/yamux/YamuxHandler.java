package dev.weft.net.yamux;

import static dev.weft.net.yamux.YamuxFrame.FLAG_ACK;
import static dev.weft.net.yamux.YamuxFrame.FLAG_FIN;
import static dev.weft.net.yamux.YamuxFrame.FLAG_RST;
import static dev.weft.net.yamux.YamuxFrame.FLAG_SYN;
import static dev.weft.net.yamux.YamuxFrame.HEADER_SIZE;
import static dev.weft.net.yamux.YamuxFrame.TYPE_DATA;
import static dev.weft.net.yamux.YamuxFrame.TYPE_GO_AWAY;
import static dev.weft.net.yamux.YamuxFrame.TYPE_PING;
import static dev.weft.net.yamux.YamuxFrame.TYPE_WINDOW_UPDATE;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.MuxerException;
import dev.weft.net.mux.StreamHandler;
import dev.weft.net.mux.StreamMuxer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A yamux session ({@code /yamux/1.0.0}) as the last handler of a connection pipeline.
 *
 * <p>Inbound bytes are cumulated and decoded frame by frame; each header is bounds-checked before
 * its payload is awaited (a Data frame may never exceed the window we granted). Outbound frames
 * go to {@code ctx.write}; they are flushed when a stream is flushed or at the end of a read
 * batch, so several small frames share one TCP write. Everything runs on the channel's event
 * loop; no method is thread-safe.
 */
public final class YamuxHandler extends ChannelDuplexHandler implements StreamMuxer {
  public static final String PROTOCOL_ID = "/yamux/1.0.0";
  private static final Logger LOG = LoggerFactory.getLogger(YamuxHandler.class);
  /** Payloads up to this size are copied next to their header instead of written separately. */
  private static final int COPY_THRESHOLD = 2048;
  private static final long MAX_UINT32 = 0xFFFFFFFFL;
  /** Contiguous cumulation: one copy of each payload, but handlers get plain slices. */
  private static final ByteToMessageDecoder.Cumulator CUMULATOR =
      ByteToMessageDecoder.MERGE_CUMULATOR;

  private final boolean client;
  private final InboundStreamListener listener;
  private final YamuxConfig config;
  private final LongSupplier nanoClock;
  private final Map<Integer, Stream> streams = new HashMap<>();

  private ChannelHandlerContext ctx;
  private ByteBuf cumulation;
  private long nextStreamId;
  private int inboundCount;
  private int outboundCount;
  private int unackedOutbound;
  private boolean goAwaySent;
  private boolean goAwayReceived;
  private boolean failed;
  private boolean inactive;
  private boolean needFlush;
  private ScheduledFuture<?> keepAlive;
  private int nextPingId;
  private boolean pingOutstanding;
  private int outstandingPingId;
  private long pingSentNanos;
  private long lastRttNanos = -1;
  private int remoteGoAwayCode = -1;

  /**
   * @param client true on the side that dialled the connection (odd stream ids)
   * @param listener told about every stream the remote opens
   */
  public YamuxHandler(boolean client, InboundStreamListener listener, YamuxConfig config) {
    this(client, listener, config, System::nanoTime);
  }

  /** As above with a clock for RTT and window auto-tuning (tests). */
  YamuxHandler(boolean client, InboundStreamListener listener, YamuxConfig config,
      LongSupplier nanoClock) {
    this.nanoClock = Objects.requireNonNull(nanoClock);
    this.client = client;
    this.listener = Objects.requireNonNull(listener);
    this.config = Objects.requireNonNull(config);
    this.nextStreamId = client ? 1 : 2;
  }

  @Override
  public String protocolId() {
    return PROTOCOL_ID;
  }

  /** Round-trip time of the last answered keepalive ping, or -1 if none was answered yet. */
  public long lastRttNanos() {
    return lastRttNanos;
  }

  /** The GoAway code the remote sent, or -1 if none. */
  public int remoteGoAwayCode() {
    return remoteGoAwayCode;
  }

  public boolean isClient() {
    return client;
  }

  @Override
  public int openStreamCount() {
    return streams.size();
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      startKeepAlive();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    startKeepAlive();
    ctx.fireChannelActive();
  }

  private void startKeepAlive() {
    if (keepAlive != null || config.keepAliveInterval() == null
        || config.keepAliveInterval().isZero() || config.keepAliveInterval().isNegative()) {
      return;
    }
    long ms = config.keepAliveInterval().toMillis();
    ping(); // like js: first ping at once, which also gives window auto-tuning an RTT
    keepAlive = ctx.executor().scheduleAtFixedRate(this::ping, ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    shutdown();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    shutdown();
  }

  private void shutdown() {
    inactive = true;
    if (keepAlive != null) {
      keepAlive.cancel(false);
      keepAlive = null;
    }
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
    resetAll();
  }

  private void resetAll() {
    for (Stream s : new ArrayList<>(streams.values())) {
      s.terminate();
    }
  }

  @Override
  public void close() {
    if (ctx == null) {
      return;
    }
    if (!ctx.executor().inEventLoop()) {
      ctx.executor().execute(this::close);
      return;
    }
    ctx.channel().close();
  }

  /** Closing the channel sends GoAway(0) first, unless a GoAway was already sent. */
  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (!goAwaySent && ctx.channel().isActive()) {
      goAwaySent = true;
      ctx.write(YamuxFrame.header(ctx.alloc(), TYPE_GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_NORMAL),
          ctx.voidPromise());
      ctx.flush();
    }
    ctx.close(promise);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("yamux session on {} failed", ctx.channel(), cause);
    protocolError(YamuxFrame.GO_AWAY_INTERNAL_ERROR, "exception: " + cause);
  }

  private void protocolError(int code, String reason) {
    if (failed) {
      return;
    }
    failed = true;
    LOG.warn("yamux protocol error on {}: {}", ctx.channel(), reason);
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
    if (ctx.channel().isActive() && !goAwaySent) {
      goAwaySent = true;
      ctx.writeAndFlush(YamuxFrame.header(ctx.alloc(), TYPE_GO_AWAY, 0, 0, code))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  // ---------------------------------------------------------------- outbound streams

  @Override
  public MuxedStream openStream(StreamHandler handler) {
    if (ctx != null && !ctx.executor().inEventLoop()) {
      throw new IllegalStateException("openStream must be called on the connection's event loop");
    }
    if (ctx == null || inactive || failed || goAwaySent || goAwayReceived) {
      throw new MuxerException("yamux session is closing");
    }
    if (outboundCount >= config.maxOutboundStreams()) {
      throw new MuxerException("outbound stream limit " + config.maxOutboundStreams() + " reached");
    }
    if (unackedOutbound >= config.ackBacklog()) {
      throw new MuxerException("ACK backlog of " + config.ackBacklog() + " streams reached");
    }
    if (nextStreamId > MAX_UINT32) {
      throw new MuxerException("stream ids exhausted");
    }
    int id = (int) nextStreamId;
    nextStreamId += 2;
    Stream s = new Stream(id, true);
    s.handler = handler;
    streams.put(id, s);
    outboundCount++;
    unackedOutbound++;
    int delta = config.receiveWindow() - YamuxConfig.INITIAL_WINDOW;
    s.recvWindow = config.receiveWindow();
    writeControl(TYPE_WINDOW_UPDATE, FLAG_SYN, id, delta);
    return s;
  }

  /**
   * Sends a keepalive ping unless one is outstanding. Returns true if a ping was sent; its answer
   * updates {@link #lastRttNanos()}.
   */
  public boolean ping() {
    if (ctx == null || inactive || failed || pingOutstanding) {
      return false;
    }
    pingOutstanding = true;
    outstandingPingId = nextPingId++;
    pingSentNanos = nanoClock.getAsLong();
    ctx.writeAndFlush(YamuxFrame.header(ctx.alloc(), TYPE_PING, FLAG_SYN, 0,
        outstandingPingId & MAX_UINT32), ctx.voidPromise());
    return true;
  }

  private void writeControl(int type, int flags, int id, long length) {
    ctx.write(YamuxFrame.header(ctx.alloc(), type, flags, id, length), ctx.voidPromise());
    needFlush = true;
  }

  private void writeData(int id, ByteBuf payload) {
    int n = payload.readableBytes();
    if (n <= COPY_THRESHOLD) {
      ByteBuf buf = ctx.alloc().buffer(HEADER_SIZE + n);
      try {
        YamuxFrame.writeHeader(buf, TYPE_DATA, 0, id, n);
        buf.writeBytes(payload);
      } finally {
        payload.release();
      }
      ctx.write(buf, ctx.voidPromise());
    } else {
      ctx.write(YamuxFrame.header(ctx.alloc(), TYPE_DATA, 0, id, n), ctx.voidPromise());
      ctx.write(payload, ctx.voidPromise());
    }
    needFlush = true;
  }

  private void flushNow() {
    needFlush = false;
    ctx.flush();
  }

  // ---------------------------------------------------------------- inbound

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (failed || inactive) {
      in.release();
      return;
    }
    cumulation = cumulation == null ? in
        : CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
    try {
      decode();
    } finally {
      if (cumulation != null) {
        if (!cumulation.isReadable()) {
          cumulation.release();
          cumulation = null;
        } else if (cumulation.refCnt() == 1) {
          // never move bytes under slices still held by stream handlers
          cumulation.discardSomeReadBytes();
        }
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (needFlush) {
      flushNow();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    for (Stream s : new ArrayList<>(streams.values())) {
      s.notifyWritability();
    }
    ctx.fireChannelWritabilityChanged();
  }

  private void decode() {
    while (!failed && cumulation != null && cumulation.readableBytes() >= HEADER_SIZE) {
      ByteBuf in = cumulation;
      int ri = in.readerIndex();
      int version = in.getUnsignedByte(ri);
      int type = in.getUnsignedByte(ri + 1);
      int flags = in.getUnsignedShort(ri + 2);
      int id = in.getInt(ri + 4);
      long length = in.getUnsignedInt(ri + 8);
      if (version != YamuxFrame.VERSION) {
        protocolError(YamuxFrame.GO_AWAY_PROTOCOL_ERROR, "unsupported yamux version " + version);
        return;
      }
      switch (type) {
        case TYPE_DATA -> {
          if (id == 0) {
            protocolError(YamuxFrame.GO_AWAY_PROTOCOL_ERROR, "data frame on stream 0");
            return;
          }
          Stream s = streams.get(id);
          long limit;
          if (s != null) {
            limit = s.recvWindow;
          } else if ((flags & FLAG_SYN) != 0) {
            limit = YamuxConfig.INITIAL_WINDOW;
          } else {
            limit = YamuxConfig.MAX_WINDOW;
          }
          if (length > limit) {
            protocolError(YamuxFrame.GO_AWAY_PROTOCOL_ERROR, "stream " + (id & MAX_UINT32)
                + ": data frame of " + length + " bytes exceeds receive window " + limit);
            return;
          }
          if (in.readableBytes() < HEADER_SIZE + length) {
            return;
          }
          in.skipBytes(HEADER_SIZE);
          ByteBuf payload = length == 0 ? null : in.readRetainedSlice((int) length);
          onStreamFrame(type, flags, id, length, payload);
        }
        case TYPE_WINDOW_UPDATE -> {
          if (id == 0) {
            protocolError(YamuxFrame.GO_AWAY_PROTOCOL_ERROR, "window update on stream 0");
            return;
          }
          in.skipBytes(HEADER_SIZE);
          onStreamFrame(type, flags, id, length, null);
        }
        case TYPE_PING -> {
          if (id != 0) {
            protocolError(YamuxFrame.GO_AWAY_PROTOCOL_ERROR, "ping on stream " + (id & MAX_UINT32));
            return;
          }
          in.skipBytes(HEADER_SIZE);
          onPing(flags, length);
        }
        case TYPE_GO_AWAY -> {
          if (id != 0) {
            protocolError(YamuxFrame.GO_AWAY_PROTOCOL_ERROR, "go away on stream " + (id & MAX_UINT32));
            return;
          }
          in.skipBytes(HEADER_SIZE);
          onGoAway(length);
        }
        default -> {
          protocolError(YamuxFrame.GO_AWAY_PROTOCOL_ERROR, "unknown frame type " + type);
          return;
        }
      }
    }
  }

  private boolean isRemoteParity(int id) {
    boolean odd = (id & 1) == 1;
    return client != odd;
  }

  private void onStreamFrame(int type, int flags, int id, long length, ByteBuf payload) {
    Stream s = streams.get(id);
    if ((flags & FLAG_SYN) != 0) {
      if (s != null) {
        release(payload);
        protocolError(YamuxFrame.GO_AWAY_PROTOCOL_ERROR, "duplicate SYN for stream " + (id & MAX_UINT32));
        return;
      }
      if (!isRemoteParity(id)) {
        release(payload);
        protocolError(YamuxFrame.GO_AWAY_PROTOCOL_ERROR,
            "SYN with our own stream id parity " + (id & MAX_UINT32) + " (both endpoints are "
                + (client ? "clients" : "servers") + ")");
        return;
      }
      if (goAwaySent || goAwayReceived || inboundCount >= config.maxInboundStreams()) {
        release(payload);
        LOG.debug("refusing inbound stream {} on {} ({} inbound open)", id & MAX_UINT32,
            ctx.channel(), inboundCount);
        writeControl(TYPE_WINDOW_UPDATE, FLAG_RST, id, 0);
        return;
      }
      s = new Stream(id, false);
      streams.put(id, s);
      inboundCount++;
      s.recvWindow = config.receiveWindow();
      writeControl(TYPE_WINDOW_UPDATE, FLAG_ACK, id,
          config.receiveWindow() - YamuxConfig.INITIAL_WINDOW);
      // the remote assumed the initial window for frames sent before seeing our ACK
      s.recvWindowBase = config.receiveWindow();
      try {
        listener.onInboundStream(s);
      } catch (RuntimeException e) {
        LOG.warn("inbound stream listener failed on stream {}", id & MAX_UINT32, e);
        s.reset();
      }
      if (s.done) {
        release(payload);
        return;
      }
    } else if (s == null) {
      // unknown stream without SYN: ignored, like js (it may have been reset by us)
      release(payload);
      return;
    }
    if ((flags & FLAG_ACK) != 0 && s.initiator && !s.acked) {
      s.acked = true;
      unackedOutbound--;
    }
    if (type == TYPE_WINDOW_UPDATE && length > 0) {
      s.sendWindow += length;
      if (s.sendWindow > MAX_UINT32) {
        protocolError(YamuxFrame.GO_AWAY_PROTOCOL_ERROR, "send window overflow on stream "
            + (id & MAX_UINT32));
        return;
      }
      s.drain();
    }
    if (payload != null) {
      s.onData(payload);
    }
    if ((flags & FLAG_FIN) != 0 && !s.done) {
      s.onRemoteFin();
    }
    if ((flags & FLAG_RST) != 0 && !s.done) {
      s.terminate();
    }
  }

  private static void release(ByteBuf buf) {
    if (buf != null) {
      buf.release();
    }
  }

  private void onPing(int flags, long value) {
    if (flags == FLAG_SYN) {
      writeControl(TYPE_PING, FLAG_ACK, 0, value);
    } else if (flags == FLAG_ACK) {
      if (pingOutstanding && value == (outstandingPingId & MAX_UINT32)) {
        pingOutstanding = false;
        lastRttNanos = Math.max(1, nanoClock.getAsLong() - pingSentNanos);
      } else {
        LOG.debug("ignoring unsolicited ping ACK {} on {}", value, ctx.channel());
      }
    } else {
      LOG.debug("ignoring ping with flags {} on {}", flags, ctx.channel());
    }
  }

  private void onGoAway(long code) {
    goAwayReceived = true;
    remoteGoAwayCode = (int) code;
    if (code == YamuxFrame.GO_AWAY_NORMAL) {
      LOG.debug("remote sent GoAway(0) on {}", ctx.channel());
      return;
    }
    LOG.warn("remote sent GoAway({}) on {}; aborting session", code, ctx.channel());
    failed = true;
    goAwaySent = true; // do not answer a GoAway with one
    resetAll();
    ctx.close();
  }

  // ---------------------------------------------------------------- stream

  /** One yamux stream. Event-loop confined. */
  private final class Stream implements MuxedStream {
    private final int id;
    private final boolean initiator;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private StreamHandler handler;
    private String protocol;
    private long sendWindow = YamuxConfig.INITIAL_WINDOW;
    private long recvWindow;
    private long recvWindowBase = config.receiveWindow();
    private long queuedBytes;
    private boolean queueWritable = true;
    private boolean lastReportedWritable = true;
    private boolean acked;
    private boolean finRequested;
    private boolean finSent;
    private boolean remoteFin;
    private boolean done;

    private long lastWindowUpdateNanos = nanoClock.getAsLong();

    Stream(int id, boolean initiator) {
      this.id = id;
      this.initiator = initiator;
    }

    @Override
    public long id() {
      return id & MAX_UINT32;
    }

    @Override
    public boolean isInitiator() {
      return initiator;
    }

    @Override
    public EventLoop eventLoop() {
      return ctx.channel().eventLoop();
    }

    @Override
    public void setHandler(StreamHandler handler) {
      this.handler = handler;
    }

    @Override
    public void write(ByteBuf data) {
      if (done || finRequested) {
        data.release();
        throw new MuxerException("stream " + id() + " is " + (done ? "closed" : "half-closed"));
      }
      if (!data.isReadable()) {
        data.release();
        return;
      }
      queuedBytes += data.readableBytes();
      pending.add(data);
      drain();
    }

    @Override
    public void flush() {
      if (needFlush) {
        flushNow();
      }
    }

    @Override
    public void closeWrite() {
      if (done || finRequested) {
        return;
      }
      finRequested = true;
      drain();
      flush();
    }

    @Override
    public void reset() {
      if (done) {
        return;
      }
      if (!inactive && !failed) {
        writeControl(TYPE_WINDOW_UPDATE, FLAG_RST, id, 0);
        flushNow();
      }
      terminate();
    }

    @Override
    public boolean isWritable() {
      return !done && !finRequested && queueWritable && ctx.channel().isWritable();
    }

    @Override
    public boolean isRemoteClosed() {
      return remoteFin;
    }

    @Override
    public String protocol() {
      return protocol;
    }

    @Override
    public void setProtocol(String protocol) {
      this.protocol = protocol;
    }

    @Override
    public StreamMuxer muxer() {
      return YamuxHandler.this;
    }

    void drain() {
      while (!pending.isEmpty() && sendWindow > 0 && !done) {
        ByteBuf head = pending.peek();
        int n = (int) Math.min(head.readableBytes(), sendWindow);
        ByteBuf chunk = n == head.readableBytes() ? pending.poll() : head.readRetainedSlice(n);
        queuedBytes -= n;
        sendWindow -= n;
        writeData(id, chunk);
      }
      if (finRequested && !finSent && pending.isEmpty() && !done) {
        finSent = true;
        writeControl(TYPE_WINDOW_UPDATE, FLAG_FIN, id, 0);
        if (remoteFin) {
          finish();
          return;
        }
      }
      updateQueueWritability();
    }

    private void updateQueueWritability() {
      if (queueWritable && queuedBytes > config.writeBufferHighWaterMark()) {
        queueWritable = false;
      } else if (!queueWritable && queuedBytes < config.writeBufferLowWaterMark()) {
        queueWritable = true;
      }
      notifyWritability();
    }

    void notifyWritability() {
      boolean w = isWritable();
      if (w != lastReportedWritable && !done) {
        lastReportedWritable = w;
        if (handler != null) {
          try {
            handler.onWritabilityChanged(this);
          } catch (RuntimeException e) {
            LOG.warn("stream {} handler failed in onWritabilityChanged", id(), e);
            reset();
          }
        }
      }
    }

    void onData(ByteBuf payload) {
      int n = payload.readableBytes();
      recvWindow -= n;
      if (remoteFin || handler == null) {
        payload.release();
      } else {
        try {
          handler.onData(this, payload);
        } catch (RuntimeException e) {
          LOG.warn("stream {} handler failed in onData", id(), e);
          reset();
          return;
        }
      }
      if (!done && !remoteFin) {
        long consumed = recvWindowBase - recvWindow;
        if (consumed >= recvWindowBase / 2) {
          long now = nanoClock.getAsLong();
          long delta = consumed;
          if (lastRttNanos > 0 && now - lastWindowUpdateNanos < 4 * lastRttNanos
              && recvWindowBase < config.maxReceiveWindow()) {
            // half the window went by within 4 RTTs: the window limits throughput, double it
            long grown = Math.min(recvWindowBase * 2, config.maxReceiveWindow());
            delta += grown - recvWindowBase;
            recvWindowBase = grown;
          }
          lastWindowUpdateNanos = now;
          recvWindow += delta;
          writeControl(TYPE_WINDOW_UPDATE, 0, id, delta);
        }
      }
    }

    void onRemoteFin() {
      if (remoteFin) {
        return;
      }
      remoteFin = true;
      if (handler != null) {
        try {
          handler.onRemoteClose(this);
        } catch (RuntimeException e) {
          LOG.warn("stream {} handler failed in onRemoteClose", id(), e);
          reset();
          return;
        }
      }
      if (finSent && !done) {
        finish();
      }
    }

    /** Both sides sent FIN: the stream is gone without a reset. */
    private void finish() {
      done = true;
      remove();
    }

    /** Reset (either side) or connection loss: drop queued data, tell the handler. */
    void terminate() {
      if (done) {
        return;
      }
      done = true;
      while (!pending.isEmpty()) {
        pending.poll().release();
      }
      queuedBytes = 0;
      remove();
      if (handler != null) {
        try {
          handler.onReset(this);
        } catch (RuntimeException e) {
          LOG.warn("stream {} handler failed in onReset", id(), e);
        }
      }
    }

    private void remove() {
      if (streams.remove(id) != this) {
        return;
      }
      if (initiator) {
        outboundCount--;
        if (!acked) {
          unackedOutbound--;
        }
      } else {
        inboundCount--;
      }
    }

    @Override
    public String toString() {
      return "yamux-stream-" + id() + (initiator ? "-out" : "-in");
    }
  }
}
