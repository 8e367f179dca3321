package dev.weft.bench.mux;

import java.util.concurrent.TimeUnit;

import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import dev.weft.net.yamux.YamuxConfig;
import dev.weft.net.yamux.YamuxHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * yamux framing throughput in memory: a client session encodes data frames, the bytes are moved
 * to a server session that decodes them and hands them to a stream handler (window updates
 * travel back the same way). No sockets, no encryption: this measures the muxer alone.
 * Throughput in MB/s = ops/s × size / 10^6 (one op = one data frame of {@code size} bytes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class YamuxFramingBenchmark {
  private static final int BATCH = 16;

  @Param({"1024", "65536"})
  public int size;

  private EmbeddedChannel clientCh;
  private EmbeddedChannel serverCh;
  private MuxedStream stream;
  private ByteBuf payload;
  private long received;

  @Setup(Level.Trial)
  public void setUp() {
    YamuxConfig cfg = YamuxConfig.defaults().withKeepAliveInterval(null);
    StreamHandler sink = new StreamHandler() {
      @Override
      public void onData(MuxedStream s, ByteBuf data) {
        received += data.readableBytes();
        data.release();
      }
    };
    YamuxHandler client = new YamuxHandler(true, s -> s.reset(), cfg);
    YamuxHandler server = new YamuxHandler(false, s -> s.setHandler(sink), cfg);
    clientCh = new EmbeddedChannel(client);
    serverCh = new EmbeddedChannel(server);
    stream = client.openStream(new StreamHandler() {
      @Override
      public void onData(MuxedStream s, ByteBuf data) {
        data.release();
      }
    });
    payload = Unpooled.directBuffer(size);
    for (int i = 0; i < size; i++) {
      payload.writeByte(i);
    }
    stream.flush();
    shuttle();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    payload.release();
    clientCh.finishAndReleaseAll();
    serverCh.finishAndReleaseAll();
  }

  /** Moves bytes both ways until both sides are quiet (window-blocked data included). */
  private void shuttle() {
    boolean progress = true;
    while (progress) {
      progress = false;
      Object o;
      while ((o = clientCh.readOutbound()) != null) {
        serverCh.writeInbound(o);
        progress = true;
      }
      while ((o = serverCh.readOutbound()) != null) {
        clientCh.writeInbound(o);
        progress = true;
      }
    }
  }

  /** One frame written and flushed per operation. */
  @Benchmark
  public long writeFlushEach() {
    stream.writeAndFlush(payload.retainedDuplicate());
    shuttle();
    return received;
  }

  /** {@value #BATCH} frames per flush: the batching path a busy stream takes. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long writeBatchedFlush() {
    for (int i = 0; i < BATCH; i++) {
      stream.write(payload.retainedDuplicate());
    }
    stream.flush();
    shuttle();
    return received;
  }
}
