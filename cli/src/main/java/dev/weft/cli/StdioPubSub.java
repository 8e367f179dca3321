package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.PubMessage;
import dev.weft.net.pubsub.PubSub;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * The script interface of {@code weft run}: JSON commands on stdin, JSON events on stdout.
 *
 * <pre>
 * stdin:  {"op":"publish","topic":"t","data":"hello"}        (or "dataBase64":"...")
 *         {"op":"subscribe","topic":"t"}  {"op":"unsubscribe","topic":"t"}
 * stdout: {"event":"published","topic":"t","id":"<hex>","recipients":3,"status":"PUBLISHED"}
 *         {"event":"message","topic":"t","id":"<hex>","from":"12D3…","seqno":"<hex>",
 *          "receivedFrom":"12D3…","recvNs":"…","data":"hello","dataBase64":"aGVsbG8="}
 *         {"event":"error","message":"…"}
 * </pre>
 */
final class StdioPubSub {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private StdioPubSub() {}

  static String messageEvent(PubSub.Delivery d) {
    PubMessage m = d.message();
    ObjectNode n = JSON.createObjectNode();
    n.put("event", "message");
    n.put("topic", d.topic());
    n.put("id", HEX.formatHex(d.id().toBytes()));
    if (m.hasFrom()) {
      try {
        n.put("from", PeerId.fromBytes(m.from()).toBase58());
      } catch (IllegalArgumentException e) {
        n.put("from", HEX.formatHex(m.from()));
      }
    }
    if (m.hasSeqno()) {
      n.put("seqno", HEX.formatHex(m.seqno()));
    }
    if (d.receivedFrom() != null) {
      n.put("receivedFrom", d.receivedFrom().toBase58());
    }
    n.put("recvNs", Long.toString(d.receivedAtNanos()));
    String text = utf8(m.data());
    if (text != null) {
      n.put("data", text);
    } else {
      n.putNull("data");
    }
    n.put("dataBase64", Base64.getEncoder().encodeToString(m.data()));
    return n.toString();
  }

  static void startStdinReader(PubSub pubsub, Consumer<String> emit) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (!line.isBlank()) {
            handle(pubsub, line, emit);
          }
        }
      } catch (IOException e) {
        emit.accept(error("stdin: " + e.getMessage()));
      }
    }, "weft-stdin");
    t.setDaemon(true);
    t.start();
  }

  static void handle(PubSub pubsub, String line, Consumer<String> emit) {
    JsonNode cmd;
    try {
      cmd = JSON.readTree(line);
    } catch (IOException e) {
      emit.accept(error("stdin line is not JSON: " + e.getMessage()));
      return;
    }
    String op = cmd.path("op").asText("");
    String topic = cmd.path("topic").asText("");
    if (topic.isEmpty()) {
      emit.accept(error("stdin command needs a \"topic\": " + line));
      return;
    }
    switch (op) {
      case "publish" -> {
        byte[] data;
        if (cmd.hasNonNull("dataBase64")) {
          try {
            data = Base64.getDecoder().decode(cmd.get("dataBase64").asText());
          } catch (IllegalArgumentException e) {
            emit.accept(error("dataBase64 is not base64: " + e.getMessage()));
            return;
          }
        } else if (cmd.hasNonNull("data")) {
          data = cmd.get("data").asText().getBytes(StandardCharsets.UTF_8);
        } else {
          emit.accept(error("publish needs \"data\" or \"dataBase64\""));
          return;
        }
        pubsub.publish(topic, data).whenComplete((r, e) -> {
          if (e != null) {
            emit.accept(error("publish to " + topic + " failed: " + e.getMessage()));
            return;
          }
          ObjectNode n = JSON.createObjectNode();
          n.put("event", "published");
          n.put("topic", topic);
          n.put("status", r.status().name());
          if (r.id() != null) {
            n.put("id", HEX.formatHex(r.id().toBytes()));
          }
          n.put("recipients", r.recipients());
          emit.accept(n.toString());
        });
      }
      case "subscribe" -> pubsub.subscribe(topic);
      case "unsubscribe" -> pubsub.unsubscribe(topic);
      default -> emit.accept(error("unknown op '" + op + "' (publish, subscribe, unsubscribe)"));
    }
  }

  private static String error(String message) {
    ObjectNode n = JSON.createObjectNode();
    n.put("event", "error");
    n.put("message", message);
    return n.toString();
  }

  private static String utf8(byte[] data) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
