package dev.weft.net.pubsub;

import dev.weft.core.feed.DropReason;
import dev.weft.core.feed.PrioritySendQueue;
import dev.weft.core.feed.SendClassifier;
import dev.weft.core.feed.SendPriority;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.Rpc;
import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import dev.weft.net.stream.LengthPrefixedReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our outbound pubsub stream to one peer, behind a {@link PrioritySendQueue}: RPCs are split by
 * class (control, own messages, forwards, gossip), encoded and queued on the stream's event loop,
 * and written while the stream is writable (yamux/mplex flow control and the socket's high-water
 * mark). A peer that cannot keep up loses gossip first, then forwards; every drop is counted by
 * reason, and a peer whose backlog outlasts {@link Limits#slowAfterNs} is reported slow.
 */
final class PeerSendQueue implements StreamHandler {
  private static final Logger log = LoggerFactory.getLogger(PeerSendQueue.class);

  /**
   * Queue bounds.
   *
   * @param maxBytes queued encoded bytes per peer before lower classes are shed
   * @param slowBytes backlog above which a peer may be slow
   * @param slowAfterNs how long the backlog must last
   */
  record Limits(long maxBytes, long slowBytes, long slowAfterNs) {
    static Limits defaults() {
      return new Limits(32L << 20, 1L << 20, 1_000_000_000L);
    }
  }

  /** Drop counters and slow-peer tally shared by all of a node's queues (any thread). */
  static final class Stats {
    private final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);
    private final java.util.Set<PeerId> slow = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Map<DropReason, Long> drops() {
      Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
      for (DropReason r : DropReason.values()) {
        long v = drops.get(r.ordinal());
        if (v != 0) {
          m.put(r, v);
        }
      }
      return m;
    }

    java.util.Set<PeerId> slowPeers() {
      return java.util.Set.copyOf(slow);
    }
  }

  private final PeerId peer;
  private final MuxedStream out;
  private final ByteBufAllocator alloc;
  private final byte[] selfBytes;
  private final PrioritySendQueue<byte[]> queue;
  private final PubSub.RpcObserver observer;
  private boolean closed;

  PeerSendQueue(PeerId peer, MuxedStream out, ByteBufAllocator alloc, PeerId self, Limits limits,
      Stats stats, PubSub.RpcObserver observer) {
    this.peer = peer;
    this.observer = observer;
    this.out = out;
    this.alloc = alloc;
    this.selfBytes = self.toBytes();
    this.queue = new PrioritySendQueue<>(limits.maxBytes(), limits.slowBytes(),
        limits.slowAfterNs(), new PrioritySendQueue.Listener<>() {
          @Override
          public void onDrop(byte[] item, int bytes, SendPriority priority, DropReason reason) {
            stats.drops.incrementAndGet(reason.ordinal());
          }

          @Override
          public void onSlowChanged(boolean slow, long nowNs) {
            if (slow) {
              stats.slow.add(peer);
              log.info("pubsub peer {} is slow: {} bytes queued", peer, queue().queuedBytes());
            } else {
              stats.slow.remove(peer);
              log.info("pubsub peer {} caught up", peer);
            }
          }
        });
  }

  private PrioritySendQueue<byte[]> queue() {
    return queue;
  }

  /** Queues {@code rpc} (from any thread); encoding and writing happen on the stream's loop. */
  void send(Rpc rpc) {
    out.eventLoop().execute(() -> {
      if (closed) {
        return;
      }
      long now = System.nanoTime();
      for (SendClassifier.Part part : SendClassifier.split(rpc, selfBytes)) {
        byte[] bytes = RpcCodec.encode(part.rpc());
        observer.onRpc(peer, false, bytes.length, part.rpc());
        queue.offer(bytes, bytes.length, part.priority(), now);
      }
      drain();
    });
  }

  /** Discards what is queued (peer gone), counting it. */
  void close() {
    out.eventLoop().execute(() -> {
      closed = true;
      queue.clear(System.nanoTime());
    });
  }

  private void drain() {
    boolean wrote = false;
    long now = System.nanoTime();
    while (out.isWritable()) {
      byte[] b = queue.poll(now);
      if (b == null) {
        break;
      }
      out.write(LengthPrefixedReader.frame(alloc, b));
      wrote = true;
    }
    if (wrote) {
      out.flush();
    }
    queue.isSlow(now);
  }

  @Override
  public void onData(MuxedStream stream, ByteBuf data) {
    data.release(); // nothing is expected on our outbound stream
  }

  @Override
  public void onWritabilityChanged(MuxedStream stream) {
    if (!closed && stream.isWritable()) {
      drain();
    }
  }

  @Override
  public void onReset(MuxedStream stream) {
    close();
  }

  @Override
  public String toString() {
    return "PeerSendQueue[" + peer + "]";
  }
}
