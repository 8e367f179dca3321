package dev.weft.net.emulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The emulator on a real event loop with the real clock: order and lower bounds only. */
class LinkEmulatorLocalChannelTest {

  @Test
  void shouldDelayAndKeepOrderOnRealEventLoop() throws Exception {
    DefaultEventLoopGroup group = new DefaultEventLoopGroup(2);
    int n = 20;
    CountDownLatch all = new CountDownLatch(n);
    List<long[]> received = new CopyOnWriteArrayList<>();
    LinkEmulatorRegistry reg = new LinkEmulatorRegistry(5);
    reg.setLink("client", "server",
        LinkProfile.builder().latencyMs(60).jitterMs(30).lossRatio(0.1).lossPenaltyMs(50).build());
    try {
      LocalAddress addr = new LocalAddress("linkem-" + System.identityHashCode(this));
      Channel server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
          .childHandler(new ChannelInitializer<LocalChannel>() {
            @Override
            protected void initChannel(LocalChannel ch) {
              // LocalChannel may coalesce buffers written in separate flushes: frame them
              ch.pipeline().addLast(new FixedLengthFrameDecoder(16));
              ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                  received.add(new long[] {msg.getInt(msg.readerIndex()), System.nanoTime()});
                  all.countDown();
                }
              });
            }
          }).bind(addr).sync().channel();
      Channel client = new Bootstrap().group(group).channel(LocalChannel.class)
          .handler(new ChannelInitializer<LocalChannel>() {
            @Override
            protected void initChannel(LocalChannel ch) {
              ch.pipeline().addFirst(reg.attach("client", "server"));
            }
          }).connect(addr).sync().channel();
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
      // the emulator leaves the registry when its channel goes inactive, just after close completes
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (reg.liveCount() != 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(0, reg.liveCount());
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
