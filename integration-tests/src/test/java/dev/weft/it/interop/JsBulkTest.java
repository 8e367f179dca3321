package dev.weft.it.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Proves bulk.mjs (the js side of the throughput benchmark) in its three modes, js ↔ js. */
@Timeout(value = 60)
class JsBulkTest {

  private static final long MIB = 1024 * 1024;

  @BeforeAll
  static void requireNode() {
    NodeCheck.requireJsEnvironment();
  }

  @Test
  void shouldStreamAllBytesBetweenTwoNodesInOneProcess() {
    JsBulk.Result r = JsBulk.pair(8, "yamux", Duration.ofSeconds(30));
    assertEquals(8 * MIB, r.bytes());
    assertTrue(r.seconds() > 0 && r.mibPerSec() > 0, r.raw().toString());
  }

  @Test
  void shouldCountEveryByteFromSourceAtSink() {
    try (JsBulk.Sink sink = JsBulk.sink("mplex")) {
      JsBulk.Result sent = JsBulk.source(sink.addr(), 3.5, "mplex", Duration.ofSeconds(30));
      JsBulk.Result got = sink.awaitTransfer(Duration.ofSeconds(10));
      assertEquals(3 * MIB + MIB / 2, sent.bytes());
      assertEquals(sent.bytes(), sent.raw().path("ackBytes").asLong(), "count reply of the sink");
      assertEquals(sent.bytes(), got.bytes());
      JsBulk.Result second = JsBulk.source(sink.addr(), 1, "mplex", Duration.ofSeconds(30));
      assertEquals(MIB, sink.awaitTransfer(Duration.ofSeconds(10)).bytes());
      assertEquals(MIB, second.bytes());
    }
  }
}
