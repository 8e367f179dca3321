package dev.weft.cli.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every shipped topology file loads; broken ones are reported with file, line and field. */
class TopologyConfigsTest {
  private static final Path DIR = Path.of("..", "topology-configs");

  @Test
  void everyShippedTopologyIsValid() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .filter(p -> !DIR.relativize(p).startsWith("sim")) // the simulator's own files
          .sorted().toList();
    }
    assertTrue(files.size() >= 5, "demo, market-maker relay, validator, attack, congestion: " + files);
    for (Path f : files) {
      Topology t = TopologyLoader.load(f);
      assertFalse(t.nodes().isEmpty(), f.toString());
    }
    Topology demo = TopologyLoader.load(DIR.resolve("demo.yaml"));
    assertEquals(12, demo.nodes().size());
    assertTrue(demo.scenario().stream().anyMatch(s -> s.action().equals("congest")));
    assertTrue(demo.scenario().stream().anyMatch(s -> s.action().equals("kill")));
    assertTrue(demo.nodes().stream().anyMatch(n -> n.role() == Topology.Role.attacker));
    Topology validators = TopologyLoader.load(DIR.resolve("validator-mesh.yaml"));
    assertEquals(1048576, validators.nodes().get(0).publish().sizeBytes());
  }

  @Test
  void theEmbeddedDemoIsTheShippedFile() throws IOException {
    Topology embedded = TopologyLoader.loadResource("/topology/demo.yaml");
    assertEquals(TopologyLoader.load(DIR.resolve("demo.yaml")), embedded);
  }

  private static String error(String yaml) {
    return assertThrows(TopologyException.class, () -> TopologyLoader.parse("t.yaml", yaml)).getMessage();
  }

  @Test
  void errorsNameFileLineAndField() {
    String base = "name: x\ndefaults:\n  topics: [q]\nnodes:\n  - name: a\n    role: relay\n";
    assertEquals("t.yaml:9:13: nodes[1].peers[0]: unknown node 'zz'",
        error(base + "  - name: b\n    role: relay\n    peers: [zz]\n"));
    String unknownField = error(base + "    colour: red\n");
    assertTrue(unknownField.startsWith("t.yaml:7:") && unknownField.contains("nodes[0].colour"), unknownField);
    String badRole = error("name: x\nnodes:\n  - name: a\n    role: king\n");
    assertTrue(badRole.startsWith("t.yaml:4:") && badRole.contains("nodes[0].role"), badRole);
    String badType = error(base + "    publish: {topic: q, kind: quotes, ratePerSecond: fast}\n");
    assertTrue(badType.startsWith("t.yaml:7:") && badType.contains("ratePerSecond"), badType);
    String syntax = error("name: x\nnodes: [\n");
    assertTrue(syntax.startsWith("t.yaml:"), syntax);
    String dup = error(base + "  - name: a\n    role: relay\n");
    assertTrue(dup.startsWith("t.yaml:7:") && dup.contains("nodes[1].name: duplicate"), dup);
    String step = error(base + "scenario:\n  - {at: soon, action: kill, node: a}\n  - {at: 5s, action: explode}\n");
    assertTrue(step.contains("t.yaml:8:") && step.contains("scenario[0].at"), step);
    assertTrue(step.contains("t.yaml:9:") && step.contains("scenario[1].action"), step);
    String addr = error(base + "    listen: /ip4/1.2.3/tcp/1\n");
    assertTrue(addr.startsWith("t.yaml:7:") && addr.contains("nodes[0].listen: malformed multiaddr"), addr);
    String big = error("name: x\ndefaults: {topics: [b], maxMessageBytes: 2000}\nnodes:\n  - {name: p, role: publisher, "
        + "publish: {topic: b, kind: blocks, ratePerSecond: 1, sizeBytes: 1048576}}\n");
    assertTrue(big.contains("t.yaml:4:") && big.contains("nodes[0].publish.sizeBytes"), big);
    String noPublish = error("name: x\ndefaults: {topics: [q]}\nnodes:\n  - {name: p, role: publisher}\n");
    assertTrue(noPublish.contains("nodes[0].publish: a publisher needs"), noPublish);
  }

  @Test
  void timesAndShares() {
    assertEquals(20.0, TopologyLoader.atSeconds("20s", 60));
    assertEquals(1.5, TopologyLoader.atSeconds("1500ms", 60));
    assertEquals(120.0, TopologyLoader.atSeconds("2m", 60));
    assertEquals(15.0, TopologyLoader.atSeconds("25%", 60));
    assertThrows(IllegalArgumentException.class, () -> TopologyLoader.atSeconds("soon", 60));
  }
}
