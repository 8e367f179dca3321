package dev.weft.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.sim.engine.RoutingMode;
import dev.weft.sim.engine.SimConfig;
import dev.weft.sim.scenario.Scenario;
import dev.weft.sim.scenario.ScenarioException;
import dev.weft.sim.scenario.ScenarioParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScenarioParserTest {
  private static final Path DIR = Path.of("..", "topology-configs", "sim");

  @Test
  void everyScenarioFileLoads() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    Set<String> names = new TreeSet<>();
    Set<SimConfig.AttackKind> attacks = new TreeSet<>();
    Set<SimConfig.FaultKind> faults = new TreeSet<>();
    for (Path f : files) {
      Scenario sc;
      try (InputStream in = Files.newInputStream(f)) {
        sc = ScenarioParser.parse(in, f.getFileName().toString());
      }
      assertTrue(names.add(sc.config().name()), "duplicate name " + sc.config().name());
      assertFalse(sc.modes().isEmpty());
      if (sc.config().attack() != null) {
        attacks.add(sc.config().attack().kind());
      }
      sc.config().faults().forEach(x -> faults.add(x.kind()));
    }
    assertTrue(files.size() >= 13, "scenario files: " + files);
    assertEquals(Set.of(SimConfig.AttackKind.values()), attacks, "every attack has a scenario");
    assertEquals(Set.of(SimConfig.FaultKind.values()), faults, "every fault has a scenario");
  }

  @Test
  void defaultsAndOverrides() {
    Scenario s = ScenarioParser.parse("""
        nodes: 50
        gossip: {preset: ethereum, d: 6, dLow: 5, dHigh: 10}
        traffic: {kind: blocks, messages: 3}
        modes: [plain]
        """, "dir/x.yaml");
    assertEquals("x", s.config().name());
    assertEquals(50, s.config().nodes());
    assertEquals(6, s.config().params().d());
    assertEquals(10 << 20, s.config().params().maxRpcSize());
    assertEquals(1 << 20, s.config().traffic().sizeBytes());
    assertEquals(List.of(RoutingMode.PLAIN), s.modes());
  }

  @Test
  void errorsNameFileLineAndField() {
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioParser.parse("""
        nodes: 50
        traffic:
          kind: market
          sizeBytes: 100
          rate: 3
        """, "a.yaml"));
    assertEquals("a.yaml", e.file());
    assertEquals(5, e.line());
    assertEquals("traffic.rate", e.field());
    assertTrue(e.getMessage().startsWith("a.yaml:5: field 'traffic.rate': unknown field"),
        e.getMessage());

    e = assertThrows(ScenarioException.class, () -> ScenarioParser.parse("""
        traffic: {kind: market}
        faults:
          - kind: kill
            atMs: 1000
            fraction: 1.5
        """, "b.yaml"));
    assertEquals(5, e.line());
    assertEquals("faults[0].fraction", e.field());

    e = assertThrows(ScenarioException.class, () -> ScenarioParser.parse("""
        traffic: {kind: market}
        attack: {kind: moon}
        """, "c.yaml"));
    assertEquals("attack.kind", e.field());
    assertTrue(e.getMessage().contains("sybil"), e.getMessage());

    e = assertThrows(ScenarioException.class, () -> ScenarioParser.parse("""
        traffic: {kind: market}
        regions: {mars-1: 1}
        """, "d.yaml"));
    assertEquals("regions.mars-1", e.field());
    assertEquals(2, e.line());

    e = assertThrows(ScenarioException.class, () -> ScenarioParser.parse("nodes: [1\n", "e.yaml"));
    assertTrue(e.getMessage().startsWith("e.yaml:"), e.getMessage());

    e = assertThrows(ScenarioException.class, () -> ScenarioParser.parse("nodes: 5\n", "f.yaml"));
    assertTrue(e.getMessage().contains("traffic"), e.getMessage());
  }
}
