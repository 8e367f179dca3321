package dev.weft.net.yamux;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/** Helpers: an in-memory client/server pair, a recording stream handler, a frame parser. */
final class YamuxTestSupport {
  private YamuxTestSupport() {}

  /** Records everything a stream tells its handler. */
  static class Rec implements StreamHandler {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    boolean remoteClosed;
    boolean reset;
    int writabilityChanges;
    MuxedStream stream;

    @Override
    public void onData(MuxedStream stream, ByteBuf buf) {
      this.stream = stream;
      try {
        data.writeBytes(ByteBufUtil.getBytes(buf));
      } finally {
        buf.release();
      }
    }

    @Override
    public void onRemoteClose(MuxedStream stream) {
      remoteClosed = true;
    }

    @Override
    public void onReset(MuxedStream stream) {
      reset = true;
    }

    @Override
    public void onWritabilityChanged(MuxedStream stream) {
      writabilityChanges++;
    }

    String text() {
      return data.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  record Frame(int version, int type, int flags, int id, long length, byte[] payload) {}

  static byte[] drain(EmbeddedChannel ch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Object o;
    while ((o = ch.readOutbound()) != null) {
      ByteBuf b = (ByteBuf) o;
      out.writeBytes(ByteBufUtil.getBytes(b));
      b.release();
    }
    return out.toByteArray();
  }

  static List<Frame> parse(byte[] bytes) {
    ByteBuf in = Unpooled.wrappedBuffer(bytes);
    List<Frame> frames = new ArrayList<>();
    while (in.readableBytes() >= 12) {
      int v = in.readUnsignedByte();
      int t = in.readUnsignedByte();
      int f = in.readUnsignedShort();
      int id = in.readInt();
      long len = in.readUnsignedInt();
      byte[] payload = new byte[0];
      if (t == YamuxFrame.TYPE_DATA) {
        payload = new byte[(int) len];
        in.readBytes(payload);
      }
      frames.add(new Frame(v, t, f, id, len, payload));
    }
    return frames;
  }

  static ByteBuf frame(int type, int flags, int id, long length, byte[] payload) {
    ByteBuf b = Unpooled.buffer();
    YamuxFrame.writeHeader(b, type, flags, id, length);
    if (payload != null) {
      b.writeBytes(payload);
    }
    return b;
  }

  static YamuxConfig testConfig() {
    return YamuxConfig.defaults().withKeepAliveInterval(null);
  }

  /** Two sessions joined by hand: bytes move only when {@link #shuttle()} is called. */
  static final class Pair {
    final YamuxHandler client;
    final YamuxHandler server;
    final EmbeddedChannel clientCh;
    final EmbeddedChannel serverCh;
    final List<MuxedStream> serverInbound = new ArrayList<>();
    final List<Rec> serverRecs = new ArrayList<>();
    final List<MuxedStream> clientInbound = new ArrayList<>();
    /** When true the server echoes every byte back. */
    boolean echo;

    Pair() {
      this(testConfig(), testConfig());
    }

    Pair(YamuxConfig clientConfig, YamuxConfig serverConfig) {
      client = new YamuxHandler(true, s -> {
        clientInbound.add(s);
        s.setHandler(new Rec());
      }, clientConfig);
      server = new YamuxHandler(false, s -> {
        serverInbound.add(s);
        Rec r = new Rec() {
          @Override
          public void onData(MuxedStream stream, ByteBuf buf) {
            if (echo) {
              data.writeBytes(ByteBufUtil.getBytes(buf));
              stream.writeAndFlush(buf);
            } else {
              super.onData(stream, buf);
            }
          }
        };
        serverRecs.add(r);
        s.setHandler(r);
      }, serverConfig);
      clientCh = new EmbeddedChannel(client);
      serverCh = new EmbeddedChannel(server);
    }

    /** Moves bytes both ways until both sides are quiet; returns the bytes moved. */
    long shuttle() {
      long moved = 0;
      boolean progress = true;
      while (progress) {
        progress = false;
        clientCh.flushOutbound();
        serverCh.flushOutbound();
        Object o;
        while ((o = clientCh.readOutbound()) != null) {
          moved += ((ByteBuf) o).readableBytes();
          progress = true;
          if (serverCh.isOpen()) {
            serverCh.writeInbound(o);
          } else {
            ((ByteBuf) o).release();
          }
        }
        while ((o = serverCh.readOutbound()) != null) {
          moved += ((ByteBuf) o).readableBytes();
          progress = true;
          if (clientCh.isOpen()) {
            clientCh.writeInbound(o);
          } else {
            ((ByteBuf) o).release();
          }
        }
      }
      return moved;
    }

    void close() {
      clientCh.finishAndReleaseAll();
      serverCh.finishAndReleaseAll();
    }
  }
}
