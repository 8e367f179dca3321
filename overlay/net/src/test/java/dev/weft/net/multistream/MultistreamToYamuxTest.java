package dev.weft.net.multistream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import dev.weft.net.yamux.YamuxConfig;
import dev.weft.net.yamux.YamuxFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import dev.weft.net.yamux.YamuxHandler;
import org.junit.jupiter.api.Test;

/** Connection-level negotiation handing pipelined bytes to the muxer installed on selection. */
class MultistreamToYamuxTest {

  @Test
  void yamuxFramesPipelinedBehindProposalShouldReachTheInstalledMuxer() {
    List<MuxedStream> inbound = new ArrayList<>();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    ChannelInboundHandlerAdapter installer = new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ProtocolSelected sel && sel.protocol().equals(YamuxHandler.PROTOCOL_ID)) {
          ctx.pipeline().replace(this, "yamux", new YamuxHandler(false, s -> {
            inbound.add(s);
            s.setHandler(new StreamHandler() {
              @Override
              public void onData(MuxedStream stream, ByteBuf data) {
                got.writeBytes(ByteBufUtil.getBytes(data));
                data.release();
              }
            });
          }, YamuxConfig.defaults().withKeepAliveInterval(null)));
        }
      }
    };
    EmbeddedChannel ch = new EmbeddedChannel(
        MultistreamHandler.listener(List.of(YamuxHandler.PROTOCOL_ID)), installer);
    ByteBuf in = Unpooled.buffer();
    in.writeBytes(Negotiator.encode(Negotiator.HEADER));
    in.writeBytes(Negotiator.encode(YamuxHandler.PROTOCOL_ID));
    YamuxFrame.writeHeader(in, YamuxFrame.TYPE_DATA, YamuxFrame.FLAG_SYN, 1, 3);
    in.writeBytes(new byte[] {'a', 'b', 'c'});
    ch.writeInbound(in);
    assertEquals(1, inbound.size());
    assertEquals("abc", got.toString(java.nio.charset.StandardCharsets.UTF_8));
    ch.finishAndReleaseAll();
  }
}
