package dev.weft.net.multistream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import dev.weft.net.yamux.YamuxConfig;
import dev.weft.net.yamux.YamuxHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class StreamNegotiatorTest {

  /** Collects bytes; optionally echoes them back. */
  static final class Collector implements StreamHandler {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    final boolean echo;
    boolean reset;

    Collector(boolean echo) {
      this.echo = echo;
    }

    @Override
    public void onData(MuxedStream stream, ByteBuf buf) {
      data.writeBytes(ByteBufUtil.getBytes(buf));
      if (echo) {
        stream.writeAndFlush(buf);
      } else {
        buf.release();
      }
    }

    @Override
    public void onReset(MuxedStream stream) {
      reset = true;
    }

    String text() {
      return data.toString(StandardCharsets.UTF_8);
    }
  }

  /** Yamux client/server pair; server negotiates every inbound stream with {@code protocols}. */
  static final class Setup {
    final List<Collector> serverHandlers = new ArrayList<>();
    final List<MuxedStream> serverStreams = new ArrayList<>();
    final YamuxHandler client;
    final EmbeddedChannel clientCh;
    final EmbeddedChannel serverCh;

    Setup(List<String> protocols) {
      YamuxConfig cfg = YamuxConfig.defaults().withKeepAliveInterval(null);
      client = new YamuxHandler(true, s -> s.reset(), cfg);
      Map<String, Supplier<StreamHandler>> map = new java.util.LinkedHashMap<>();
      for (String p : protocols) {
        map.put(p, () -> {
          Collector c = new Collector(true);
          serverHandlers.add(c);
          return c;
        });
      }
      YamuxHandler server = new YamuxHandler(false, s -> {
        serverStreams.add(s);
        StreamNegotiator.listen(s, map);
      }, cfg);
      clientCh = new EmbeddedChannel(client);
      serverCh = new EmbeddedChannel(server);
    }

    void shuttle() {
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
  }

  @Test
  void dialerShouldSendHeaderAndProposalThenGetProtocolSelected() {
    Setup setup = new Setup(List.of("/echo/1.0.0"));
    MuxedStream s = setup.client.openStream(new Collector(false));
    Collector mine = new Collector(false);
    CompletableFuture<String> f = StreamNegotiator.dial(s, List.of("/echo/1.0.0"), mine);
    setup.shuttle();
    assertEquals("/echo/1.0.0", f.join());
    assertEquals("/echo/1.0.0", s.protocol());
    assertEquals("/echo/1.0.0", setup.serverStreams.get(0).protocol());
    s.writeAndFlush(Unpooled.copiedBuffer("ping!", StandardCharsets.UTF_8));
    setup.shuttle();
    assertEquals("ping!", mine.text());
    assertEquals(1, setup.serverHandlers.size(), "handler factory called once");
  }

  @Test
  void dialerShouldFallBackOnNa() {
    Setup setup = new Setup(List.of("/b"));
    MuxedStream s = setup.client.openStream(new Collector(false));
    CompletableFuture<String> f = StreamNegotiator.dial(s, List.of("/a", "/b"), new Collector(false));
    setup.shuttle();
    assertEquals("/b", f.join());
  }

  @Test
  void dialerShouldFailAndResetWhenNothingIsSupported() {
    Setup setup = new Setup(List.of("/c"));
    MuxedStream s = setup.client.openStream(new Collector(false));
    CompletableFuture<String> f = StreamNegotiator.dial(s, List.of("/a"), new Collector(false));
    setup.shuttle();
    assertTrue(f.isCompletedExceptionally());
    assertEquals(0, setup.client.openStreamCount());
  }

  @Test
  void pipelinedDataBehindProposalShouldReachTheProtocolHandler() {
    Setup setup = new Setup(List.of("/echo/1.0.0"));
    MuxedStream s = setup.client.openStream(new Collector(false));
    // lazy dialer: header, proposal and data in one write without waiting
    s.writeAndFlush(Unpooled.wrappedBuffer(MultistreamHandlerTest.concat(
        Negotiator.encode(Negotiator.HEADER), Negotiator.encode("/echo/1.0.0"),
        "early".getBytes(StandardCharsets.UTF_8))));
    setup.shuttle();
    assertEquals("early", setup.serverHandlers.get(0).text());
  }

  @Test
  void listenerShouldResetStreamOnGarbage() {
    Setup setup = new Setup(List.of("/echo/1.0.0"));
    Collector c = new Collector(false);
    MuxedStream s = setup.client.openStream(c);
    s.writeAndFlush(Unpooled.copiedBuffer("garbage garbage\n", StandardCharsets.UTF_8));
    setup.shuttle();
    assertTrue(c.reset);
    assertTrue(setup.serverHandlers.isEmpty());
    assertTrue(setup.serverCh.isOpen(), "only the stream dies");
  }

  @Test
  void listenerShouldAnswerLs() {
    Setup setup = new Setup(List.of("/x", "/y"));
    Collector raw = new Collector(false);
    MuxedStream s = setup.client.openStream(raw);
    s.writeAndFlush(Unpooled.wrappedBuffer(MultistreamHandlerTest.concat(
        Negotiator.encode(Negotiator.HEADER), Negotiator.encode("ls"))));
    setup.shuttle();
    byte[] inner = MultistreamHandlerTest.concat(Negotiator.encode("/x"), Negotiator.encode("/y"),
        new byte[] {'\n'});
    byte[] expected = MultistreamHandlerTest.concat(Negotiator.encode(Negotiator.HEADER),
        new byte[] {(byte) inner.length}, inner);
    assertEquals(ByteBufUtil.hexDump(expected), ByteBufUtil.hexDump(raw.data.toByteArray()));
    assertFalse(raw.reset);
  }
}
