package dev.weft.net.emulation;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.channel.PendingWriteQueue;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shapes the outbound bytes of one connection according to a {@link LinkProfile}: latency and
 * jitter, a bandwidth cap, TCP-like loss, and partitions. Put it at the head of the pipeline
 * (closest to the socket, {@code pipeline.addFirst}) so it delays the encrypted, muxed bytes the way
 * a network would. Inbound traffic passes untouched: each side shapes its own sends, so a
 * symmetric link needs an emulator on both ends (see {@link LinkEmulatorRegistry}).
 *
 * <p>For a write of {@code n} bytes made at time {@code t} (all in the event loop's thread):
 *
 * <ol>
 *   <li>serialisation: it leaves at {@code tx = max(t, previous tx) + n / bandwidth} (0 if
 *       unlimited), a FIFO link with no burst allowance;
 *   <li>propagation: {@code delay = max(0, latency + U[-jitter, +jitter])}, plus the loss penalty
 *       with probability {@code lossRatio};
 *   <li>ordering: it is handed to the socket at {@code max(tx + delay, previous release)}, so bytes
 *       are never reordered (TCP is ordered: a late segment holds back everything behind it).
 * </ol>
 *
 * <p>The timing of a write is fixed when it is made, so a profile change affects later writes
 * only (but never lets them overtake earlier ones). While the link is partitioned in
 * {@link PartitionMode#HOLD} mode, writes are queued without a time; on heal they are timed with
 * the new profile from the moment of healing. In {@link PartitionMode#CLOSE} mode the connection is
 * closed and queued writes fail. Released writes are flushed immediately (the emulator does not
 * track the caller's flush points). A {@code close()} waits for queued writes to leave, like a FIN
 * behind data, unless the link is partitioned, in which case queued writes are failed and released
 * at once. Writes still queued when the channel goes inactive are failed and released.
 *
 * <p>Queued writes are held in a Netty {@link PendingWriteQueue}, so they count towards the
 * channel's pending outbound bytes: a slow or partitioned link makes the channel unwritable past
 * its high water mark, as a full TCP send buffer would, and the backlog is visible to whoever
 * measures it ({@code Channel.bytesBeforeWritable()}, {@link #stats()}).
 *
 * <p>{@link #setProfile} may be called from any thread; the change is applied on the event loop.
 * Randomness (jitter, loss) comes from the injected generator, used only on the event loop, so a
 * seeded generator gives a reproducible sequence of delays. Time comes from the injected clock,
 * which must be the clock of the channel's event loop (the default, {@link System#nanoTime()},
 * is for real event loops; tests with a frozen {@code EmbeddedChannel} pass their own).
 */
public final class LinkEmulator extends ChannelDuplexHandler {
  private static final Logger LOG = LoggerFactory.getLogger(LinkEmulator.class);
  private static final long UNTIMED = Long.MIN_VALUE;
  private static final long MS = 1_000_000L;

  private final RandomGenerator random;
  private final LongSupplier clock;
  /** Release times of the queued writes, parallel to {@link #pending}. */
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  /** The queued writes; counted in the channel's pending outbound bytes (writability). */
  private PendingWriteQueue pending;
  private volatile LinkProfile profile;
  private volatile Runnable onRemoved;
  private volatile LinkEmulatorRegistry.LinkKey key;

  private volatile ChannelHandlerContext ctx;
  private long txFreeNs = Long.MIN_VALUE;
  private long lastReleaseNs = Long.MIN_VALUE;
  private ScheduledFuture<?> timer;
  private long timerAtNs;
  private ChannelPromise deferredClose;

  private volatile long writes;
  private volatile long delayedWrites;
  private volatile long lossEvents;
  private volatile long bytes;
  private volatile int queued;
  private volatile long queuedBytes;

  /** An emulator using the event loop's real clock ({@link System#nanoTime()}). */
  public LinkEmulator(LinkProfile profile, RandomGenerator random) {
    this(profile, random, System::nanoTime);
  }

  /**
   * An emulator with an explicit clock (nanoseconds, monotonic, the same time base the channel's
   * event loop schedules in).
   */
  public LinkEmulator(LinkProfile profile, RandomGenerator random, LongSupplier clock) {
    this.profile = Objects.requireNonNull(profile, "profile");
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The current profile. */
  public LinkProfile profile() {
    return profile;
  }

  /** Replaces the profile; thread-safe, applied on the channel's event loop. */
  public void setProfile(LinkProfile newProfile) {
    profile = Objects.requireNonNull(newProfile, "profile");
    ChannelHandlerContext c = ctx;
    if (c != null) {
      c.executor().execute(this::onProfileChanged);
    }
  }

  /** Counters, readable from any thread (each is exact; together they are not atomic). */
  public Stats stats() {
    return new Stats(writes, delayedWrites, lossEvents, bytes, queued, queuedBytes);
  }

  /**
   * Counters of an emulator.
   *
   * @param writes writes seen
   * @param delayedWrites writes that went through the queue instead of straight to the socket
   * @param lossEvents writes that drew a loss (and its penalty)
   * @param bytes bytes written
   * @param queued writes queued now
   * @param queuedBytes bytes queued now (as the channel's size estimator counts them)
   */
  public record Stats(
      long writes, long delayedWrites, long lossEvents, long bytes, int queued, long queuedBytes) {}

  LinkEmulatorRegistry.LinkKey key() {
    return key;
  }

  void bind(LinkEmulatorRegistry.LinkKey k, Runnable removed) {
    key = k;
    onRemoved = removed;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext c) {
    ctx = c;
    pending = new PendingWriteQueue(c);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext c) {
    cancelTimer();
    if (!queue.isEmpty()) {
      if (c.channel().isActive()) {
        // leaving the pipeline: let the bytes go rather than lose them
        queue.clear();
        pending.removeAndWriteAll();
        c.flush();
        ChannelPromise close = deferredClose;
        deferredClose = null;
        if (close != null) {
          c.close(close);
        }
      } else {
        failAll(new ClosedChannelException());
      }
    }
    updateGauges();
    Runnable r = onRemoved;
    if (r != null) {
      r.run();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext c) throws Exception {
    failAll(new ClosedChannelException());
    Runnable r = onRemoved;
    if (r != null) {
      r.run();
    }
    super.channelInactive(c);
  }

  @Override
  public void write(ChannelHandlerContext c, Object msg, ChannelPromise promise) {
    LinkProfile p = profile;
    long size = sizeOf(msg);
    writes++;
    bytes += size;
    if (p.partitioned() && p.partitionMode() == PartitionMode.CLOSE) {
      ReferenceCountUtil.safeRelease(msg);
      promise.tryFailure(new IOException("link partitioned (emulated)"));
      LOG.debug("closing {}: write while partitioned in CLOSE mode", c.channel());
      failAll(new IOException("link partitioned (emulated)"));
      c.close();
      return;
    }
    if (queue.isEmpty() && p.isIdeal()) {
      c.write(msg, promise);
      return;
    }
    delayedWrites++;
    Pending e = new Pending(size);
    Pending tail = queue.peekLast();
    if (!p.partitioned() && (tail == null || tail.releaseNs != UNTIMED)) {
      time(e, p, clock.getAsLong());
    }
    queue.addLast(e);
    pending.add(msg, promise);
    updateGauges();
    drain();
  }

  @Override
  public void flush(ChannelHandlerContext c) {
    c.flush();
  }

  @Override
  public void close(ChannelHandlerContext c, ChannelPromise promise) {
    if (queue.isEmpty()) {
      c.close(promise);
      return;
    }
    if (profile.partitioned() || deferredClose != null) {
      failAll(new ClosedChannelException()); // also completes an earlier deferred close
      c.close(promise);
      return;
    }
    deferredClose = promise;
  }

  private void onProfileChanged() {
    ChannelHandlerContext c = ctx;
    if (c == null || c.isRemoved()) {
      return;
    }
    LinkProfile p = profile;
    if (p.partitioned() && p.partitionMode() == PartitionMode.CLOSE) {
      if (c.channel().isOpen()) {
        LOG.debug("closing {}: link partitioned in CLOSE mode", c.channel());
        failAll(new IOException("link partitioned (emulated)"));
        c.close();
      }
      return;
    }
    drain();
  }

  /** Times untimed writes (if connected), releases due ones, and arms the timer for the next. */
  private void drain() {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      return;
    }
    LinkProfile p = profile;
    if (p.partitioned()) {
      return;
    }
    long now = clock.getAsLong();
    for (Pending e : queue) {
      if (e.releaseNs == UNTIMED) {
        time(e, p, now);
      }
    }
    boolean wrote = false;
    while (!queue.isEmpty()) {
      Pending e = queue.peekFirst();
      if (e.releaseNs > now) {
        arm(e.releaseNs, now);
        break;
      }
      queue.pollFirst();
      pending.removeAndWrite();
      wrote = true;
    }
    updateGauges();
    if (wrote) {
      c.flush();
    }
    if (queue.isEmpty() && deferredClose != null) {
      ChannelPromise close = deferredClose;
      deferredClose = null;
      c.close(close);
    }
  }

  private void time(Pending e, LinkProfile p, long now) {
    long start = Math.max(now, txFreeNs);
    long serial = 0;
    if (p.bandwidthBytesPerSec() > 0) {
      serial = (long) Math.ceil(e.size * 1e9 / p.bandwidthBytesPerSec());
    }
    txFreeNs = start + serial;
    long delay = p.latencyMs() * MS;
    if (p.jitterMs() > 0) {
      long j = p.jitterMs() * MS;
      delay += random.nextLong(2 * j + 1) - j;
      delay = Math.max(0, delay);
    }
    if (p.lossRatio() > 0 && random.nextDouble() < p.lossRatio()) {
      delay += p.lossPenaltyMs() * MS;
      lossEvents++;
    }
    long release = Math.max(txFreeNs + delay, lastReleaseNs);
    lastReleaseNs = release;
    e.releaseNs = release;
  }

  private void arm(long atNs, long now) {
    if (timer != null && !timer.isDone()) {
      if (timerAtNs <= atNs) {
        return;
      }
      timer.cancel(false);
    }
    timerAtNs = atNs;
    timer = ctx.executor().schedule(this::onTimer, atNs - now, TimeUnit.NANOSECONDS);
  }

  private void onTimer() {
    timer = null;
    if (ctx != null && !ctx.isRemoved()) {
      drain();
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void failAll(Throwable cause) {
    cancelTimer();
    queue.clear();
    if (pending != null) {
      pending.removeAndFailAll(cause); // releases the messages
    }
    updateGauges();
    ChannelPromise close = deferredClose;
    deferredClose = null;
    if (close != null && ctx != null) {
      ctx.close(close);
    }
  }

  private void updateGauges() {
    queued = queue.size();
    queuedBytes = pending == null ? 0 : pending.bytes();
  }

  private static long sizeOf(Object msg) {
    if (msg instanceof ByteBuf b) {
      return b.readableBytes();
    }
    if (msg instanceof ByteBufHolder h) {
      return h.content().readableBytes();
    }
    if (msg instanceof FileRegion f) {
      return f.count() - f.transferred();
    }
    return 0;
  }

  private static final class Pending {
    final long size;
    long releaseNs = UNTIMED;

    Pending(long size) {
      this.size = size;
    }
  }
}
