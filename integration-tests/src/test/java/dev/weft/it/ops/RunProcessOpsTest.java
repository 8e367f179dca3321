package dev.weft.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft run} as a process: topology config, JSON logs, the admin API of a real process. */
class RunProcessOpsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Process> processes = new ArrayList<>();
  @TempDir Path tmp;

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private final class Proc {
    final Process process;
    final BlockingQueue<String> out = new LinkedBlockingQueue<>();
    final BlockingQueue<String> err = new LinkedBlockingQueue<>();

    Proc(String... args) throws IOException {
      List<String> cmd = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "dev.weft.cli.Weft"));
      cmd.addAll(List.of(args));
      process = new ProcessBuilder(cmd).directory(tmp.toFile()).start();
      processes.add(process);
      pump(process.getInputStream(), out);
      pump(process.getErrorStream(), err);
    }

    private void pump(java.io.InputStream in, BlockingQueue<String> q) {
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            q.add(line);
          }
        } catch (IOException ignored) {
          // ended
        }
      });
      t.setDaemon(true);
      t.start();
    }

    JsonNode event(String name) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        String line = out.poll(100, TimeUnit.MILLISECONDS);
        if (line != null && line.startsWith("{")) {
          JsonNode n = JSON.readTree(line);
          if (name.equals(n.path("event").asText())) {
            return n;
          }
        }
      }
      throw new AssertionError("no '" + name + "' event; stderr: " + err);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void runsNodesOfATopologyFileWithJsonLogsAndTheirApi() throws Exception {
    int pa = freePort();
    int pb = freePort();
    Path topo = tmp.resolve("two.yaml");
    Files.writeString(topo, "name: two\ndefaults: {gossipPreset: market, topics: [q]}\nnodes:\n"
        + "  - {name: a, role: relay, listen: /ip4/127.0.0.1/tcp/" + pa + ", key: keys/a.key}\n"
        + "  - {name: b, role: subscriber, listen: /ip4/127.0.0.1/tcp/" + pb + ", key: keys/b.key, peers: [a]}\n");
    Proc a = new Proc("run", "--config", topo.toString(), "--node", "a", "--state-dir", "state-a",
        "--log-format", "json");
    JsonNode readyA = a.event("ready");
    assertTrue(readyA.path("addrs").get(0).asText().contains("/tcp/" + pa + "/p2p/"), readyA.toString());
    // logs on stderr are JSON objects
    String log = a.err.poll(30, TimeUnit.SECONDS);
    JsonNode entry = JSON.readTree(log);
    assertEquals("INFO", entry.path("level").asText(), log);
    assertTrue(entry.has("formattedMessage") && entry.has("loggerName"), log);

    Proc b = new Proc("run", "--config", topo.toString(), "--node", "b", "--state-dir", "state-b");
    JsonNode readyB = b.event("ready");
    JsonNode connected = b.event("connected");
    assertEquals(readyA.path("peerId").asText(), connected.path("peer").asText());
    // the key file named in the topology fixes b's identity
    assertTrue(Files.exists(tmp.resolve("keys/b.key")));
    // the CLI reaches process a through its state directory
    java.io.StringWriter out = new java.io.StringWriter();
    int code = dev.weft.cli.Weft.execute(new java.io.PrintWriter(out, true), new java.io.PrintWriter(new java.io.StringWriter()),
        "peers", "--state-dir", tmp.resolve("state-a").toString());
    assertEquals(0, code);
    assertTrue(out.toString().contains(readyB.path("peerId").asText()), out.toString());

    Proc bad = new Proc("run", "--config", topo.toString(), "--node", "zz");
    assertTrue(bad.process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, bad.process.exitValue());
    String msg = String.join("\n", bad.err);
    assertTrue(msg.contains("no such node"), msg);
  }
}
