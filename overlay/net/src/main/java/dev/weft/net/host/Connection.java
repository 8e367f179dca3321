package dev.weft.net.host;

import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.net.crypto.PubKey;
import dev.weft.net.mux.StreamMuxer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;

/**
 * An authenticated, multiplexed connection to one peer. Thread-safe to read; state changes happen
 * on {@link #eventLoop()}.
 */
public final class Connection {
  private final Channel channel;
  private final PeerId remotePeer;
  private final PubKey remoteKey;
  private final Direction direction;
  private final Multiaddr remoteAddr;
  private final long openedAtNanos;
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private volatile StreamMuxer muxer;
  private volatile IdentifyInfo identify;
  private volatile String closeReason;
  private volatile boolean announced;

  Connection(Channel channel, PeerId remotePeer, PubKey remoteKey, Direction direction,
      Multiaddr remoteAddr, long openedAtNanos) {
    this.channel = channel;
    this.remotePeer = remotePeer;
    this.remoteKey = remoteKey;
    this.direction = direction;
    this.remoteAddr = remoteAddr;
    this.openedAtNanos = openedAtNanos;
  }

  public PeerId remotePeer() {
    return remotePeer;
  }

  public PubKey remoteKey() {
    return remoteKey;
  }

  public Direction direction() {
    return direction;
  }

  /** The remote TCP address, without /p2p. */
  public Multiaddr remoteAddr() {
    return remoteAddr;
  }

  public EventLoop eventLoop() {
    return channel.eventLoop();
  }

  public Channel channel() {
    return channel;
  }

  public StreamMuxer muxer() {
    return muxer;
  }

  void muxer(StreamMuxer m) {
    this.muxer = m;
  }

  /** Identify information, or null until identify completed. */
  public IdentifyInfo identify() {
    return identify;
  }

  void identify(IdentifyInfo info) {
    this.identify = info;
  }

  public long openedAtNanos() {
    return openedAtNanos;
  }

  public boolean isOpen() {
    return channel.isActive() && !closed.isDone();
  }

  /** Completes with the close reason when the connection is gone. */
  public CompletableFuture<String> closeFuture() {
    return closed;
  }

  /** Closes the connection gracefully (muxer GoAway, then the socket) recording {@code reason}. */
  public void close(String reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
    eventLoop().execute(() -> {
      StreamMuxer m = muxer;
      if (m != null) {
        m.close();
      }
      channel.close();
    });
  }

  /** Listeners were told about this connection (so they must hear of its close too). */
  boolean announced() {
    return announced;
  }

  void markAnnounced() {
    announced = true;
  }

  String closeReason() {
    return closeReason;
  }

  void markClosed(String reason) {
    closed.complete(reason);
  }

  @Override
  public String toString() {
    return "Connection[" + direction.name().toLowerCase() + " " + remotePeer + " @ " + remoteAddr + "]";
  }
}
