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
 *
 * <p>Batching: {@link #send} only appends to a lock-free inbox and, if none is pending, queues one
 * task on the stream's loop; everything the core sent by the time that task runs is encoded and
 * written with one flush (one Noise frame and one socket write for the lot). Consecutive queued
 * parts that carry only messages are written as one length-prefixed RPC frame of up to
 * {@value #MAX_MERGED_FRAME} bytes: concatenated protobuf encodings of RPCs are the encoding of the
 * RPC with all their messages (repeated fields append), which every implementation decodes alike.
 * Parts with control or subscriptions are never merged (js replaces, rather than merges, a
 * repeated singular {@code control} field). Under light load the task runs at once and nothing
 * waits; under heavy load batches grow by themselves.
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
  /** Largest merged frame of message-only parts (peers accept 1 MiB; keep frames short). */
  static final int MAX_MERGED_FRAME = 64 * 1024;

  /** One encoded part; {@code messagesOnly} parts may share a frame. */
  private record Encoded(byte[] body, boolean messagesOnly) {}

  private final PrioritySendQueue<Encoded> queue;
  private final PubSub.RpcObserver observer;
  private final Stats stats;
  /** RPCs from the core loop not yet encoded; drained on the stream's loop. */
  private final java.util.Queue<Rpc> inbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean scheduled =
      new java.util.concurrent.atomic.AtomicBoolean();
  /** Bodies polled for the frame being built (stream loop only). */
  private final java.util.ArrayList<byte[]> batch = new java.util.ArrayList<>();
  private boolean closed;

  PeerSendQueue(PeerId peer, MuxedStream out, ByteBufAllocator alloc, PeerId self, Limits limits,
      Stats stats, PubSub.RpcObserver observer) {
    this.peer = peer;
    this.observer = observer;
    this.stats = stats;
    this.out = out;
    this.alloc = alloc;
    this.selfBytes = self.toBytes();
    this.queue = new PrioritySendQueue<>(limits.maxBytes(), limits.slowBytes(),
        limits.slowAfterNs(), new PrioritySendQueue.Listener<>() {
          @Override
          public void onDrop(Encoded item, int bytes, SendPriority priority, DropReason reason) {
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

  private PrioritySendQueue<Encoded> queue() {
    return queue;
  }

  /** Queues {@code rpc} (from any thread); encoding and writing happen on the stream's loop. */
  void send(Rpc rpc) {
    inbox.add(rpc);
    if (scheduled.compareAndSet(false, true)) {
      out.eventLoop().execute(this::takeInbox);
    }
  }

  /** Encodes and queues everything sent so far, then writes what the stream takes. */
  private void takeInbox() {
    scheduled.set(false); // a send after this point schedules another pass
    long now = System.nanoTime();
    for (Rpc rpc; (rpc = inbox.poll()) != null; ) {
      if (closed) {
        stats.drops.incrementAndGet(DropReason.PEER_GONE.ordinal()); // sent after the peer left
        continue;
      }
      for (SendClassifier.Part part : SendClassifier.split(rpc, selfBytes)) {
        Rpc r = part.rpc();
        byte[] bytes = RpcCodec.encode(r);
        observer.onRpc(peer, false, bytes.length, r);
        boolean messagesOnly = r.subscriptions().isEmpty() && r.control() == null;
        queue.offer(new Encoded(bytes, messagesOnly), bytes.length, part.priority(), now);
      }
    }
    if (!closed) {
      drain();
    }
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
      Encoded first = queue.poll(now);
      if (first == null) {
        break;
      }
      int size = first.body().length;
      batch.add(first.body());
      if (first.messagesOnly()) {
        for (Encoded next; (next = queue.peek()) != null && next.messagesOnly()
            && size + next.body().length <= MAX_MERGED_FRAME; ) {
          queue.poll(now);
          batch.add(next.body());
          size += next.body().length;
        }
      }
      out.write(frame(size));
      wrote = true;
    }
    if (wrote) {
      out.flush();
    }
    queue.isSlow(now);
  }

  /** One length-prefixed frame holding the bodies in {@link #batch} (cleared). */
  private ByteBuf frame(int size) {
    ByteBuf buf = alloc.buffer(size + 5);
    LengthPrefixedReader.writeUvarint(buf, size);
    for (byte[] b : batch) {
      buf.writeBytes(b);
    }
    batch.clear();
    return buf;
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
