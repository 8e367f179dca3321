package dev.weft.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.it.interop.JsPeer;
import dev.weft.it.interop.NodeCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft run} as a real process: ready line, connection events, key reuse, SIGTERM, bad args. */
class WeftRunProcessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Process> processes = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @TempDir Path tmp;

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  /** A running weft process with its stdout lines queued and stderr collected. */
  private final class Weft {
    final Process process;
    final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    final StringBuffer stderr = new StringBuffer();
    final List<Thread> pumps = new ArrayList<>();

    Weft(String... args) throws IOException {
      List<String> cmd = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "dev.weft.cli.Weft"));
      cmd.addAll(List.of(args));
      process = new ProcessBuilder(cmd).start();
      processes.add(process);
      pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true);
      pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false);
    }

    private void pump(BufferedReader r, boolean out) {
      Thread t = new Thread(() -> {
        try {
          String line;
          while ((line = r.readLine()) != null) {
            if (out) {
              stdout.add(line);
            } else {
              stderr.append(line).append('\n');
            }
          }
        } catch (IOException ignored) {
          // process ended
        }
      });
      t.setDaemon(true);
      t.start();
      pumps.add(t);
    }

    /** Waits for the process to exit and for its output to be read to the end. */
    boolean awaitExit(long seconds) throws InterruptedException {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        return false;
      }
      for (Thread t : pumps) {
        t.join(5000);
      }
      return true;
    }

    JsonNode awaitEvent(String name) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        String line = stdout.poll(100, TimeUnit.MILLISECONDS);
        if (line != null) {
          JsonNode n = JSON.readTree(line);
          if (name.equals(n.path("event").asText())) {
            return n;
          }
        }
      }
      throw new AssertionError("no '" + name + "' event from weft run; stderr:\n" + stderr);
    }
  }

  @Test
  void printsReadyServesJsPeersAndStopsCleanlyOnSigterm() throws Exception {
    NodeCheck.requireJsEnvironment();
    Path key = tmp.resolve("state/node.key");
    Weft weft = new Weft("run", "--listen", "/ip4/127.0.0.1/tcp/0", "--key", key.toString());
    JsonNode ready = weft.awaitEvent("ready");
    String peerId = ready.get("peerId").asText();
    String addr = ready.get("addrs").get(0).asText();
    assertTrue(addr.startsWith("/ip4/127.0.0.1/tcp/") && addr.endsWith("/p2p/" + peerId), addr);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));

    JsPeer js = JsPeer.start(new JsPeer.Options().name("js-for-run"));
    closeables.add(js);
    js.dial(addr);
    JsonNode connected = weft.awaitEvent("connected");
    assertEquals(js.peerId(), connected.get("peer").asText());
    JsonNode identified = weft.awaitEvent("identified");
    assertTrue(identified.get("agentVersion").asText().contains("libp2p/"));

    long mark = js.mark();
    weft.process.destroy(); // SIGTERM
    assertTrue(weft.awaitExit(15), "weft run exits after SIGTERM");
    assertEquals(143, weft.process.exitValue(), "terminated by SIGTERM through the shutdown hooks");
    // A clean shutdown closes the connection gracefully: js sees it close.
    js.awaitEventAfter(mark, JsPeer.event("connection:close", peerId), java.time.Duration.ofSeconds(10));

    Weft again = new Weft("run", "--listen", "/ip4/127.0.0.1/tcp/0", "--key", key.toString());
    assertEquals(peerId, again.awaitEvent("ready").get("peerId").asText(), "key file reloaded");
  }

  @Test
  void treeRoutingNodesNegotiateTreeControlAndDeliver() throws Exception {
    Weft first = new Weft("run", "--tree-routing", "--topic", "tree-t");
    JsonNode ready = first.awaitEvent("ready");
    Weft second = new Weft("run", "--tree-routing", "--topic", "tree-t", "--peer",
        ready.get("addrs").get(0).asText());
    JsonNode identified = second.awaitEvent("identified");
    assertTrue(identified.get("protocols").toString().contains("/weft/tree/1.0.0"),
        identified.toString());
    java.io.Writer in = new java.io.OutputStreamWriter(first.process.getOutputStream(),
        StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    boolean got = false;
    for (int k = 0; !got && System.nanoTime() < deadline; k++) {
      in.write("{\"op\":\"publish\",\"topic\":\"tree-t\",\"data\":\"m" + k + "\"}\n");
      in.flush();
      String line = second.stdout.poll(500, TimeUnit.MILLISECONDS);
      while (line != null && !got) {
        got = line.contains("\"event\":\"message\"") && line.contains("tree-t");
        line = got ? null : second.stdout.poll(10, TimeUnit.MILLISECONDS);
      }
    }
    assertTrue(got, "the second tree-routing node received a message; stderr:\n" + second.stderr);
  }

  @Test
  void dialsPeersGivenOnTheCommandLine() throws Exception {
    Weft first = new Weft("run");
    JsonNode ready = first.awaitEvent("ready");
    Weft second = new Weft("run", "--peer", ready.get("addrs").get(0).asText());
    second.awaitEvent("ready");
    JsonNode connected = second.awaitEvent("connected");
    assertEquals(ready.get("peerId").asText(), connected.get("peer").asText());
    assertEquals("outbound", connected.get("direction").asText());
  }

  @Test
  void rejectsBadArgumentsWithUsageAndExitCode2() throws Exception {
    Weft badAddr = new Weft("run", "--listen", "/ip4/300.1.1.1/tcp/1");
    assertTrue(badAddr.awaitExit(30));
    assertEquals(2, badAddr.process.exitValue());
    assertTrue(badAddr.stderr.toString().contains("--listen"), badAddr.stderr.toString());

    Weft unknown = new Weft("run", "--no-such-flag");
    assertTrue(unknown.awaitExit(30));
    assertEquals(2, unknown.process.exitValue());
    assertTrue(unknown.stderr.toString().contains("Usage:"), unknown.stderr.toString());

    Weft noP2p = new Weft("run", "--peer", "/ip4/127.0.0.1/tcp/4001");
    assertTrue(noP2p.awaitExit(30));
    assertNotEquals(0, noP2p.process.exitValue());
    assertFalse(noP2p.stderr.toString().isBlank());
  }
}
