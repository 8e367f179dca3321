package dev.weft.net.ping;

import dev.weft.net.host.Connection;
import dev.weft.net.host.Host;
import dev.weft.net.host.ProtocolHandler;
import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libp2p ping ({@code /ipfs/ping/1.0.0}): the responder echoes every byte until the dialer
 * half-closes; the dialer sends 32 random bytes and times their return.
 *
 * <p>One outbound ping stream per connection is kept open and reused (the spec's advice); pings
 * requested while one is in flight queue behind it. js's connection monitor instead opens a new
 * stream per ping every 10 s; both are answered by the same responder.
 */
public final class PingService {
  private static final Logger log = LoggerFactory.getLogger(PingService.class);

  public static final String ID = "/ipfs/ping/1.0.0";
  public static final int PING_BYTES = 32;
  public static final long TIMEOUT_MS = 10_000;

  private final SecureRandom random = new SecureRandom();
  private final Map<Connection, Pinger> pingers = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong inboundStreams = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong echoedBytes = new java.util.concurrent.atomic.AtomicLong();

  /** Inbound ping streams served since start (js's connection monitor opens one per ping). */
  public long inboundStreams() {
    return inboundStreams.get();
  }

  /** Bytes echoed back to pinging peers since start. */
  public long echoedBytes() {
    return echoedBytes.get();
  }

  /** Echoes whatever the dialer sends; half-closes when the dialer does. */
  public ProtocolHandler responder() {
    return (conn, stream) -> {
      inboundStreams.incrementAndGet();
      return new StreamHandler() {
      @Override
      public void onData(MuxedStream s, ByteBuf data) {
        echoedBytes.addAndGet(data.readableBytes());
        s.writeAndFlush(data);
      }

      @Override
      public void onRemoteClose(MuxedStream s) {
        s.closeWrite();
      }
      };
    };
  }

  /** Measures one round trip on {@code conn}. */
  public CompletableFuture<Duration> ping(Host host, Connection conn) {
    CompletableFuture<Duration> result = new CompletableFuture<>();
    byte[] payload = new byte[PING_BYTES];
    random.nextBytes(payload);
    Pinger pinger = pingers.computeIfAbsent(conn, c -> {
      Pinger p = new Pinger(host, c);
      c.closeFuture().whenComplete((r, e) -> pingers.remove(c));
      return p;
    });
    conn.eventLoop().execute(() -> pinger.enqueue(new Pending(payload, result)));
    return result;
  }

  private record Pending(byte[] payload, CompletableFuture<Duration> result) {}

  /** The per-connection outbound ping stream; touched only on the connection's event loop. */
  private final class Pinger implements StreamHandler {
    private final Host host;
    private final Connection conn;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private MuxedStream stream;
    private boolean opening;
    private Pending inFlight;
    private long sentAtNanos;
    private PingEcho echo;
    private ScheduledFuture<?> timeout;

    Pinger(Host host, Connection conn) {
      this.host = host;
      this.conn = conn;
    }

    void enqueue(Pending p) {
      queue.add(p);
      pump();
    }

    private void pump() {
      if (inFlight != null || queue.isEmpty()) {
        return;
      }
      if (stream == null) {
        if (!opening) {
          opening = true;
          host.newStream(conn, List.of(ID), this).whenComplete((s, err) ->
              conn.eventLoop().execute(() -> {
                opening = false;
                if (err != null) {
                  failAll("cannot open ping stream: " + err.getMessage());
                } else {
                  stream = s;
                  pump();
                }
              }));
        }
        return;
      }
      inFlight = queue.poll();
      echo = new PingEcho(inFlight.payload());
      sentAtNanos = System.nanoTime();
      stream.writeAndFlush(Unpooled.wrappedBuffer(inFlight.payload().clone()));
      timeout = conn.eventLoop().schedule(() -> {
        log.debug("ping to {} timed out", conn.remotePeer());
        resetStream("ping timed out after " + TIMEOUT_MS + " ms");
      }, TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onData(MuxedStream s, ByteBuf data) {
      PingEcho.Result r;
      try {
        if (inFlight == null) {
          resetStream("unsolicited ping data");
          return;
        }
        r = echo.feed(data);
      } finally {
        data.release();
      }
      switch (r) {
        case INCOMPLETE -> { }
        case TOO_LONG -> resetStream("ping answer longer than " + PING_BYTES + " bytes");
        case MATCHED, MISMATCHED -> {
          long rtt = System.nanoTime() - sentAtNanos;
          echo = null;
          timeout.cancel(false);
          Pending done = inFlight;
          inFlight = null;
          if (r == PingEcho.Result.MATCHED) {
            done.result().complete(Duration.ofNanos(rtt));
          } else {
            done.result().completeExceptionally(new IllegalStateException("ping echo did not match"));
          }
          pump();
        }
        default -> throw new IllegalStateException();
      }
    }

    @Override
    public void onRemoteClose(MuxedStream s) {
      resetStream("remote closed the ping stream");
    }

    @Override
    public void onReset(MuxedStream s) {
      stream = null;
      failAll("ping stream reset");
    }

    private void resetStream(String reason) {
      MuxedStream s = stream;
      stream = null;
      if (s != null) {
        s.reset();
      }
      failAll(reason);
    }

    private void failAll(String reason) {
      if (timeout != null) {
        timeout.cancel(false);
      }
      echo = null;
      IllegalStateException e = new IllegalStateException(reason);
      if (inFlight != null) {
        inFlight.result().completeExceptionally(e);
        inFlight = null;
      }
      while (!queue.isEmpty()) {
        queue.poll().result().completeExceptionally(e);
      }
    }
  }
}
