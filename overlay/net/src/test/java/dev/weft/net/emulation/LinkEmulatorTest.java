package dev.weft.net.emulation;

import static dev.weft.net.emulation.EmulatedChannel.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LinkEmulatorTest {

  private static EmulatedChannel channel(LinkProfile p, long seed) {
    return new EmulatedChannel(clock -> new LinkEmulator(p, new SplittableRandom(seed), clock));
  }

  @Test
  void shouldPassWritesStraightThroughWithIdealProfile() {
    EmulatedChannel c = channel(LinkProfile.IDEAL, 1);
    ChannelFuture f = c.write(7, 16);
    assertTrue(f.isSuccess());
    assertEquals(List.of(7L), c.sequences());
    assertEquals(0, c.em.stats().delayedWrites());
    assertEquals(16, c.em.stats().bytes());
  }

  @Test
  void shouldDelayWritesByLatency() {
    EmulatedChannel c = channel(LinkProfile.builder().latencyMs(30).build(), 1);
    ChannelFuture f = c.write(1, 8);
    c.advanceMs(29);
    assertTrue(c.sequences().isEmpty());
    assertFalse(f.isDone());
    c.advanceMs(1);
    assertEquals(List.of(1L), c.sequences());
    assertEquals(30, c.out.get(0)[1]);
    assertTrue(f.isSuccess());
  }

  @Test
  void shouldPreserveOrderUnderJitter() {
    EmulatedChannel c =
        channel(LinkProfile.builder().latencyMs(50).jitterMs(40).build(), 42);
    long[] writtenAt = new long[100];
    for (int i = 0; i < 100; i++) {
      writtenAt[i] = c.nowMs();
      c.write(i, 32);
      c.advanceMs(1);
    }
    c.advanceMs(200);
    List<Long> seqs = c.sequences();
    assertEquals(LongStream.range(0, 100).boxed().toList(), seqs, "no reordering");
    Set<Long> delays = new HashSet<>();
    long previous = 0;
    for (int i = 0; i < 100; i++) {
      long released = c.out.get(i)[1];
      long delay = released - writtenAt[i];
      assertTrue(delay >= 10, "write " + i + " left after only " + delay + " ms");
      assertTrue(released <= Math.max(writtenAt[i] + 91, previous),
          "write " + i + " held longer than jitter or ordering explain: " + delay + " ms");
      previous = released;
      delays.add(delay);
    }
    assertTrue(delays.size() > 10, "jitter varies the delay: " + delays);
  }

  @Test
  void shouldSpreadWritesByBandwidth() {
    // 1000 B/s: a 100-byte write occupies the link for 100 ms
    EmulatedChannel c =
        channel(LinkProfile.builder().bandwidthBytesPerSec(1000).latencyMs(5).build(), 1);
    for (int i = 0; i < 4; i++) {
      c.write(i, 100);
    }
    c.advanceMs(600);
    assertEquals(List.of(0L, 1L, 2L, 3L), c.sequences());
    List<Long> times = new ArrayList<>();
    c.out.forEach(o -> times.add(o[1]));
    assertEquals(List.of(105L, 205L, 305L, 405L), times);
    // an idle link accumulates no credit: the next write waits its own 100 ms
    c.write(4, 100);
    c.advanceMs(200);
    assertEquals(705, c.out.get(4)[1]);
  }

  @Test
  void shouldHoldWritesWhilePartitionedAndFlushOnHeal() {
    EmulatedChannel c = channel(LinkProfile.builder().partitioned(true).build(), 1);
    List<ChannelFuture> fs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fs.add(c.write(i, 10));
    }
    c.advanceMs(10_000);
    assertTrue(c.sequences().isEmpty());
    assertEquals(3, c.em.stats().queued());
    assertTrue(c.ch.isActive(), "HOLD keeps the connection open");
    c.em.setProfile(LinkProfile.builder().latencyMs(5).build());
    c.ch.runPendingTasks();
    c.advanceMs(4);
    assertTrue(c.sequences().isEmpty(), "held writes are timed from the heal");
    c.advanceMs(1);
    assertEquals(List.of(0L, 1L, 2L), c.sequences());
    fs.forEach(f -> assertTrue(f.isSuccess()));
  }

  @Test
  void shouldHoldInFlightWritesWhenPartitionStarts() {
    LinkProfile slow = LinkProfile.builder().latencyMs(100).build();
    EmulatedChannel c = channel(slow, 1);
    c.write(0, 10);
    c.advanceMs(50);
    c.em.setProfile(slow.withPartitioned(true));
    c.ch.runPendingTasks();
    c.advanceMs(150);
    c.write(1, 10);
    assertTrue(c.sequences().isEmpty(), "timed write is held once the link is cut");
    c.advanceMs(100);
    c.em.setProfile(slow);
    c.ch.runPendingTasks();
    c.advanceMs(200);
    assertEquals(List.of(0L, 1L), c.sequences());
    assertEquals(300, c.out.get(0)[1], "already-timed write leaves at its old time, now past");
    assertEquals(400, c.out.get(1)[1], "untimed write is timed from the heal (300 + 100)");
  }

  @Test
  void shouldCloseConnectionAndReleaseBuffersWhenPartitionedInCloseMode() {
    EmulatedChannel c = channel(LinkProfile.builder().latencyMs(100).build(), 1);
    ByteBuf b = EmulatedChannel.message(1, 10);
    ChannelFuture f = c.write(b);
    c.em.setProfile(LinkProfile.builder().partitioned(true)
        .partitionMode(PartitionMode.CLOSE).build());
    c.ch.runPendingTasks();
    assertFalse(c.ch.isOpen());
    assertTrue(f.isDone() && !f.isSuccess());
    assertInstanceOf(IOException.class, f.cause());
    assertEquals(0, b.refCnt(), "queued buffer released");
    assertTrue(c.sequences().isEmpty());
  }

  @Test
  void shouldApplyProfileChangeToLaterWritesOnly() {
    EmulatedChannel c = channel(LinkProfile.builder().latencyMs(10).build(), 1);
    c.write(0, 10);
    c.em.setProfile(LinkProfile.builder().latencyMs(100).build());
    c.ch.runPendingTasks();
    c.write(1, 10);
    c.em.setProfile(LinkProfile.IDEAL);
    c.ch.runPendingTasks();
    c.write(2, 10); // no delay of its own, but may not overtake write 1
    c.advanceMs(150);
    assertEquals(List.of(0L, 1L, 2L), c.sequences());
    assertEquals(10, c.out.get(0)[1]);
    assertEquals(100, c.out.get(1)[1]);
    assertEquals(100, c.out.get(2)[1]);
    c.write(3, 10);
    assertEquals(List.of(0L, 1L, 2L, 3L), c.sequences(), "ideal again once the queue drained");
  }

  @Test
  void shouldDelayLossRatioOfWritesByRetransmissionTimeout() {
    int n = 1000;
    EmulatedChannel c = channel(LinkProfile.builder().lossRatio(0.3).build(), 42);
    for (int i = 0; i < n; i++) {
      c.write(i, 4);
    }
    SplittableRandom replay = new SplittableRandom(42);
    long expected = 0;
    for (int i = 0; i < n; i++) {
      if (replay.nextDouble() < 0.3) {
        expected++;
      }
    }
    assertEquals(expected, c.em.stats().lossEvents(), "one draw per write from the seed");
    assertTrue(expected > 250 && expected < 350, "about 30%: " + expected);
    c.advanceMs(199);
    List<Long> early = c.sequences();
    // writes before the first loss leave at once; the first lost one holds the rest back
    assertTrue(early.size() < n);
    c.advanceMs(1);
    assertEquals(n, c.sequences().size(), "every penalty runs concurrently from the write time");
    assertEquals(LongStream.range(0, n).boxed().toList(), c.sequences());
  }

  @Test
  void shouldDelayLostWriteByExactlyThePenalty() {
    EmulatedChannel c =
        channel(LinkProfile.builder().lossRatio(1.0).lossPenaltyMs(200).latencyMs(10).build(), 3);
    c.write(0, 4);
    c.advanceMs(209);
    assertTrue(c.sequences().isEmpty());
    c.advanceMs(1);
    assertEquals(List.of(0L), c.sequences());
    assertEquals(1, c.em.stats().lossEvents());
  }

  @Test
  void shouldDeferCloseUntilQueuedWritesLeave() {
    EmulatedChannel c = channel(LinkProfile.builder().latencyMs(50).build(), 1);
    ChannelFuture w = c.write(0, 4);
    // through the pipeline: EmbeddedChannel.close() itself cancels scheduled tasks
    ChannelFuture close = c.ch.pipeline().close();
    c.ch.runPendingTasks();
    assertFalse(close.isDone());
    assertTrue(c.ch.isOpen());
    c.advanceMs(50);
    assertTrue(w.isSuccess());
    assertEquals(List.of(0L), c.sequences());
    assertTrue(close.isDone());
    assertFalse(c.ch.isOpen());
  }

  @Test
  void shouldFailAndReleaseHeldWritesOnCloseDuringPartition() {
    EmulatedChannel c = channel(LinkProfile.builder().partitioned(true).build(), 1);
    ByteBuf b = EmulatedChannel.message(0, 8);
    ChannelFuture w = c.write(b);
    c.ch.close();
    c.ch.runPendingTasks();
    assertFalse(c.ch.isOpen());
    assertTrue(w.isDone() && !w.isSuccess());
    assertEquals(0, b.refCnt());
  }

  @Test
  void shouldLetQueuedWritesGoWhenRemovedFromPipeline() {
    EmulatedChannel c = channel(LinkProfile.builder().latencyMs(500).build(), 1);
    c.write(0, 4);
    c.write(1, 4);
    c.ch.pipeline().remove(c.em);
    assertEquals(List.of(0L, 1L), c.sequences());
  }

  @Test
  void shouldCompleteDeferredCloseWhenRemovedFromPipeline() {
    EmulatedChannel c = channel(LinkProfile.builder().latencyMs(500).build(), 1);
    c.write(0, 4);
    ChannelFuture close = c.ch.pipeline().close();
    assertFalse(close.isDone());
    c.ch.pipeline().remove(c.em);
    c.ch.runPendingTasks();
    assertEquals(List.of(0L), c.sequences());
    assertTrue(close.isDone());
    assertFalse(c.ch.isOpen());
  }

  @Test
  void shouldMakeChannelUnwritableWhileHeldBytesExceedHighWaterMark() {
    EmulatedChannel c = channel(LinkProfile.builder().partitioned(true).build(), 1);
    int high = c.ch.config().getWriteBufferHighWaterMark();
    int n = high / 1000 + 2;
    for (int i = 0; i < n; i++) {
      c.write(i, 1000);
    }
    assertFalse(c.ch.isWritable(), "held bytes count as a full send buffer");
    assertEquals(n, c.em.stats().queued());
    assertTrue(c.em.stats().queuedBytes() >= (long) n * 1000);
    c.em.setProfile(LinkProfile.IDEAL);
    c.ch.runPendingTasks();
    assertTrue(c.ch.isWritable());
    assertEquals(n, c.sequences().size());
    assertEquals(0, c.em.stats().queuedBytes());
  }
}
