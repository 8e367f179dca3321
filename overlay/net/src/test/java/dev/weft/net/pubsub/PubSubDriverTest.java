package dev.weft.net.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.events.MalformedReason;
import dev.weft.core.events.OverlayEvents;
import dev.weft.core.gossip.GossipParams;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.host.Connection;
import dev.weft.net.host.Host;
import dev.weft.net.host.HostConfig;
import dev.weft.net.mux.MuxedStream;
import dev.weft.net.mux.StreamHandler;
import dev.weft.net.stream.LengthPrefixedReader;
import io.netty.buffer.ByteBuf;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The driver around the router, over real loopback connections. */
class PubSubDriverTest {
  private static final String TOPIC = "t";
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private Host host() throws Exception {
    Host h = new Host(HostConfig.builder(Ed25519Keys.generate(new SecureRandom()))
        .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).build());
    closeables.add(h);
    h.start();
    return h;
  }

  private PubSub pubsub(Host h, GossipParams params, OverlayEvents events) {
    PubSub.Config d = PubSub.Config.defaults();
    PubSub ps = new PubSub(h, new PubSub.Config(params, d.thresholds(), d.scorer(), events,
        d.limits()));
    closeables.add(ps);
    return ps;
  }

  private static Multiaddr addr(Host h) {
    return h.listenAddrs().get(0).withPeerId(h.peerId());
  }

  private static void await(String what, Duration timeout, BooleanSupplier cond)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static GossipParams fast() {
    return GossipParams.specDefaults().toBuilder()
        .heartbeatInterval(Duration.ofMillis(100)).heartbeatInitialDelay(Duration.ofMillis(50))
        .build();
  }

  @Test
  void pxCarriesSignedPeerRecordsFromIdentifySoThePrunedPeerDialsTheSuggestion()
      throws Exception {
    // A keeps a mesh of one; B and C both dial A and only know A. Whichever of them A refuses
    // is pruned with PX naming the other, which it can dial only with the record identify gave A.
    Host a = host();
    Host b = host();
    Host c = host();
    List<PeerId> pxDialsAtA = new CopyOnWriteArrayList<>();
    List<String> trace = new CopyOnWriteArrayList<>();
    PubSub pa = pubsub(a, fast().toBuilder().d(1).dLow(1).dHigh(1).dScore(1).dOut(0).dLazy(1)
        .doPx(true).build(), new OverlayEvents() {
          @Override
          public void onGraft(long nowNs, PeerId peer, String topic) {
            trace.add("A graft " + peer);
          }

          @Override
          public void onPrune(long nowNs, PeerId peer, String topic,
              dev.weft.core.events.PruneReason reason) {
            trace.add("A prune " + peer + " " + reason);
          }
        });
    OverlayEvents pxLog = new OverlayEvents() {
      @Override
      public void onPeerExchange(long nowNs, PeerId pruner, String topic, int dials) {
        trace.add("px from " + pruner + " dials " + dials);
        if (dials > 0) {
          pxDialsAtA.add(pruner);
        }
      }

      @Override
      public void onPrune(long nowNs, PeerId peer, String topic,
          dev.weft.core.events.PruneReason reason) {
        trace.add("pruned by " + peer + " " + reason);
      }
    };
    PubSub pb = pubsub(b, fast().toBuilder().doPx(true).build(), pxLog);
    PubSub pc = pubsub(c, fast().toBuilder().doPx(true).build(), pxLog);
    for (PubSub ps : List.of(pa, pb, pc)) {
      ps.subscribe(TOPIC).get(5, TimeUnit.SECONDS);
    }
    c.dial(addr(a)).get(20, TimeUnit.SECONDS);
    b.dial(addr(a)).get(20, TimeUnit.SECONDS);
    try {
      await("B and C connected through PX", Duration.ofSeconds(30),
          () -> b.connection(c.peerId()).isPresent() || c.connection(b.peerId()).isPresent());
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; A=" + a.peerId() + " B=" + b.peerId() + " C="
          + c.peerId() + " trace " + trace, e);
    }
    assertEquals(List.of(a.peerId()), pxDialsAtA.subList(0, 1), "the dial came from A's PX");
  }

  @Test
  void malformedAndOversizeFramesResetOnlyThatStreamAndAreReported() throws Exception {
    Host a = host();
    Host b = host();
    List<String> seen = new CopyOnWriteArrayList<>();
    PubSub pa = pubsub(a, fast().toBuilder().maxRpcSize(64 * 1024).maxMessageSize(32 * 1024).build(), new OverlayEvents() {
      @Override
      public void onMalformedRpc(long nowNs, PeerId peer, MalformedReason reason) {
        seen.add(reason + " " + peer);
      }
    });
    pa.subscribe(TOPIC).get(5, TimeUnit.SECONDS);
    Connection conn = b.dial(addr(a)).get(20, TimeUnit.SECONDS);

    // garbage protobuf: field 1 declared as a 100-byte string with 2 bytes present
    sendFrame(b, conn, new byte[] {0x0a, 100, 1, 2}, false);
    // a length prefix over maxFrameSize (64 KiB here)
    sendFrame(b, conn, new byte[0], true);
    await("both refusals reported", Duration.ofSeconds(20), () -> seen.size() >= 2);
    assertTrue(seen.contains("UNDECODABLE " + b.peerId()), seen.toString());
    assertTrue(seen.contains("OVERSIZE " + b.peerId()), seen.toString());
    assertEquals(2, pa.malformedFrames());
    assertTrue(conn.isOpen(), "only the stream was reset, not the connection");

    // the node keeps serving: a well-behaved pubsub peer on the same connection still works
    PubSub pb = pubsub(b, fast(), OverlayEvents.NONE);
    pb.subscribe(TOPIC).get(5, TimeUnit.SECONDS);
    List<String> got = new CopyOnWriteArrayList<>();
    pb.addListener(dl -> got.add(new String(dl.message().data())));
    await("mesh", Duration.ofSeconds(20), () -> {
      try {
        return !pa.meshPeers(TOPIC).get(5, TimeUnit.SECONDS).isEmpty();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    pa.publish(TOPIC, "still here".getBytes()).get(5, TimeUnit.SECONDS);
    await("delivery", Duration.ofSeconds(20), () -> got.contains("still here"));
  }

  @Test
  void aDriverStartedOnAnExistingConnectionStillJoinsTheMesh() throws Exception {
    // B connects to A before B runs pubsub, so A saw no pubsub protocol at identify and never
    // opens a stream to B: B's driver must introduce itself to the peers it already has.
    Host a = host();
    Host b = host();
    PubSub pa = pubsub(a, fast(), OverlayEvents.NONE);
    pa.subscribe(TOPIC).get(5, TimeUnit.SECONDS);
    Connection conn = b.dial(addr(a)).get(20, TimeUnit.SECONDS);
    await("identify", Duration.ofSeconds(20), () -> conn.identify() != null);
    PubSub pb = pubsub(b, fast(), OverlayEvents.NONE);
    pb.subscribe(TOPIC).get(5, TimeUnit.SECONDS);
    await("mesh", Duration.ofSeconds(20), () -> {
      try {
        return pa.meshPeers(TOPIC).get(5, TimeUnit.SECONDS).contains(b.peerId());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static void sendFrame(Host from, Connection conn, byte[] body, boolean oversize)
      throws Exception {
    MuxedStream s = from.newStream(conn, List.of("/meshsub/1.2.0"), new StreamHandler() {
      @Override
      public void onData(MuxedStream stream, ByteBuf data) {
        data.release();
      }
    }).get(20, TimeUnit.SECONDS);
    s.eventLoop().execute(() -> {
      ByteBuf buf;
      if (oversize) {
        buf = conn.channel().alloc().buffer();
        buf.writeBytes(new byte[] {(byte) 0x80, (byte) 0x80, 0x40}); // varint 1 MiB
        buf.writeBytes(new byte[16]);
      } else {
        buf = LengthPrefixedReader.frame(conn.channel().alloc(), body);
      }
      s.writeAndFlush(buf);
    });
  }
}
