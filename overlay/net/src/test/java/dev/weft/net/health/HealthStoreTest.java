package dev.weft.net.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.health.persist.HealthSnapshot;
import dev.weft.health.quarantine.QuarantineRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthStoreTest {
  @TempDir
  Path dir;

  @Test
  void shouldRoundTripAndReplaceAtomically() throws IOException {
    HealthStore store = new HealthStore(dir.resolve("state"));
    assertTrue(store.load().isEmpty(), "nothing stored yet");
    store.save(StoreWriterMain.generation(3));
    store.save(StoreWriterMain.generation(7));
    HealthSnapshot s = store.load().orElseThrow();
    assertEquals(8, s.records().size());
    assertTrue(s.records().get(0).detail().startsWith("gen-7 "));
    try (Stream<Path> files = Files.list(dir.resolve("state"))) {
      assertEquals(List.of(HealthStore.FILE_NAME),
          files.map(f -> f.getFileName().toString()).toList(), "no temp file left behind");
    }
  }

  @Test
  void shouldIgnoreLeftoverTempFileAndMoveCorruptSnapshotAside() throws IOException {
    HealthStore store = new HealthStore(dir);
    store.save(StoreWriterMain.generation(1));
    Path leftover = dir.resolve(HealthStore.TEMP_PREFIX + "123" + HealthStore.TEMP_SUFFIX);
    Files.write(leftover, new byte[] {1, 2, 3});
    assertEquals(2, store.load().orElseThrow().records().size(), "temp file is not the snapshot");
    assertFalse(Files.exists(leftover), "left-over temp deleted");

    byte[] bytes = Files.readAllBytes(store.file());
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(store.file(), bytes);
    assertTrue(store.load().isEmpty(), "a corrupt snapshot is not loaded");
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> aside = files.filter(p -> p.getFileName().toString()
          .startsWith(HealthStore.FILE_NAME + ".corrupt-")).toList();
      assertEquals(1, aside.size(), "the corrupt file is kept for inspection");
      assertEquals(bytes.length, Files.size(aside.get(0)));
    }
  }

  /**
   * Starts a child JVM that saves snapshots in a loop and kills it with SIGKILL at random moments,
   * several times over the same directory: each time the store must load, decode and be one whole
   * generation (every record from the same save), and the generation never goes backwards.
   */
  @Test
  void shouldStayIntactWhenTheWriterIsKilledMidway() throws Exception {
    SplittableRandom random = new SplittableRandom(42);
    HealthStore store = new HealthStore(dir);
    long lastGeneration = -1;
    for (int round = 0; round < 6; round++) {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
          System.getProperty("java.class.path"), StoreWriterMain.class.getName(), dir.toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      AtomicLong lastSaved = new AtomicLong(-1);
      CountDownLatch started = new CountDownLatch(1);
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(
            new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
          for (String l; (l = out.readLine()) != null; ) {
            lastSaved.set(Long.parseLong(l.substring(6)));
            started.countDown();
          }
        } catch (IOException | RuntimeException e) {
          // the stream closes when the child is killed
        }
      });
      reader.start();
      try {
        // the writer is running and has saved at least once
        assertTrue(started.await(60, TimeUnit.SECONDS), "writer started");
        Thread.sleep(50 + random.nextInt(400));
        long reportedBeforeKill = lastSaved.get();
        p.destroyForcibly(); // SIGKILL on Unix
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "writer killed");
        reader.join(5_000);
        assertTrue(lastSaved.get() >= reportedBeforeKill);
      } finally {
        p.destroyForcibly();
        reader.join(5_000);
      }
      Optional<HealthSnapshot> loaded = store.load();
      assertTrue(loaded.isPresent(), "round " + round + ": snapshot present and decodable");
      HealthSnapshot s = loaded.get();
      long g = s.savedAtEpochMs() - 1_700_000_000_000L;
      assertTrue(g >= lastSaved.get(), "round " + round + ": a reported save is durable "
          + "(generation " + g + " >= " + lastSaved.get() + ")");
      assertEquals(g % 200 + 1, s.records().size(), "round " + round + ": whole generation");
      for (QuarantineRecord r : s.records()) {
        assertTrue(r.detail().startsWith("gen-" + g + " "), "one generation per file");
      }
      System.out.printf("kill round %d: writer reported %d saves, store holds generation %d%n",
          round, lastSaved.get() + 1, g);
      lastGeneration = g;
    }
    assertTrue(lastGeneration >= 0);
  }
}
