package dev.weft.net.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.PromiseNotifier;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Noise transport phase: inbound, reassembles {@code uint16 BE length || ciphertext} frames across
 * reads and decrypts them (all complete frames of one read into a single buffer); outbound, holds
 * written {@link ByteBuf}s until the next flush (or until {@link #EAGER_ENCRYPT_BYTES} are pending),
 * then packs them into frames of at most {@value #MAX_PLAINTEXT} plaintext bytes, encrypted in place
 * in one output buffer. Installed by {@link NoiseHandshakeHandler}.
 *
 * <p>A frame shorter than the tag, a decryption failure or nonce exhaustion closes the connection
 * with a logged reason; nothing further is decoded from it.
 */
public final class NoiseTransportCodec extends ChannelDuplexHandler {
  /** Pipeline name under which {@link NoiseHandshakeHandler} installs the codec. */
  public static final String HANDLER_NAME = "noise-transport";
  /** Largest Noise message. */
  public static final int MAX_FRAME = 65535;
  /** Largest plaintext per frame (frame minus the 16-byte tag). */
  public static final int MAX_PLAINTEXT = MAX_FRAME - ChaChaPolyAead.TAG_LENGTH;

  private static final Logger LOG = LoggerFactory.getLogger(NoiseTransportCodec.class);
  private static final byte[] EMPTY = new byte[0];
  private final CipherState send;
  private final CipherState receive;
  /** Pending plaintext is encrypted without waiting for a flush once it reaches this many bytes. */
  static final int EAGER_ENCRYPT_BYTES = 4 * MAX_PLAINTEXT;

  private ByteBuf cumulation;
  private boolean failed;
  /** Plaintext written since the last flush, encrypted at the next flush (or when large). */
  private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
  private final List<ChannelPromise> pendingPromises = new ArrayList<>();
  private int pendingBytes;

  public NoiseTransportCodec(CipherState send, CipherState receive) {
    this.send = send;
    this.receive = receive;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (failed) {
      in.release();
      return;
    }
    cumulation = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(),
        cumulation == null ? Unpooled.EMPTY_BUFFER : cumulation, in);
    ByteBuf plain = null;
    try {
      plain = decodeFrames(ctx.alloc(), cumulation);
    } catch (NoiseException e) {
      fail(ctx, e.getMessage());
      return;
    } finally {
      if (cumulation != null && !cumulation.isReadable()) {
        cumulation.release();
        cumulation = null;
      } else if (cumulation != null) {
        cumulation.discardSomeReadBytes();
      }
    }
    if (plain != null) {
      ctx.fireChannelRead(plain);
    }
  }

  /** Decrypts every complete frame in {@code in} into one buffer; null if there is none. */
  private ByteBuf decodeFrames(ByteBufAllocator alloc, ByteBuf in) throws NoiseException {
    int start = in.readerIndex();
    int end = in.writerIndex();
    int pos = start;
    int frames = 0;
    int total = 0;
    // Lengths are checked (and the whole frame must be present) before any allocation.
    while (end - pos >= 2) {
      int len = in.getUnsignedShort(pos);
      if (len < ChaChaPolyAead.TAG_LENGTH) {
        throw new NoiseException("transport frame of " + len + " bytes is shorter than the tag");
      }
      if (end - pos - 2 < len) {
        break;
      }
      frames++;
      total += len - ChaChaPolyAead.TAG_LENGTH;
      pos += 2 + len;
    }
    if (frames == 0) {
      return null;
    }
    // Room for one tag more than the plaintext: a frame from a direct buffer is copied whole into
    // place and decrypted there (its tag is then overwritten by the next frame).
    ByteBuf out = alloc.heapBuffer(total + ChaChaPolyAead.TAG_LENGTH);
    boolean ok = false;
    try {
      byte[] dst = out.array();
      int dstBase = out.arrayOffset();
      int written = 0;
      for (int f = 0; f < frames; f++) {
        int len = in.readUnsignedShort();
        byte[] src;
        int srcOff;
        if (in.hasArray()) {
          src = in.array();
          srcOff = in.arrayOffset() + in.readerIndex();
        } else {
          src = dst;
          srcOff = dstBase + written;
          in.getBytes(in.readerIndex(), src, srcOff, len);
        }
        written += receive.decryptWithAd(EMPTY, src, srcOff, len, dst, dstBase + written);
        in.skipBytes(len);
      }
      out.writerIndex(written);
      ok = written > 0;
      return ok ? out : null;
    } finally {
      if (!ok) {
        out.release();
      }
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (!(msg instanceof ByteBuf plain)) {
      encryptPending(ctx);
      ctx.write(msg, promise);
      return;
    }
    if (failed) {
      plain.release();
      promise.tryFailure(new NoiseException("noise transport failed"));
      return;
    }
    pending.add(plain);
    pendingBytes += plain.readableBytes();
    if (!promise.isVoid()) {
      pendingPromises.add(promise);
    }
    if (pendingBytes >= EAGER_ENCRYPT_BYTES) {
      encryptPending(ctx);
    }
  }

  @Override
  public void flush(ChannelHandlerContext ctx) throws Exception {
    encryptPending(ctx);
    ctx.flush();
  }

  /**
   * Encrypts every pending plaintext write into one buffer of full-size frames: the plaintext of a
   * frame is gathered straight into the output buffer (so small writes such as yamux headers share
   * a frame with the data behind them) and encrypted in place there.
   */
  private void encryptPending(ChannelHandlerContext ctx) {
    if (pending.isEmpty()) {
      return;
    }
    ChannelPromise promise = combinedPromise(ctx);
    int total = pendingBytes;
    if (total == 0) {
      releasePending();
      ctx.write(Unpooled.EMPTY_BUFFER, promise);
      return;
    }
    int frames = (total + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT;
    ByteBuf out = ctx.alloc().heapBuffer(total + frames * (2 + ChaChaPolyAead.TAG_LENGTH));
    try {
      byte[] dst = out.array();
      int pos = out.arrayOffset();
      int remaining = total;
      while (remaining > 0) {
        int chunk = Math.min(remaining, MAX_PLAINTEXT);
        dst[pos] = (byte) ((chunk + ChaChaPolyAead.TAG_LENGTH) >>> 8);
        dst[pos + 1] = (byte) (chunk + ChaChaPolyAead.TAG_LENGTH);
        int at = pos + 2;
        for (int need = chunk; need > 0; ) {
          ByteBuf head = pending.peek();
          int n = Math.min(need, head.readableBytes());
          head.readBytes(dst, at, n);
          at += n;
          need -= n;
          if (!head.isReadable()) {
            pending.poll().release();
          }
        }
        int n = send.encryptWithAd(EMPTY, dst, pos + 2, chunk, dst, pos + 2);
        pos += 2 + n;
        remaining -= chunk;
      }
      out.writerIndex(pos - out.arrayOffset());
      releasePending();
      ByteBuf toWrite = out;
      out = null;
      ctx.write(toWrite, promise);
    } catch (NoiseException e) {
      releasePending();
      promise.tryFailure(e);
      fail(ctx, e.getMessage());
    } finally {
      if (out != null) {
        out.release();
      }
    }
  }

  /** One promise standing for the promises of all pending writes (void when none is real). */
  private ChannelPromise combinedPromise(ChannelHandlerContext ctx) {
    ChannelPromise promise;
    if (pendingPromises.isEmpty()) {
      promise = ctx.voidPromise();
    } else if (pendingPromises.size() == 1) {
      promise = pendingPromises.get(0);
    } else {
      promise = ctx.newPromise();
      promise.addListener(new PromiseNotifier<Void, ChannelFuture>(
          pendingPromises.toArray(new ChannelPromise[0])));
    }
    pendingPromises.clear();
    return promise;
  }

  private void releasePending() {
    ByteBuf b;
    while ((b = pending.poll()) != null) {
      b.release();
    }
    pendingBytes = 0;
  }

  /** Drops writes that were never flushed (as Netty does on close) and fails their promises. */
  private void discardPending(Throwable cause) {
    releasePending();
    for (ChannelPromise p : pendingPromises) {
      p.tryFailure(cause);
    }
    pendingPromises.clear();
  }

  private void fail(ChannelHandlerContext ctx, String reason) {
    if (failed) {
      return;
    }
    failed = true;
    LOG.warn("noise transport with {} failed, closing: {}", ctx.channel().remoteAddress(), reason);
    releaseCumulation();
    discardPending(new NoiseException("noise transport failed: " + reason));
    ctx.close();
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
    discardPending(new ClosedChannelException());
    ctx.close(promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    releaseCumulation();
    discardPending(new ClosedChannelException());
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseCumulation();
    discardPending(new ClosedChannelException());
  }

  private void releaseCumulation() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }
}
