package dev.weft.net.emulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The emulator on a real TCP connection over loopback with the real clock. Wall-clock assertions
 * are lower bounds only; order is exact.
 */
class LinkEmulatorSocketTest {

  @Test
  void shouldDelayAndKeepOrderOnRealConnection() throws Exception {
    NioEventLoopGroup group = new NioEventLoopGroup(2);
    int n = 20;
    CountDownLatch all = new CountDownLatch(n);
    List<long[]> received = new CopyOnWriteArrayList<>();
    LinkEmulatorRegistry reg = new LinkEmulatorRegistry(5);
    reg.setLink("client", "server",
        LinkProfile.builder().latencyMs(60).jitterMs(30).lossRatio(0.1).lossPenaltyMs(50).build());
    try {
      Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new FixedLengthFrameDecoder(16),
                  new SimpleChannelInboundHandler<ByteBuf>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                      received.add(new long[] {msg.getInt(msg.readerIndex()), System.nanoTime()});
                      all.countDown();
                    }
                  });
            }
          }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
      Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addFirst(reg.attach("client", "server"));
            }
          }).connect(server.localAddress()).sync().channel();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        client.writeAndFlush(EmulatedChannel.message(i, 16));
      }
      assertTrue(all.await(30, TimeUnit.SECONDS), "all delivered, received " + received.size());
      assertEquals(LongStream.range(0, n).boxed().toList(),
          received.stream().map(r -> r[0]).toList(), "in order");
      long firstArrivalMs = (received.get(0)[1] - start) / 1_000_000;
      assertTrue(firstArrivalMs >= 30, "latency - jitter is a lower bound: " + firstArrivalMs);
      client.close().sync();
      server.close().sync();
      assertEquals(0, reg.liveCount());
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
