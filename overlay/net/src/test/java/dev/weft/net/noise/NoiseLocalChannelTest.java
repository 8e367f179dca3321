package dev.weft.net.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.crypto.PrivKey;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Handshake and bulk transfer over a real (local) Netty transport on event-loop threads. */
class NoiseLocalChannelTest {
  private static final List<String> YAMUX = List.of("/yamux/1.0.0");

  /** Completes {@code secured} on NoiseSecured and {@code done} once {@code expect} bytes arrived. */
  static final class Sink extends ChannelInboundHandlerAdapter {
    final CompletableFuture<NoiseSecured> secured = new CompletableFuture<>();
    final CompletableFuture<byte[]> done = new CompletableFuture<>();
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    final int expect;

    Sink(int expect) {
      this.expect = expect;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof NoiseSecured s) {
        secured.complete(s);
      } else if (evt instanceof NoiseFailed f) {
        secured.completeExceptionally(new AssertionError(f.reason()));
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      try {
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        data.writeBytes(bytes);
      } finally {
        b.release();
      }
      if (data.size() >= expect) {
        done.complete(data.toByteArray());
      }
    }
  }

  @Test
  void shouldHandshakeAndTransferOverLocalChannels() throws Exception {
    SecureRandom random = new SecureRandom();
    PrivKey clientKey = Ed25519Keys.generate(random);
    PrivKey serverKey = Ed25519Keys.generate(random);
    byte[] payload = new byte[300_000];
    new Random(3).nextBytes(payload);
    Sink serverSink = new Sink(payload.length);
    Sink clientSink = new Sink(Integer.MAX_VALUE);
    EventLoopGroup group = new DefaultEventLoopGroup(2);
    LocalAddress addr = new LocalAddress("noise-test-" + System.identityHashCode(this));
    try {
      Channel server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
          .childHandler(new ChannelInitializer<LocalChannel>() {
            @Override
            protected void initChannel(LocalChannel ch) {
              ch.pipeline().addLast(new NoiseHandshakeHandler(serverKey, false, null, YAMUX), serverSink);
            }
          }).bind(addr).sync().channel();
      Channel client = new Bootstrap().group(group).channel(LocalChannel.class)
          .handler(new ChannelInboundHandlerAdapter()).connect(addr).sync().channel();
      // Added once the channel is active, as after multistream-select.
      client.eventLoop().submit(() -> client.pipeline().addLast(
          new NoiseHandshakeHandler(clientKey, true, serverKey.publicKey().peerId(), YAMUX), clientSink))
          .sync();

      NoiseSecured cs = clientSink.secured.get(10, TimeUnit.SECONDS);
      NoiseSecured ss = serverSink.secured.get(10, TimeUnit.SECONDS);
      assertEquals(serverKey.publicKey().peerId(), cs.remotePeer());
      assertEquals(clientKey.publicKey().peerId(), ss.remotePeer());
      assertEquals("/yamux/1.0.0", cs.earlyMuxerOrNull());

      // A direct buffer exercises the copy-to-scratch path of the encoder.
      ByteBuf direct = client.alloc().directBuffer(payload.length);
      direct.writeBytes(payload);
      client.writeAndFlush(direct).sync();
      assertArrayEquals(payload, serverSink.done.get(10, TimeUnit.SECONDS));
      client.close().sync();
      server.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
