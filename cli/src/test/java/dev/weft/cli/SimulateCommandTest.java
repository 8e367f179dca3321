package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
  private static final String SCENARIO = """
      name: tiny
      nodes: 30
      connections: 8
      regions: {us-east-1: 1, eu-central-1: 1}
      traffic: {kind: market, messages: 10, publishers: 2, ratePerSecond: 10, startMs: 2000}
      tailMs: 2000
      """;

  @Test
  void writesJsonAndHtmlReportsComparingBothModes(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("tiny.yaml");
    Files.writeString(f, SCENARIO);
    Path out = dir.resolve("out");
    int code = Weft.execute("simulate", f.toString(), "--out", out.toString(), "--seed", "3",
        "--nodes", "25", "--no-progress");
    assertEquals(0, code);
    JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals("tiny", json.get("scenario").asText());
    assertEquals(3, json.get("seed").asLong());
    assertEquals(2, json.get("runs").size());
    assertEquals("plain", json.get("runs").get(0).get("mode").asText());
    assertEquals(25, json.get("runs").get(0).get("honestNodes").asInt());
    assertEquals(1.0, json.get("runs").get(0).get("deliveryRatio").asDouble());
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("<svg") && html.contains("<polyline"), html);
    assertTrue(!html.contains("<script"));
  }

  @Test
  void modesOptionSelectsRuns(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("tiny.yaml");
    Files.writeString(f, SCENARIO);
    Path out = dir.resolve("out");
    assertEquals(0, Weft.execute("simulate", f.toString(), "--out", out.toString(), "--modes",
        "plain", "--no-progress"));
    JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals(1, json.get("runs").size());
  }

  @Test
  void badScenarioIsAnArgumentError(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, SCENARIO.replace("nodes: 30", "nodez: 30"));
    assertEquals(2, Weft.execute("simulate", f.toString(), "--out", dir.toString()));
    assertEquals(2, Weft.execute("simulate", dir.resolve("missing.yaml").toString()));
  }

  @Test
  void progressLineShowsBarAndEta() {
    String l = SimulateCommand.Progress.line(0.5, 0, 2, "plain", 5_000_000_000L,
        10_000_000_000L, 1234, 30);
    assertTrue(l.startsWith("[###############...............]  50%  run 1/2 plain"), l);
    assertTrue(l.contains("ETA 0:30"), l);
  }
}
