package dev.weft.core.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Guards the "pure core" rules (DESIGN.md examples 1–4) for the packages this module's protocol
 * code lives in: no clocks, sleeps, threads, global randomness, locks or concurrent maps.
 */
class PurityTest {
  static final List<String> BANNED = List.of(
      "System.nanoTime", "System.currentTimeMillis", "Instant.now", "Clock.system",
      "Thread.sleep", "new Thread", "ThreadLocalRandom", "Math.random", "new Random(",
      "synchronized", "java.util.concurrent", "CompletableFuture", "java.io.", "java.net.",
      "io.netty", "com.google.protobuf");

  @Test
  void shouldNotUseClocksThreadsGlobalRandomnessOrIoInProtocolPackages() throws IOException {
    List<String> violations = new ArrayList<>();
    int files = 0;
    for (String pkg : List.of("gossip", "node", "events", "wire", "feed")) {
      Path dir = Path.of("src/main/java/dev/weft/core", pkg);
      try (Stream<Path> s = Files.walk(dir)) {
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
    }
    assertTrue(files > 20, "scanned " + files + " files");
    assertEquals(List.of(), violations);
  }
}
