package dev.weft.it.health;

import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.MessageIdFn;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import io.netty.buffer.ByteBufUtil;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.host.Connection;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostConfig;
import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import dev.weft.net.pubsub.RpcCodec;
import dev.weft.net.stream.LengthPrefixedReader;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hostile peer built from weft's own connection stack: a real Host (Noise, yamux, identify) that
 * speaks pubsub by hand. It accepts the victim's pubsub stream and discards what arrives (never
 * forwarding anything), and writes whatever RPCs or raw frames a test crafts on its own stream.
 */
final class RawAttacker implements AutoCloseable {
  static final String PROTOCOL = "/meshsub/1.1.0";
  private static final StreamHandler DISCARD = (stream, data) -> data.release();

  final Host host;
  final AtomicLong bytesReceived = new AtomicLong();
  /** IDs of the messages the victim sent us. */
  final List<MessageId> received = new CopyOnWriteArrayList<>();
  private Connection conn;
  private MuxedStream out;

  RawAttacker() {
    host = new Host(HostConfig.builder(Ed25519Keys.generate(new SecureRandom())).ioThreads(1)
        .build());
    host.registerProtocol(PROTOCOL, (c, s) -> {
      LengthPrefixedReader reader = new LengthPrefixedReader(c.channel().alloc(), 1 << 20);
      return (stream, data) -> {
        bytesReceived.addAndGet(data.readableBytes());
        reader.feed(data, frame -> {
          try {
            for (PubMessage m : RpcCodec.decode(ByteBufUtil.getBytes(frame),
                RpcCodec.Limits.defaults()).messages()) {
              received.add(MessageIdFn.goDefault().apply(m));
            }
          } catch (RpcCodec.DecodeException e) {
            throw new IllegalStateException(e);
          } finally {
            frame.release();
          }
        });
      };
    });
  }

  PeerId id() {
    return host.peerId();
  }

  /** Connects to the victim and opens our pubsub stream. */
  RawAttacker connect(Multiaddr victim) throws Exception {
    conn = host.dial(victim).get(20, TimeUnit.SECONDS);
    reopen();
    return this;
  }

  /** Opens a new outbound pubsub stream (after the victim reset the previous one). */
  void reopen() throws Exception {
    out = host.newStream(conn, List.of(PROTOCOL), DISCARD).get(20, TimeUnit.SECONDS);
  }

  boolean connected() {
    return conn != null && conn.isOpen();
  }

  void send(Rpc rpc) {
    sendRaw(RpcCodec.encode(rpc));
  }

  /** Writes one length-prefixed frame with {@code payload}. */
  void sendRaw(byte[] payload) {
    MuxedStream s = out;
    s.eventLoop().execute(() -> s.writeAndFlush(
        LengthPrefixedReader.frame(conn.channel().alloc(), payload)));
  }

  @Override
  public void close() {
    host.close();
  }
}
