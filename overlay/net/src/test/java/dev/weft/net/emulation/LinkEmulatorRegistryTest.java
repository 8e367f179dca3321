package dev.weft.net.emulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LinkEmulatorRegistryTest {

  private static EmulatedChannel channel(
      LinkEmulatorRegistry reg, AtomicLong clock, String local, String remote) {
    return new EmulatedChannel(clock, ignored -> reg.attach(local, remote));
  }

  @Test
  void shouldPartitionBothDirectionsAndFlushOnHeal() {
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    LinkEmulatorRegistry reg = new LinkEmulatorRegistry(1, clock::get);
    EmulatedChannel ab = channel(reg, clock, "a", "b");
    EmulatedChannel ba = channel(reg, clock, "b", "a");
    EmulatedChannel ac = channel(reg, clock, "a", "c");
    assertEquals(3, reg.liveCount());

    reg.partition("a", "b");
    ab.ch.runPendingTasks();
    ba.ch.runPendingTasks();
    ab.write(1, 8);
    ba.write(2, 8);
    ac.write(3, 8);
    assertTrue(ab.sequences().isEmpty());
    assertTrue(ba.sequences().isEmpty());
    assertEquals(List.of(3L), ac.sequences(), "other links unaffected");

    reg.heal("a", "b");
    ab.ch.runPendingTasks();
    ba.ch.runPendingTasks();
    assertEquals(List.of(1L), ab.sequences());
    assertEquals(List.of(2L), ba.sequences());
  }

  @Test
  void shouldApplyLinkProfileToLiveEmulatorsAndNewOnes() {
    LinkEmulatorRegistry reg = new LinkEmulatorRegistry(1);
    LinkEmulator e1 = reg.attach("a", "b");
    LinkProfile slow = LinkProfile.builder().latencyMs(200).build();
    reg.setLink("a", "b", slow);
    assertSame(slow, e1.profile());
    assertSame(slow, reg.attach("b", "a").profile());
    assertSame(slow, reg.profile("b", "a"));
    assertEquals(LinkProfile.IDEAL, reg.profile("a", "c"));
    assertEquals(2, reg.emulators("a", "b").size() + reg.emulators("b", "a").size());
  }

  @Test
  void shouldUseDefaultProfileForLinksWithoutExplicitOne() {
    LinkEmulatorRegistry reg = new LinkEmulatorRegistry(1);
    LinkEmulator plain = reg.attach("a", "b");
    LinkProfile fast = LinkProfile.builder().latencyMs(1).build();
    reg.setProfile("a", "c", fast);
    LinkEmulator explicit = reg.attach("a", "c");
    LinkProfile wan = LinkProfile.builder().latencyMs(80).build();
    reg.setDefaultProfile(wan);
    assertSame(wan, plain.profile());
    assertSame(fast, explicit.profile());
    reg.clearProfile("a", "c");
    assertSame(wan, explicit.profile());
  }

  @Test
  void shouldRebindFromAddressToPeerLabel() {
    LinkEmulatorRegistry reg = new LinkEmulatorRegistry(1);
    InetSocketAddress addr = new InetSocketAddress("127.0.0.1", 4001);
    assertEquals("127.0.0.1:4001", LinkEmulatorRegistry.addressLabel(addr));
    LinkEmulator e = reg.attach("a", addr);
    assertEquals(1, reg.emulators("a", "127.0.0.1:4001").size());
    LinkProfile slow = LinkProfile.builder().latencyMs(50).build();
    reg.setProfile("a", "peerB", slow);
    reg.rebind(e, "a", "peerB");
    assertSame(slow, e.profile());
    assertTrue(reg.emulators("a", "127.0.0.1:4001").isEmpty());
    reg.partition("a", "peerB");
    assertTrue(e.profile().partitioned());
  }

  @Test
  void shouldForgetEmulatorWhenChannelCloses() {
    AtomicLong clock = new AtomicLong();
    LinkEmulatorRegistry reg = new LinkEmulatorRegistry(1, clock::get);
    EmulatedChannel ab = channel(reg, clock, "a", "b");
    assertEquals(1, reg.liveCount());
    ab.ch.close();
    ab.ch.runPendingTasks();
    assertEquals(0, reg.liveCount());
  }

  @Test
  void shouldDrawSameJitterForSameSeedAndLink() {
    LinkProfile jittery = LinkProfile.builder().latencyMs(20).jitterMs(15).build();
    List<List<long[]>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      AtomicLong clock = new AtomicLong();
      LinkEmulatorRegistry reg = new LinkEmulatorRegistry(99, clock::get);
      reg.setDefaultProfile(jittery);
      if (run == 1) {
        reg.attach("x", "y"); // another link's emulator must not shift this link's draws
      }
      EmulatedChannel c = channel(reg, clock, "a", "b");
      for (int i = 0; i < 20; i++) {
        c.write(i, 8);
        c.advanceMs(3);
      }
      c.advanceMs(100);
      runs.add(c.out);
    }
    assertEquals(20, runs.get(0).size());
    for (int i = 0; i < 20; i++) {
      assertEquals(runs.get(0).get(i)[1], runs.get(1).get(i)[1], "release time of write " + i);
    }
  }
}
