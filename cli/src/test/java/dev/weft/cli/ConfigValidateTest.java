package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft config validate}: output and exit codes. */
class ConfigValidateTest {
  @TempDir Path tmp;

  @Test
  void validAndInvalidFiles() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int ok = Weft.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        "config", "validate", "../topology-configs/demo.yaml", "../topology-configs/validator-mesh.yaml");
    assertEquals(0, ok, err.toString());
    assertTrue(out.toString().contains("demo.yaml: ok (demo, 12 nodes, 3 scenario steps)"), out.toString());

    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "name: bad\ndefaults: {topics: [q]}\nnodes:\n  - {name: a, role: relay, peers: [b]}\n");
    err = new StringWriter();
    int code = Weft.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
        "config", "validate", bad.toString());
    assertEquals(2, code);
    assertTrue(err.toString().contains(bad + ":4:") && err.toString().contains("nodes[0].peers[0]: unknown node 'b'"),
        err.toString());
    assertEquals(2, Weft.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        "config", "validate"));
    assertEquals(2, Weft.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        "demo", "--duration", "1"));
    assertEquals(2, Weft.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        "run", "--log-format", "xml", "--api", "off"));
  }
}
