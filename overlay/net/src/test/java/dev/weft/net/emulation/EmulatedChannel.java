package dev.weft.net.emulation;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Test harness: an EmbeddedChannel with frozen time and an emulator at the head of its pipeline,
 * whose clock advances together with the channel's scheduler. Messages are buffers starting with
 * an int sequence number.
 */
final class EmulatedChannel {
  static final long MS = 1_000_000L;

  final AtomicLong clock;
  final EmbeddedChannel ch;
  final LinkEmulator em;
  /** Released (sequence, time in ms since start) pairs collected by {@link #collect()}. */
  final List<long[]> out = new ArrayList<>();
  private final long startNs;

  EmulatedChannel(Function<LongSupplier, LinkEmulator> factory) {
    this(new AtomicLong(5_000 * MS), factory);
  }

  EmulatedChannel(AtomicLong clock, Function<LongSupplier, LinkEmulator> factory) {
    this.clock = clock;
    this.startNs = clock.get();
    ch = new EmbeddedChannel();
    ch.freezeTime();
    em = factory.apply(clock::get);
    ch.pipeline().addFirst(em);
  }

  static ByteBuf message(int seq, int size) {
    ByteBuf b = Unpooled.buffer(size);
    b.writeInt(seq);
    b.writeZero(size - 4);
    return b;
  }

  ChannelFuture write(int seq, int size) {
    return write(message(seq, size));
  }

  ChannelFuture write(ByteBuf b) {
    ChannelFuture f = ch.writeAndFlush(b);
    ch.runPendingTasks();
    return f;
  }

  long nowMs() {
    return (clock.get() - startNs) / MS;
  }

  /** Advances 1 ms at a time, collecting what reaches the socket after each step. */
  void advanceMs(long ms) {
    collect();
    for (long i = 0; i < ms; i++) {
      clock.addAndGet(MS);
      ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
      ch.runPendingTasks();
      collect();
    }
  }

  void collect() {
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      out.add(new long[] {b.getInt(b.readerIndex()), nowMs()});
      b.release();
    }
  }

  List<Long> sequences() {
    collect();
    List<Long> s = new ArrayList<>();
    for (long[] o : out) {
      s.add(o[0]);
    }
    return s;
  }
}
