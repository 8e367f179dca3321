package dev.weft.it.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code bulk.mjs}, the single-stream throughput benchmark over protocol
 * {@value #PROTOCOL}: the dialer writes N bytes in chunks and half-closes; the listener discards
 * and counts them, then replies with the count as an 8-byte big-endian unsigned integer and closes.
 * A Java implementation of either side must follow the same exchange.
 *
 * <ul>
 *   <li>{@link #pair} – js → js inside one node process (baseline);</li>
 *   <li>{@link #sink} – a js listener a Java dialer streams to;</li>
 *   <li>{@link #source} – a js dialer streaming to a Java (or js) listener.</li>
 * </ul>
 */
public final class JsBulk {

  /** The benchmark protocol id. */
  public static final String PROTOCOL = "/weft/bench/1.0.0";

  private JsBulk() {
  }

  /**
   * One finished transfer.
   *
   * @param bytes payload bytes transferred
   * @param seconds elapsed time (dialer: first write to count reply; sink: first byte to EOF)
   * @param mibPerSec throughput in MiB/s
   * @param raw the JSON line printed by bulk.mjs
   */
  public record Result(long bytes, double seconds, double mibPerSec, JsonNode raw) {
    static Result of(JsonNode n) {
      return new Result(n.path("bytes").asLong(), n.path("seconds").asDouble(), n.path("mibPerSec").asDouble(), n);
    }
  }

  /** js → js over {@code muxer} ({@code yamux}/{@code mplex}) with two nodes in one process. */
  public static Result pair(double mib, String muxer, Duration timeout) {
    return runToEnd("bulk-pair", List.of("pair", "--mib", fmt(mib), "--muxer", muxer), timeout);
  }

  /** A js dialer streams {@code mib} MiB to {@code addr} (multiaddr ending in /p2p/..). */
  public static Result source(String addr, double mib, String muxer, Duration timeout) {
    return runToEnd("bulk-source", List.of("source", "--addr", addr, "--mib", fmt(mib), "--muxer", muxer), timeout);
  }

  /** Starts a js listener for {@value #PROTOCOL}; waits (≤ 30 s) for it to listen. */
  public static Sink sink(String muxer) {
    Path dir = NodeCheck.requireJsEnvironment();
    JsProcess p = JsProcess.start("bulk-sink", dir, "bulk.mjs", List.of("sink", "--muxer", muxer), Map.of());
    try {
      JsonNode ready = p.awaitEvent(e -> JsPeer.isEvent(e, "ready") || JsPeer.isEvent(e, "error"), Duration.ofSeconds(30));
      if (!JsPeer.isEvent(ready, "ready")) {
        throw new JsPeerException("bulk sink failed to start: " + ready + p.stderrForMessage());
      }
      return new Sink(p, ready);
    } catch (RuntimeException e) {
      p.terminate(Duration.ZERO);
      throw e;
    }
  }

  private static Result runToEnd(String name, List<String> args, Duration timeout) {
    Path dir = NodeCheck.requireJsEnvironment();
    try (JsProcess p = JsProcess.start(name, dir, "bulk.mjs", args, Map.of())) {
      JsonNode out = p.awaitEvent(e -> e.has("mibPerSec") || JsPeer.isEvent(e, "error"), timeout);
      if (JsPeer.isEvent(out, "error")) {
        throw new JsPeerException("bulk.mjs " + args + " failed: " + out.path("message").asText() + p.stderrForMessage());
      }
      return Result.of(out);
    }
  }

  private static String fmt(double mib) {
    return mib == Math.rint(mib) ? Long.toString((long) mib) : Double.toString(mib);
  }

  /** A running js bench listener. Close it to stop the process. */
  public static final class Sink implements AutoCloseable {
    private final JsProcess proc;
    private final JsonNode ready;
    private int seen;

    private Sink(JsProcess proc, JsonNode ready) {
      this.proc = proc;
      this.ready = ready;
    }

    /** The listener's peer ID. */
    public String peerId() {
      return ready.path("peerId").asText();
    }

    /** The listener's first address, ending in /p2p/&lt;peerId&gt;. */
    public String addr() {
      List<String> out = new ArrayList<>();
      ready.path("addrs").forEach(a -> out.add(a.asText()));
      return out.get(0);
    }

    /** Waits for the next finished inbound transfer. */
    public Result awaitTransfer(Duration timeout) {
      List<JsonNode> all = proc.awaitEvents(0, x -> JsPeer.isEvent(x, "bulk") || JsPeer.isEvent(x, "error"),
          seen + 1, timeout);
      JsonNode e = all.get(seen);
      seen++;
      if (JsPeer.isEvent(e, "error")) {
        throw new JsPeerException("bulk sink failed: " + e.path("message").asText() + proc.stderrForMessage());
      }
      return Result.of(e);
    }

    /** The process wrapper. */
    public JsProcess js() {
      return proc;
    }

    @Override
    public void close() {
      proc.close();
    }
  }
}
