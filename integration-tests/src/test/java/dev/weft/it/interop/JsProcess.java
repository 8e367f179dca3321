package dev.weft.it.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A Node.js child process that prints one JSON object per line on stdout (peer.mjs, bulk.mjs).
 *
 * <p>Every stdout line is parsed and appended to an event history (non-JSON lines become
 * {@code {"event":"stdout-text","line":..}}); listeners see each event on the reader thread.
 * stderr is drained into a ring of the last {@value #STDERR_LINES} lines (for failure messages) and,
 * unless {@code -Dweft.interop.js.echo=false}, echoed to {@code System.err} with a prefix.
 *
 * <p>Event positions are global indexes: {@link #mark()} returns the index the next event will get,
 * and the {@code await*} methods search the history from a position, then wait for new events. The
 * history keeps at most {@value #MAX_HISTORY} events; older ones are dropped.
 */
public final class JsProcess implements AutoCloseable {

  /** Number of stderr lines kept for failure messages. */
  public static final int STDERR_LINES = 200;
  /** Maximum number of events kept in the history. */
  public static final int MAX_HISTORY = 200_000;

  static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final Process process;
  private final OutputStream stdin;
  private final Object lock = new Object();
  private final ArrayList<JsonNode> history = new ArrayList<>();
  private long base; // global index of history.get(0)
  private boolean stdoutClosed;
  private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
  private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();
  private final Thread stdoutReader;
  private final Thread stderrReader;
  private final boolean echo;

  private JsProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stdin = process.getOutputStream();
    this.echo = !"false".equalsIgnoreCase(System.getProperty("weft.interop.js.echo", "true"));
    this.stdoutReader = new Thread(this::readStdout, "js-" + name + "-stdout");
    this.stderrReader = new Thread(this::readStderr, "js-" + name + "-stderr");
    stdoutReader.setDaemon(true);
    stderrReader.setDaemon(true);
  }

  /**
   * Starts {@code node <script> <args...>} in {@code jsDir}.
   *
   * @param name short label used in thread names, logs and failure messages
   * @param jsDir directory holding the script and node_modules
   * @param script script file name relative to jsDir, e.g. {@code peer.mjs}
   * @param args further command-line arguments
   * @param env extra environment variables (e.g. {@code DEBUG=libp2p:*})
   */
  public static JsProcess start(String name, Path jsDir, String script, List<String> args, Map<String, String> env) {
    List<String> cmd = new ArrayList<>();
    cmd.add(NodeCheck.nodeExecutable());
    cmd.add(script);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(jsDir.toFile());
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd + " in " + jsDir, e);
    }
    JsProcess jp = new JsProcess(name, p);
    jp.stdoutReader.start();
    jp.stderrReader.start();
    return jp;
  }

  /** The label given at start. */
  public String name() {
    return name;
  }

  /** The underlying process. */
  public Process process() {
    return process;
  }

  /** The OS process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Registers a listener called (on the stdout reader thread) for every later event, and once with
   * {@code null} when stdout has ended (the process exited). Listeners must not block.
   */
  public void addListener(Consumer<JsonNode> listener) {
    listeners.add(listener);
  }

  /** Removes a listener. */
  public void removeListener(Consumer<JsonNode> listener) {
    listeners.remove(listener);
  }

  /** Writes one line (a JSON document without newline) to the process's stdin. */
  public void sendLine(String json) {
    byte[] bytes = (json + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (stdin) {
      try {
        stdin.write(bytes);
        stdin.flush();
      } catch (IOException e) {
        throw new JsPeerException("cannot write to js process " + name + " (" + e.getMessage() + ")"
            + exitInfo() + stderrForMessage(), e);
      }
    }
  }

  /** Closes the process's stdin (peer.mjs and pipe-connected bulk.mjs exit on EOF). */
  public void closeStdin() {
    synchronized (stdin) {
      try {
        stdin.close();
      } catch (IOException ignored) {
        // already closed or the process is gone
      }
    }
  }

  /** The global index the next event will get. */
  public long mark() {
    synchronized (lock) {
      return base + history.size();
    }
  }

  /** A snapshot of the events still in the history. */
  public List<JsonNode> events() {
    synchronized (lock) {
      return Collections.unmodifiableList(new ArrayList<>(history));
    }
  }

  /** Events matching {@code filter} currently in the history. */
  public List<JsonNode> events(Predicate<JsonNode> filter) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : events()) {
      if (filter.test(e)) {
        out.add(e);
      }
    }
    return out;
  }

  /** First event (from the whole history or later) matching {@code pred}. */
  public JsonNode awaitEvent(Predicate<JsonNode> pred, Duration timeout) {
    return awaitEventAfter(0, pred, timeout);
  }

  /** First event at a global index {@code >= from} matching {@code pred}. */
  public JsonNode awaitEventAfter(long from, Predicate<JsonNode> pred, Duration timeout) {
    return awaitEvents(from, pred, 1, timeout).get(0);
  }

  /**
   * The first {@code count} events at global index {@code >= from} matching {@code pred}, waiting
   * up to {@code timeout} for them.
   *
   * @throws JsPeerException on timeout or when the process has exited without producing them
   */
  public List<JsonNode> awaitEvents(long from, Predicate<JsonNode> pred, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonNode> found = new ArrayList<>();
    long next = from;
    synchronized (lock) {
      while (true) {
        long start = Math.max(next, base);
        long end = base + history.size();
        for (long i = start; i < end; i++) {
          JsonNode e = history.get((int) (i - base));
          if (pred.test(e)) {
            found.add(e);
            if (found.size() == count) {
              return found;
            }
          }
        }
        next = end;
        if (stdoutClosed) {
          throw new JsPeerException("js process " + name + " ended its output before " + count
              + " matching event(s) arrived (got " + found.size() + ")" + exitInfo() + stderrForMessage());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new JsPeerException("timed out after " + timeout.toMillis() + " ms waiting for " + count
              + " matching event(s) from js process " + name + " (got " + found.size() + ")"
              + stderrForMessage());
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new JsPeerException("interrupted while waiting for an event from " + name, e);
        }
      }
    }
  }

  /** The last stderr lines (at most {@value #STDERR_LINES}), joined with newlines. */
  public String stderrTail() {
    synchronized (stderrTail) {
      return String.join("\n", stderrTail);
    }
  }

  /**
   * Waits up to {@code grace} for the process to exit on its own, then destroys it and its
   * descendants (SIGTERM, then SIGKILL after 2 s).
   *
   * @return the exit code, or -1 if the process could not be reaped
   */
  public int terminate(Duration grace) {
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(2, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    closeStdin();
    try {
      stdoutReader.join(2000);
      stderrReader.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** Closes stdin, then {@link #terminate(Duration)} with a 5 s grace period. */
  @Override
  public void close() {
    closeStdin();
    terminate(Duration.ofSeconds(5));
  }

  String exitInfo() {
    return process.isAlive() ? "" : " (exit code " + process.exitValue() + ")";
  }

  String stderrForMessage() {
    String tail = stderrTail();
    return tail.isEmpty() ? "" : "\n--- last stderr lines of js process " + name + " ---\n" + tail;
  }

  private void readStdout() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
          if (!node.isObject()) {
            throw new IOException("not an object");
          }
        } catch (IOException e) {
          ObjectNode o = JSON.createObjectNode();
          o.put("event", "stdout-text");
          o.put("line", line);
          node = o;
          addStderr("[stdout] " + line);
        }
        synchronized (lock) {
          history.add(node);
          if (history.size() > MAX_HISTORY) {
            int drop = MAX_HISTORY / 2;
            history.subList(0, drop).clear();
            base += drop;
          }
          lock.notifyAll();
        }
        for (Consumer<JsonNode> l : listeners) {
          try {
            l.accept(node);
          } catch (RuntimeException e) {
            addStderr("[java] listener failed: " + e);
          }
        }
      }
    } catch (IOException e) {
      addStderr("[java] stdout read failed: " + e.getMessage());
    } finally {
      synchronized (lock) {
        stdoutClosed = true;
        lock.notifyAll();
      }
      for (Consumer<JsonNode> l : listeners) {
        try {
          l.accept(null);
        } catch (RuntimeException ignored) {
          // end-of-stream notification only
        }
      }
    }
  }

  private void readStderr() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        addStderr(line);
        if (echo) {
          System.err.println("[js " + name + "] " + line);
        }
      }
    } catch (IOException e) {
      addStderr("[java] stderr read failed: " + e.getMessage());
    }
  }

  private void addStderr(String line) {
    synchronized (stderrTail) {
      if (stderrTail.size() == STDERR_LINES) {
        stderrTail.removeFirst();
      }
      stderrTail.addLast(line);
    }
  }
}
