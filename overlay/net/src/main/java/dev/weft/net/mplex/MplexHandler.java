package dev.weft.net.mplex;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.MuxerException;
import dev.weft.net.mux.StreamHandler;
import dev.weft.net.mux.StreamMuxer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An mplex session ({@code /mplex/6.7.0}) as the last handler of a connection pipeline.
 *
 * <p>Frames are {@code uvarint(id << 3 | flag) || uvarint(length) || data}. Stream ids are
 * per initiator, so a stream is keyed by (id, who opened it). There is no flow control: a stream
 * is writable while the channel is. Messages are bounded by {@link MplexConfig#maxMessageSize()}
 * and varints by 9 bytes; violations close the connection. Event-loop confined.
 */
public final class MplexHandler extends ChannelDuplexHandler implements StreamMuxer {
  public static final String PROTOCOL_ID = "/mplex/6.7.0";
  private static final Logger LOG = LoggerFactory.getLogger(MplexHandler.class);
  private static final int MAX_VARINT_BYTES = 9;

  public static final int NEW_STREAM = 0;
  public static final int MESSAGE_RECEIVER = 1;
  public static final int MESSAGE_INITIATOR = 2;
  public static final int CLOSE_RECEIVER = 3;
  public static final int CLOSE_INITIATOR = 4;
  public static final int RESET_RECEIVER = 5;
  public static final int RESET_INITIATOR = 6;

  private final InboundStreamListener listener;
  private final MplexConfig config;
  private final Map<Long, Stream> streams = new HashMap<>();
  private ChannelHandlerContext ctx;
  private ByteBuf cumulation;
  private long nextId;
  private int inboundCount;
  private int outboundCount;
  private boolean failed;
  private boolean inactive;
  private boolean needFlush;

  public MplexHandler(InboundStreamListener listener, MplexConfig config) {
    this.listener = Objects.requireNonNull(listener);
    this.config = Objects.requireNonNull(config);
  }

  @Override
  public String protocolId() {
    return PROTOCOL_ID;
  }

  @Override
  public int openStreamCount() {
    return streams.size();
  }

  private static long key(long id, boolean weOpened) {
    return (id << 1) | (weOpened ? 1 : 0);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
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
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
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

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("mplex session on {} failed", ctx.channel(), cause);
    protocolError("exception: " + cause);
  }

  private void protocolError(String reason) {
    if (failed) {
      return;
    }
    failed = true;
    LOG.warn("mplex protocol error on {}: {}", ctx.channel(), reason);
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
    ctx.close();
  }

  @Override
  public MuxedStream openStream(StreamHandler handler) {
    if (ctx != null && !ctx.executor().inEventLoop()) {
      throw new IllegalStateException("openStream must be called on the connection's event loop");
    }
    if (ctx == null || inactive || failed) {
      throw new MuxerException("mplex session is closed");
    }
    if (outboundCount >= config.maxOutboundStreams()) {
      throw new MuxerException("outbound stream limit " + config.maxOutboundStreams() + " reached");
    }
    long id = nextId++;
    Stream s = new Stream(id, true);
    s.handler = handler;
    streams.put(key(id, true), s);
    outboundCount++;
    byte[] name = Long.toString(id).getBytes(StandardCharsets.UTF_8);
    ByteBuf frame = header(id, NEW_STREAM, name.length);
    frame.writeBytes(name);
    ctx.write(frame, ctx.voidPromise());
    needFlush = true;
    return s;
  }

  private ByteBuf header(long id, int flag, int length) {
    long h = (id << 3) | flag;
    ByteBuf buf = ctx.alloc().buffer(MAX_VARINT_BYTES + 5 + (length <= 64 ? length : 0));
    writeUvarint(buf, h);
    writeUvarint(buf, length);
    return buf;
  }

  static void writeUvarint(ByteBuf buf, long value) {
    while ((value & ~0x7FL) != 0) {
      buf.writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    buf.writeByte((int) value);
  }

  /**
   * Reads a uvarint at {@code index} without moving the reader index. Returns the value, or -1
   * if more bytes are needed; {@code len[0]} receives its size.
   */
  private long peekUvarint(ByteBuf in, int index, int[] len) {
    long value = 0;
    int avail = in.writerIndex() - index;
    for (int i = 0; i < MAX_VARINT_BYTES; i++) {
      if (i >= avail) {
        return -1;
      }
      int b = in.getUnsignedByte(index + i);
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        len[0] = i + 1;
        return value;
      }
    }
    len[0] = -1;
    return -2;
  }

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
        : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
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
      needFlush = false;
      ctx.flush();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    for (Stream s : new ArrayList<>(streams.values())) {
      if (s.handler != null) {
        s.handler.onWritabilityChanged(s);
      }
    }
    ctx.fireChannelWritabilityChanged();
  }

  private void decode() {
    int[] len = new int[1];
    while (!failed && cumulation != null && cumulation.isReadable()) {
      ByteBuf in = cumulation;
      int ri = in.readerIndex();
      long header = peekUvarint(in, ri, len);
      if (header == -2) {
        protocolError("header varint longer than " + MAX_VARINT_BYTES + " bytes");
        return;
      }
      if (header < 0) {
        return;
      }
      int headerLen = len[0];
      long length = peekUvarint(in, ri + headerLen, len);
      if (length == -2) {
        protocolError("length varint longer than " + MAX_VARINT_BYTES + " bytes");
        return;
      }
      if (length < 0) {
        return;
      }
      if (length > config.maxMessageSize()) {
        protocolError("message of " + length + " bytes exceeds " + config.maxMessageSize());
        return;
      }
      int total = headerLen + len[0] + (int) length;
      if (in.readableBytes() < total) {
        return;
      }
      in.skipBytes(headerLen + len[0]);
      ByteBuf payload = in.readRetainedSlice((int) length);
      onFrame(header >>> 3, (int) (header & 7), payload);
    }
  }

  private void onFrame(long id, int flag, ByteBuf payload) {
    if (flag == NEW_STREAM) {
      payload.release();
      long k = key(id, false);
      if (streams.containsKey(k)) {
        protocolError("duplicate NewStream for id " + id);
        return;
      }
      if (inboundCount >= config.maxInboundStreams()) {
        LOG.debug("refusing inbound mplex stream {} on {}", id, ctx.channel());
        ctx.write(header(id, RESET_RECEIVER, 0), ctx.voidPromise());
        needFlush = true;
        return;
      }
      Stream s = new Stream(id, false);
      streams.put(k, s);
      inboundCount++;
      try {
        listener.onInboundStream(s);
      } catch (RuntimeException e) {
        LOG.warn("inbound stream listener failed on mplex stream {}", id, e);
        s.reset();
      }
      return;
    }
    if (flag > RESET_INITIATOR) {
      payload.release();
      protocolError("unknown mplex flag " + flag);
      return;
    }
    // odd flags come from the receiver, so they concern streams we opened
    boolean weOpened = flag == MESSAGE_RECEIVER || flag == CLOSE_RECEIVER || flag == RESET_RECEIVER;
    Stream s = streams.get(key(id, weOpened));
    if (s == null) {
      payload.release();
      return;
    }
    switch (flag) {
      case MESSAGE_RECEIVER, MESSAGE_INITIATOR -> s.onData(payload);
      case CLOSE_RECEIVER, CLOSE_INITIATOR -> {
        payload.release();
        s.onRemoteClose();
      }
      default -> {
        payload.release();
        s.terminate();
      }
    }
  }

  /** One mplex stream. */
  private final class Stream implements MuxedStream {
    private final long id;
    private final boolean initiator;
    private StreamHandler handler;
    private String protocol;
    private boolean localClosed;
    private boolean remoteClosed;
    private boolean done;

    Stream(long id, boolean initiator) {
      this.id = id;
      this.initiator = initiator;
    }

    @Override
    public long id() {
      return id;
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
      if (done || localClosed) {
        data.release();
        throw new MuxerException("mplex stream " + id + " is " + (done ? "closed" : "half-closed"));
      }
      int flag = initiator ? MESSAGE_INITIATOR : MESSAGE_RECEIVER;
      try {
        while (data.isReadable()) {
          int n = Math.min(data.readableBytes(), config.maxMessageSize());
          ByteBuf h = header(id, flag, n);
          if (n <= 64) {
            h.writeBytes(data, n);
            ctx.write(h, ctx.voidPromise());
          } else {
            ctx.write(h, ctx.voidPromise());
            ctx.write(data.readRetainedSlice(n), ctx.voidPromise());
          }
        }
      } finally {
        data.release();
      }
      needFlush = true;
    }

    @Override
    public void flush() {
      if (needFlush) {
        needFlush = false;
        ctx.flush();
      }
    }

    @Override
    public void closeWrite() {
      if (done || localClosed) {
        return;
      }
      localClosed = true;
      ctx.write(header(id, initiator ? CLOSE_INITIATOR : CLOSE_RECEIVER, 0), ctx.voidPromise());
      needFlush = true;
      flush();
      if (remoteClosed) {
        finish();
      }
    }

    @Override
    public void reset() {
      if (done) {
        return;
      }
      if (!inactive && !failed) {
        ctx.writeAndFlush(header(id, initiator ? RESET_INITIATOR : RESET_RECEIVER, 0),
            ctx.voidPromise());
      }
      terminate();
    }

    @Override
    public boolean isWritable() {
      return !done && !localClosed && ctx.channel().isWritable();
    }

    @Override
    public boolean isRemoteClosed() {
      return remoteClosed;
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
      return MplexHandler.this;
    }

    void onData(ByteBuf payload) {
      if (remoteClosed || handler == null) {
        payload.release();
        return;
      }
      try {
        handler.onData(this, payload);
      } catch (RuntimeException e) {
        LOG.warn("mplex stream {} handler failed in onData", id, e);
        reset();
      }
    }

    void onRemoteClose() {
      if (remoteClosed) {
        return;
      }
      remoteClosed = true;
      if (handler != null) {
        try {
          handler.onRemoteClose(this);
        } catch (RuntimeException e) {
          LOG.warn("mplex stream {} handler failed in onRemoteClose", id, e);
          reset();
          return;
        }
      }
      if (localClosed && !done) {
        finish();
      }
    }

    private void finish() {
      done = true;
      remove();
    }

    void terminate() {
      if (done) {
        return;
      }
      done = true;
      remove();
      if (handler != null) {
        try {
          handler.onReset(this);
        } catch (RuntimeException e) {
          LOG.warn("mplex stream {} handler failed in onReset", id, e);
        }
      }
    }

    private void remove() {
      if (streams.remove(key(id, initiator)) != this) {
        return;
      }
      if (initiator) {
        outboundCount--;
      } else {
        inboundCount--;
      }
    }

    @Override
    public String toString() {
      return "mplex-stream-" + id + (initiator ? "-out" : "-in");
    }
  }
}
