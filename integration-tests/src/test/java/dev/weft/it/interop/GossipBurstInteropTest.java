package dev.weft.it.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.gossip.GossipParams;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A burst from weft to js: weft's send path merges queued message-only RPCs into one frame (their
 * protobuf encodings concatenated), so this checks js decodes such frames into every message.
 */
class GossipBurstInteropTest extends JsInteropFixture {
  private static final String TOPIC = "weft-gossip-burst";
  private static final int BURST = 2000;

  @Test
  void jsReceivesEveryMessageOfABurstSentAsMergedFrames() throws Exception {
    WeftGossipNode w = new WeftGossipNode(GossipParams.specDefaults());
    closeables.add(w);
    JsPeer js = JsPeer.startAll(1, i -> new JsPeer.Options().name("js-burst").topics(TOPIC)).get(0);
    closeables.add(js);
    w.subscribe(TOPIC);
    js.dial(w.addr());
    GossipRecoveryInteropTest.await("js meshes weft", Duration.ofSeconds(20),
        () -> js.mesh(TOPIC).contains(w.peerId().toBase58()) && w.meshHas(TOPIC, js.peerId()));

    long mark = js.mark();
    Set<String> sent = new TreeSet<>();
    List<CompletableFuture<?>> published = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      String s = "burst-" + i;
      sent.add(s);
      published.add(w.pubsub.publish(TOPIC, s.getBytes(StandardCharsets.UTF_8)));
    }
    CompletableFuture.allOf(published.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    List<JsonNode> msgs = js.awaitEvents(mark, e -> JsPeer.isEvent(e, "message")
        && TOPIC.equals(e.path("topic").asText()), BURST, Duration.ofSeconds(60));
    Set<String> got = new TreeSet<>();
    msgs.forEach(m -> got.add(m.path("data").asText()));
    assertEquals(sent, got, "js received every message of the burst exactly");
  }
}
