package dev.weft.net.yamux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.weft.net.multistream.StreamNegotiator;
import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A client and a server session on real event loops (Netty local transport). */
class YamuxLocalChannelTest {

  /** Echoes every byte and half-closes when the remote does. */
  static final class Echo implements StreamHandler {
    @Override
    public void onData(MuxedStream stream, ByteBuf data) {
      stream.writeAndFlush(data);
    }

    @Override
    public void onRemoteClose(MuxedStream stream) {
      stream.closeWrite();
    }
  }

  @Test
  void shouldNegotiateAndEchoOneMegabyteAcrossEventLoops() throws Exception {
    DefaultEventLoopGroup group = new DefaultEventLoopGroup(2);
    YamuxConfig cfg = YamuxConfig.defaults().withKeepAliveInterval(null);
    LocalAddress addr = new LocalAddress("yamux-" + System.nanoTime());
    try {
      new ServerBootstrap().group(group).channel(LocalServerChannel.class)
          .childHandler(new ChannelInitializer<LocalChannel>() {
            @Override
            protected void initChannel(LocalChannel ch) {
              ch.pipeline().addLast(new YamuxHandler(false,
                  s -> StreamNegotiator.listen(s, Map.of("/echo/1.0.0", Echo::new)), cfg));
            }
          }).bind(addr).sync();
      YamuxHandler client = new YamuxHandler(true, MuxedStream::reset, cfg);
      Channel ch = new Bootstrap().group(group).channel(LocalChannel.class)
          .handler(client).connect(addr).sync().channel();

      byte[] payload = new byte[1024 * 1024];
      for (int i = 0; i < payload.length; i++) {
        payload[i] = (byte) (i ^ (i >>> 9));
      }
      CompletableFuture<byte[]> echoed = new CompletableFuture<>();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      ch.eventLoop().execute(() -> {
        MuxedStream s = client.openStream(new StreamHandler() {
          @Override
          public void onData(MuxedStream stream, ByteBuf data) {
            got.writeBytes(ByteBufUtil.getBytes(data));
            data.release();
          }
        });
        StreamNegotiator.dial(s, List.of("/echo/1.0.0"), new StreamHandler() {
          @Override
          public void onData(MuxedStream stream, ByteBuf data) {
            got.writeBytes(ByteBufUtil.getBytes(data));
            data.release();
          }

          @Override
          public void onRemoteClose(MuxedStream stream) {
            echoed.complete(got.toByteArray());
          }

          @Override
          public void onReset(MuxedStream stream) {
            echoed.completeExceptionally(new IllegalStateException("reset"));
          }
        }).thenRun(() -> {
          for (int off = 0; off < payload.length; off += 10_000) {
            s.write(Unpooled.wrappedBuffer(payload, off, Math.min(10_000, payload.length - off)));
          }
          s.closeWrite();
        });
      });
      assertArrayEquals(payload, echoed.get(20, TimeUnit.SECONDS));
      CompletableFuture<Integer> count = new CompletableFuture<>();
      ch.eventLoop().execute(() -> count.complete(client.openStreamCount()));
      assertEquals(0, count.get(5, TimeUnit.SECONDS), "stream gone after both FINs");
      ch.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
