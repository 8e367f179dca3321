package dev.weft.it.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin HTTP API on real sockets: auth, bad input, /metrics content, probes. */
class AdminApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path state;
  private TwoNodes nodes;
  private String token;

  @BeforeEach
  void start() throws Exception {
    nodes = new TwoNodes(state);
    token = Files.readString(state.resolve("admin.token")).trim();
  }

  @AfterEach
  void stop() {
    nodes.close();
  }

  private HttpResponse<String> send(String method, String path, String body, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + nodes.api() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertJsonError(HttpResponse<String> r, int status) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode n = JSON.readTree(r.body());
    assertTrue(n.hasNonNull("error"), r.body());
    assertFalse(r.body().contains("\tat ") || r.body().contains("Exception"), "no stack trace: " + r.body());
  }

  @Test
  void tokenFileIsOwnerOnly() throws Exception {
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(state.resolve("admin.token"))));
    assertEquals(64, token.length());
    assertEquals(nodes.api(), Files.readString(state.resolve("admin.addr")).trim());
  }

  @Test
  void mutationsNeedTheToken() throws Exception {
    String body = "{\"topic\":\"t\",\"data\":\"x\"}";
    assertJsonError(send("POST", "/api/v1/publish", body, null), 401);
    assertJsonError(send("POST", "/api/v1/publish", body, "0".repeat(64)), 403);
    String peer = nodes.b.peerId().toBase58();
    assertJsonError(send("POST", "/api/v1/quarantine/" + peer + "/ban", "{}", null), 401);
    assertJsonError(send("GET", "/api/v1/subscribe?topic=t", null, null), 401);
    assertEquals(0, nodes.a.metrics().total("weft_messages_published_total"), "nothing was published");
    HttpResponse<String> ok = send("POST", "/api/v1/publish", body, token);
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals("PUBLISHED", JSON.readTree(ok.body()).path("status").asText());
  }

  @Test
  void badInputIsA4xxWithAMessage() throws Exception {
    assertJsonError(send("POST", "/api/v1/publish", "{not json", token), 400);
    assertJsonError(send("POST", "/api/v1/publish", "[1,2]", token), 400);
    assertJsonError(send("POST", "/api/v1/publish", "{\"topic\":\"t\"}", token), 400);
    assertJsonError(send("POST", "/api/v1/publish", "{\"topic\":\"t\",\"dataBase64\":\"@@@\"}", token), 400);
    assertJsonError(send("POST", "/api/v1/connect", "{\"addr\":\"/ip4/999.1.1.1/tcp/1\"}", token), 400);
    assertJsonError(send("POST", "/api/v1/connect", "{\"addr\":\"/ip4/127.0.0.1/tcp/1\"}", token), 400);
    assertJsonError(send("GET", "/api/v1/scores/not-a-peer-id", null, null), 400);
    // a well-formed peer ID that the node has never seen
    String stranger = dev.weft.net.crypto.Ed25519Keys.generate(new java.security.SecureRandom())
        .publicKey().peerId().toBase58();
    assertJsonError(send("GET", "/api/v1/scores/" + stranger, null, null), 404);
    assertJsonError(send("GET", "/api/v1/quarantine/" + stranger, null, null), 404);
    assertJsonError(send("POST", "/api/v1/quarantine/" + stranger + "/ban", "{}", token), 404);
    String peer = nodes.b.peerId().toBase58();
    assertJsonError(send("POST", "/api/v1/quarantine/" + peer + "/ban", "{\"durationSeconds\":-5}", token), 400);
    assertJsonError(send("POST", "/api/v1/quarantine/" + peer + "/nuke", "{}", token), 404);
    assertJsonError(send("GET", "/api/v1/nope", null, null), 404);
    assertJsonError(send("DELETE", "/api/v1/peers", null, null), 405);
    assertJsonError(send("GET", "/api/v1/subscribe?topic=t&count=-1", null, token), 400);
  }

  @Test
  void quarantineBanAndReleaseChangeState() throws Exception {
    String peer = nodes.b.peerId().toBase58();
    HttpResponse<String> ban = send("POST", "/api/v1/quarantine/" + peer + "/ban",
        "{\"durationSeconds\":60,\"detail\":\"test\"}", token);
    assertEquals(200, ban.statusCode(), ban.body());
    assertEquals("BANNED", JSON.readTree(ban.body()).path("state").asText());
    JsonNode list = JSON.readTree(send("GET", "/api/v1/quarantine", null, null).body());
    assertEquals(peer, list.get(0).path("peer").asText());
    JsonNode explain = JSON.readTree(send("GET", "/api/v1/quarantine/" + peer, null, null).body());
    assertEquals("BANNED", explain.path("state").asText());
    assertTrue(explain.path("text").asText().contains("OPERATOR") || explain.path("text").asText().contains("test"),
        explain.path("text").asText());
    // the ban disconnects the peer (health tick), and the node shows it in its metrics
    await().atMost(Duration.ofSeconds(20)).until(() -> nodes.a.host().connection(nodes.b.peerId()).isEmpty());
    assertEquals(1, nodes.a.metrics().total("weft_bans_total"));
    HttpResponse<String> rel = send("POST", "/api/v1/quarantine/" + peer + "/release", "{}", token);
    assertEquals("HEALTHY", JSON.readTree(rel.body()).path("state").asText());
  }

  @Test
  void metricsAndProbes() throws Exception {
    assertEquals(200, send("GET", "/livez", null, null).statusCode());
    assertEquals(200, send("GET", "/readyz", null, null).statusCode());
    send("POST", "/api/v1/publish", "{\"topic\":\"t\",\"data\":\"hello\"}", token);
    await().atMost(Duration.ofSeconds(20)).until(() -> nodes.b.metrics().total("weft_messages_delivered_total") == 1);
    HttpResponse<String> m = send("GET", "/metrics", null, null);
    assertEquals(200, m.statusCode());
    assertTrue(m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    String text = m.body();
    assertTrue(text.contains("# TYPE weft_messages_published_total counter"), text);
    assertTrue(text.contains("weft_messages_published_total{topic=\"t\"} 1\n"), text);
    assertTrue(text.contains("weft_bytes_out_total{topic=\"t\"} 5\n"), text);
    assertTrue(text.contains("weft_mesh_peers{topic=\"t\"} 1\n"), text);
    assertTrue(text.contains("weft_connections{direction=\"inbound\"} 1\n"), text);
    assertTrue(text.contains("weft_peer_score{peer=\"" + nodes.b.peerId().toBase58() + "\"}"), text);
    for (String line : text.split("\n")) {
      assertTrue(line.startsWith("#") || line.matches("[a-z_]+(\\{[^}]*\\})? [-+0-9.eEInfNa]+"), line);
    }
  }
}
