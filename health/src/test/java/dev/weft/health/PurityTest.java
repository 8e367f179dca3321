package dev.weft.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Guards the pure-module rules for health: no clocks, sleeps, threads, global randomness or I/O. */
class PurityTest {
  static final List<String> BANNED = List.of(
      "System.nanoTime", "System.currentTimeMillis", "Instant.now", "Clock.system",
      "Thread.sleep", "new Thread", "ThreadLocalRandom", "Math.random", "new Random(",
      "synchronized", "java.util.concurrent", "CompletableFuture", "java.io.", "java.net.",
      "java.nio.file", "io.netty", "com.google.protobuf");

  @Test
  void shouldNotUseClocksThreadsGlobalRandomnessOrIoInHealth() throws IOException {
    List<String> violations = new ArrayList<>();
    int files = 0;
    try (Stream<Path> s = Files.walk(Path.of("src/main/java/dev/weft/health"))) {
      for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
        files++;
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          if (line.trim().startsWith("*") || line.trim().startsWith("//")) {
            continue;
          }
          for (String b : BANNED) {
            if (line.contains(b)) {
              violations.add(f + ":" + (i + 1) + " uses " + b);
            }
          }
        }
      }
    }
    assertTrue(files > 20, "scanned " + files + " files");
    assertEquals(List.of(), violations);
  }
}
