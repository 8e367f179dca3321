package dev.weft.net.multistream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * multistream-select: arbitrary input must end in selection of a protocol we support, failure
 * (channel closed), or waiting; never an exception, never a message over {@link
 * Negotiator#MAX_MESSAGE}, never consuming pipelined bytes that follow the selection.
 */
class NegotiatorFuzzTest {
  static final List<String> SUPPORTED = List.of("/a", "/b", "/yamux/1.0.0");

  /** Records events and bytes forwarded past the negotiator. */
  static final class Tail extends ChannelInboundHandlerAdapter {
    final List<Object> events = new ArrayList<>();
    int forwarded;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      events.add(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      forwarded += ((ByteBuf) msg).readableBytes();
      ((ByteBuf) msg).release();
    }
  }

  @FuzzTest(maxDuration = "30s")
  void listenerChannel(byte[] input) {
    Tail tail = new Tail();
    EmbeddedChannel ch = new EmbeddedChannel(MultistreamHandler.listener(SUPPORTED), tail);
    try {
      int chunk = 1 + (input.length > 0 ? (input[0] & 0x07) : 0);
      for (int i = 0; i < input.length && ch.isOpen(); i += chunk) {
        ch.writeInbound(Unpooled.wrappedBuffer(input, i, Math.min(chunk, input.length - i)));
      }
      ch.checkException();
      long selected = tail.events.stream().filter(e -> e instanceof ProtocolSelected).count();
      long failed = tail.events.stream().filter(e -> e instanceof ProtocolNegotiationFailed).count();
      assertTrue(selected + failed <= 1, "more than one outcome: " + tail.events);
      if (selected == 1) {
        ProtocolSelected s = (ProtocolSelected) tail.events.stream()
            .filter(e -> e instanceof ProtocolSelected).findFirst().orElseThrow();
        assertTrue(SUPPORTED.contains(s.protocol()), "selected unsupported " + s.protocol());
      } else {
        assertEquals(0, tail.forwarded, "bytes forwarded before a protocol was selected");
      }
      if (failed == 1) {
        assertFalse(ch.isOpen(), "failed negotiation left the channel open");
      }
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @FuzzTest(maxDuration = "30s")
  void negotiatorStateMachine(byte[] input) {
    boolean dialer = input.length > 0 && (input[0] & 1) == 1;
    Negotiator n = dialer ? Negotiator.dialer(List.of("/x", "/b"))
        : Negotiator.listener(Set.copyOf(SUPPORTED)::contains, () -> SUPPORTED);
    if (dialer) {
      n.start();
    }
    ByteBuf cumulation = Unpooled.buffer();
    try {
      Negotiator.Outcome last = Negotiator.Outcome.PENDING;
      for (int i = 1; i < input.length && last == Negotiator.Outcome.PENDING; i += 5) {
        cumulation.writeBytes(input, i, Math.min(5, input.length - i));
        int before = cumulation.readableBytes();
        Negotiator.Step step = n.feed(cumulation);
        assertNotNull(step.outcome());
        assertTrue(cumulation.readableBytes() <= before);
        // a pending negotiator holds at most one incomplete message
        if (step.outcome() == Negotiator.Outcome.PENDING) {
          assertTrue(cumulation.readableBytes() <= Negotiator.MAX_MESSAGE + Negotiator.MAX_PREFIX_BYTES,
              "buffered " + cumulation.readableBytes());
        }
        if (step.outcome() == Negotiator.Outcome.SELECTED) {
          assertTrue(dialer ? List.of("/x", "/b").contains(step.protocol())
              : SUPPORTED.contains(step.protocol()), step.protocol());
          assertEquals(step.protocol(), n.selected());
        }
        if (step.outcome() == Negotiator.Outcome.FAILED) {
          assertNotNull(step.reason());
        }
        last = step.outcome();
      }
    } finally {
      cumulation.release();
    }
  }
}
