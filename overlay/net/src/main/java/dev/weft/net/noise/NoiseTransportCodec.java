package dev.weft.net.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.FastThreadLocal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Noise transport phase: inbound, reassembles {@code uint16 BE length || ciphertext} frames across
 * reads and decrypts them (all complete frames of one read into a single buffer); outbound, splits
 * each written {@link ByteBuf} into chunks of at most {@value #MAX_PLAINTEXT} bytes, encrypts and
 * frames them into one buffer. Installed by {@link NoiseHandshakeHandler}.
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
  /** Per event-loop scratch for copying direct-buffer bytes into an array for the cipher. */
  private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[MAX_FRAME];
    }
  };

  private final CipherState send;
  private final CipherState receive;
  private ByteBuf cumulation;
  private boolean failed;

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
    ByteBuf out = alloc.heapBuffer(Math.max(total, 1));
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
          src = SCRATCH.get();
          in.getBytes(in.readerIndex(), src, 0, len);
          srcOff = 0;
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
      ctx.write(msg, promise);
      return;
    }
    ByteBuf out = null;
    try {
      int len = plain.readableBytes();
      if (len == 0) {
        ctx.write(plain.retain(), promise);
        return;
      }
      int frames = (len + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT;
      out = ctx.alloc().heapBuffer(len + frames * (2 + ChaChaPolyAead.TAG_LENGTH));
      byte[] dst = out.array();
      int dstBase = out.arrayOffset();
      while (plain.isReadable()) {
        int chunk = Math.min(plain.readableBytes(), MAX_PLAINTEXT);
        out.writeShort(chunk + ChaChaPolyAead.TAG_LENGTH);
        byte[] src;
        int srcOff;
        if (plain.hasArray()) {
          src = plain.array();
          srcOff = plain.arrayOffset() + plain.readerIndex();
        } else {
          src = SCRATCH.get();
          plain.getBytes(plain.readerIndex(), src, 0, chunk);
          srcOff = 0;
        }
        int n = send.encryptWithAd(EMPTY, src, srcOff, chunk, dst, dstBase + out.writerIndex());
        out.writerIndex(out.writerIndex() + n);
        plain.skipBytes(chunk);
      }
      ByteBuf toWrite = out;
      out = null;
      ctx.write(toWrite, promise);
    } catch (NoiseException e) {
      promise.tryFailure(e);
      fail(ctx, e.getMessage());
    } finally {
      plain.release();
      if (out != null) {
        out.release();
      }
    }
  }

  private void fail(ChannelHandlerContext ctx, String reason) {
    if (failed) {
      return;
    }
    failed = true;
    LOG.warn("noise transport with {} failed, closing: {}", ctx.channel().remoteAddress(), reason);
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    releaseCumulation();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseCumulation();
  }

  private void releaseCumulation() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }
}
