package dev.weft.it.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cli.Weft;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every node command of the CLI against a running node on real sockets: output and exit codes. */
class CliCommandsTest {
  @TempDir Path state;
  @TempDir Path other;
  private TwoNodes nodes;

  record Result(int code, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    nodes = new TwoNodes(state);
  }

  @AfterEach
  void stop() {
    nodes.close();
  }

  private Result weft(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Weft.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** A command with the state directory (address and token found there). */
  private Result node(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    int at = all.indexOf("--");
    if (at >= 0) {
      all.remove(at);
      all.addAll(at, List.of("--state-dir", state.toString()));
    } else {
      all.addAll(List.of("--state-dir", state.toString()));
    }
    return weft(all.toArray(String[]::new));
  }

  private static void ok(Result r, String... expected) {
    assertEquals(0, r.code(), r.err() + r.out());
    for (String e : expected) {
      assertTrue(r.out().contains(e), "expected '" + e + "' in:\n" + r.out());
    }
  }

  @Test
  void readCommands() {
    String b = nodes.b.peerId().toBase58();
    ok(node("peers"), b, "inbound", "HEALTHY");
    ok(node("peers", "--json"), "\"peer\" : \"" + b + "\"");
    ok(node("topics"), "TOPIC", "t  ");
    ok(node("mesh", "t"), "mesh (1):", b);
    ok(node("routes", "t"), "plain GossipSub", b);
    ok(node("scores"), b);
    ok(node("scores", b), "peer " + b, "P1", "t (mesh)");
    ok(node("health"), "status: ok", "connections: 1");
    ok(node("stats"), "totals.messages_published: 0");
    ok(node("quarantine", "list"), "no peers");
    ok(node("quarantine", "explain", b), "state HEALTHY");
    // --api given explicitly instead of the state directory
    ok(weft("peers", "--api", nodes.api()), b);
  }

  @Test
  void publishAndSubscribe() throws Exception {
    CompletableFuture<Result> sub = CompletableFuture.supplyAsync(() -> node("subscribe", "t", "--count", "1"));
    // the subscription is live once its listener is registered; publish from b until it gets one
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
      nodes.b.pubsub().publish("t", "from-b".getBytes());
      return sub.isDone();
    });
    Result r = sub.get();
    ok(r, "\"event\":\"subscribed\"", "\"data\":\"from-b\"");
    Result p = node("publish", "t", "hello");
    ok(p, "PUBLISHED", " peers");
    // b receives a's message
    await().atMost(Duration.ofSeconds(20)).until(() -> nodes.b.metrics().total("weft_messages_in_total") >= 1);
    Path f = other.resolve("payload.bin");
    Files.write(f, new byte[] {1, 2, 3});
    ok(node("publish", "t", "--file", f.toString(), "--json"), "\"status\" : \"PUBLISHED\"");
    ok(node("stats"), "totals.messages_published: 2");
  }

  @Test
  void quarantineOverrides() {
    String b = nodes.b.peerId().toBase58();
    ok(node("quarantine", "ban", b, "--duration", "30", "--reason", "cli test"), b + " BANNED");
    ok(node("quarantine", "list"), b, "BANNED");
    ok(node("quarantine", "explain", b), "BANNED", "cli test");
    ok(node("quarantine", "release", b), b + " HEALTHY");
  }

  @Test
  void badArgumentsAndFailures() throws Exception {
    String b = nodes.b.peerId().toBase58();
    // usage errors: exit 2
    assertEquals(2, weft("mesh").code());
    assertEquals(2, weft("nonsense").code());
    assertEquals(2, weft("quarantine").code());
    assertEquals(2, node("publish", "t").code());
    assertEquals(2, node("subscribe", "t", "--count", "0").code());
    assertEquals(2, node("quarantine", "ban", b, "--duration", "-1").code());
    assertEquals(2, weft("peers", "--api", "localhost").code());
    assertEquals(2, weft("peers", "--api", "127.0.0.1:99999").code());
    assertEquals(2, weft("peers", "--state-dir", other.resolve("none").toString()).code());
    // the node rejects the input: exit 2 with its message
    Result malformed = node("scores", "not-a-peer");
    assertEquals(2, malformed.code());
    assertTrue(malformed.err().contains("malformed peer ID"), malformed.err());
    Result badAddr = node("connect", "/ip4/1.2.3/tcp/1");
    assertEquals(2, badAddr.code());
    assertTrue(badAddr.err().contains("malformed multiaddr"), badAddr.err());
    String stranger = dev.weft.net.crypto.Ed25519Keys.generate(new java.security.SecureRandom())
        .publicKey().peerId().toBase58();
    Result unknown = node("quarantine", "explain", stranger);
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("unknown peer"), unknown.err());
    // runtime failures: exit 1
    Path wrongToken = other.resolve("wrong.token");
    Files.writeString(wrongToken, "f".repeat(64));
    Result denied = node("publish", "t", "x", "--token-file", wrongToken.toString());
    assertEquals(1, denied.code());
    assertTrue(denied.err().contains("403"), denied.err());
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Result down = weft("health", "--api", "127.0.0.1:" + port);
    assertEquals(1, down.code());
    assertTrue(down.err().contains("cannot reach"), down.err());
  }

  @Test
  void helpEverywhereAndCompletion() {
    for (String[] cmd : new String[][] {{"--help"}, {"run", "--help"}, {"keygen", "--help"},
        {"peers", "--help"}, {"topics", "--help"}, {"mesh", "--help"}, {"routes", "--help"},
        {"scores", "--help"}, {"health", "--help"}, {"quarantine", "--help"},
        {"quarantine", "list", "--help"}, {"quarantine", "explain", "--help"},
        {"quarantine", "release", "--help"}, {"quarantine", "ban", "--help"},
        {"publish", "--help"}, {"subscribe", "--help"}, {"stats", "--help"},
        {"connect", "--help"}, {"completion", "--help"}, {"demo", "--help"}, {"config", "--help"},
        {"config", "validate", "--help"}}) {
      Result r = weft(cmd);
      assertEquals(0, r.code(), String.join(" ", cmd) + r.err());
      assertTrue(r.out().contains("Usage: weft"), r.out());
    }
    Result c = weft("completion");
    ok(c, "complete -F", "quarantine");
  }
}
