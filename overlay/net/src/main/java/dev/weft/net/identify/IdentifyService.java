package dev.weft.net.identify;

import com.google.protobuf.ByteString;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.net.crypto.Keys;
import dev.weft.net.crypto.PeerRecord;
import dev.weft.net.host.Connection;
import dev.weft.net.host.Host;
import dev.weft.net.host.IdentifyInfo;
import dev.weft.net.host.ProtocolHandler;
import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import dev.weft.net.pb.IdentifyProto;
import dev.weft.net.stream.LengthPrefixedReader;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * identify ({@code /ipfs/id/1.0.0}) and identify push ({@code /ipfs/id/push/1.0.0}).
 *
 * <p>We identify every new connection (js and go gate their pubsub on it) and answer the remote's
 * identify. Messages are bounded at 8 KiB each and 10 per stream (js's limits; go splits large
 * ones in two and both are merged here). A peer whose identify carries a public key that does not
 * match the authenticated connection is disconnected with a logged reason.
 */
public final class IdentifyService {
  private static final Logger log = LoggerFactory.getLogger(IdentifyService.class);

  public static final String ID = "/ipfs/id/1.0.0";
  public static final String PUSH_ID = "/ipfs/id/push/1.0.0";
  public static final int MAX_MESSAGE_BYTES = 8 * 1024;
  public static final int MAX_MESSAGES = 10;
  public static final long TIMEOUT_MS = 5_000;

  private final Host host;
  private final BiConsumer<Connection, IdentifyInfo> sink;

  public IdentifyService(Host host, BiConsumer<Connection, IdentifyInfo> sink) {
    this.host = host;
    this.sink = sink;
  }

  /** Serves the remote's identify request: one message, then half-close. */
  public ProtocolHandler responder() {
    return (conn, stream) -> {
      byte[] msg = ourIdentify(conn).toByteArray();
      stream.writeAndFlush(LengthPrefixedReader.frame(conn.channel().alloc(), msg));
      stream.closeWrite();
      return DISCARD;
    };
  }

  /** Receives pushed updates and merges them into the connection's identify info. */
  public ProtocolHandler pushReceiver() {
    return (conn, stream) -> new Reader(conn, true).attach(stream);
  }

  /** Starts identifying {@code conn}; the result reaches the host's listeners. */
  public void identify(Connection conn) {
    Reader reader = new Reader(conn, false);
    host.newStream(conn, List.of(ID), reader).whenComplete((stream, err) -> {
      if (err != null) {
        reader.finish();
        log.debug("identify of {} could not open a stream: {}", conn.remotePeer(), err.toString());
      } else {
        reader.attach(stream);
      }
    });
  }

  /** Sends our current identify to every connected peer that accepts pushes. */
  public void pushToAll() {
    for (Connection conn : host.connections()) {
      IdentifyInfo info = conn.identify();
      if (info == null || !info.supports(PUSH_ID)) {
        continue;
      }
      byte[] msg = ourIdentify(conn).toByteArray();
      host.newStream(conn, List.of(PUSH_ID), DISCARD).whenComplete((stream, err) -> {
        if (err == null) {
          stream.writeAndFlush(LengthPrefixedReader.frame(conn.channel().alloc(), msg));
          stream.closeWrite();
        }
      });
    }
  }

  IdentifyProto.Identify ourIdentify(Connection conn) {
    IdentifyProto.Identify.Builder b = IdentifyProto.Identify.newBuilder()
        .setProtocolVersion(host.config().protocolVersion())
        .setAgentVersion(host.config().agentVersion())
        .setPublicKey(ByteString.copyFrom(host.config().identity().publicKey().toProtobuf()))
        .setObservedAddr(ByteString.copyFrom(conn.remoteAddr().toBytes()));
    for (Multiaddr a : host.listenAddrs()) {
      b.addListenAddrs(ByteString.copyFrom(a.toBytes()));
    }
    for (String p : new TreeSet<>(host.protocolIds())) {
      b.addProtocols(p);
    }
    byte[] record = signedPeerRecord(host.listenAddrs());
    if (record != null) {
      b.setSignedPeerRecord(ByteString.copyFrom(record));
    }
    return b.build();
  }

  private List<Multiaddr> recordAddrs;
  private byte[] record;

  /**
   * Our signed peer record (RFC 0003) for {@code addrs}, re-signed only when they change; peers
   * pass it on in GossipSub PX. The seq is the signing time in microseconds, as go and js use time.
   */
  private synchronized byte[] signedPeerRecord(List<Multiaddr> addrs) {
    if (addrs.isEmpty()) {
      return null;
    }
    if (!addrs.equals(recordAddrs)) {
      PeerRecord r = new PeerRecord(host.peerId(), System.currentTimeMillis() * 1000, addrs);
      record = r.toEnvelope(host.config().identity()).toBytes();
      recordAddrs = List.copyOf(addrs);
    }
    return record;
  }

  private static final StreamHandler DISCARD = new StreamHandler() {
    @Override
    public void onData(MuxedStream stream, ByteBuf data) {
      data.release();
    }

    @Override
    public void onRemoteClose(MuxedStream stream) {
      stream.closeWrite();
    }
  };

  /** Reads up to {@link #MAX_MESSAGES} identify messages until the remote half-closes. */
  private final class Reader implements StreamHandler {
    private final Connection conn;
    private final boolean push;
    private final IdentifyDecoder decoder;
    private final ScheduledFuture<?> timeout;
    private MuxedStream stream;
    private boolean done;

    Reader(Connection conn, boolean push) {
      this.conn = conn;
      this.push = push;
      this.decoder = new IdentifyDecoder(conn.channel().alloc());
      this.timeout = conn.eventLoop().schedule(
          () -> abort(stream, "timed out after " + TIMEOUT_MS + " ms"), TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    Reader attach(MuxedStream s) {
      this.stream = s;
      return this;
    }

    @Override
    public void onData(MuxedStream stream, ByteBuf data) {
      if (done) {
        data.release();
        return;
      }
      try {
        decoder.feed(data);
      } catch (LengthPrefixedReader.FrameException e) {
        abort(stream, e.getMessage());
      }
    }

    @Override
    public void onRemoteClose(MuxedStream stream) {
      if (done) {
        return;
      }
      int count = decoder.messageCount();
      IdentifyInfo info = null;
      String rejected = null;
      try {
        if (count > 0) {
          info = decoder.merge(push ? conn.identify() : null, conn.remotePeer(), push);
        }
      } catch (IllegalArgumentException e) {
        rejected = e.getMessage();
      } finally {
        finish();
      }
      stream.closeWrite();
      if (count == 0) {
        log.debug("identify{} from {} carried no message", push ? " push" : "", conn.remotePeer());
      } else if (rejected != null) {
        log.warn("identify from {} rejected, closing connection: {}", conn.remotePeer(), rejected);
        conn.close("bad identify: " + rejected);
      } else {
        sink.accept(conn, info);
      }
    }

    @Override
    public void onReset(MuxedStream stream) {
      finish();
    }

    private void abort(MuxedStream s, String reason) {
      if (done) {
        return;
      }
      finish();
      log.warn("identify{} from {} failed: {}", push ? " push" : "", conn.remotePeer(), reason);
      if (s != null) {
        s.reset();
      }
    }

    void finish() {
      if (done) {
        return;
      }
      done = true;
      timeout.cancel(false);
      decoder.release();
    }
  }
}
