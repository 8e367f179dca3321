package dev.weft.core.feed;

import dev.weft.core.node.Input;
import dev.weft.core.testkit.TestNetwork;
import dev.weft.core.wire.MessageIdFn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TestNetwork} whose nodes each run a {@link FeedSubscriber}, wired as a driver would:
 * router deliveries go through the subscriber, its requests become {@link Input.RequestMessages},
 * and it is ticked every millisecond of virtual time.
 */
final class FeedNet {
  static final String TOPIC = "md";
  static final byte[] FEED = "EURUSD".getBytes(StandardCharsets.US_ASCII);

  final TestNetwork net;
  final List<FeedSubscriber> subs = new ArrayList<>();
  final List<List<FeedMessage>> got = new ArrayList<>();
  final List<List<Long>> deliveredAtNs = new ArrayList<>();
  final List<List<String>> events = new ArrayList<>();

  FeedNet(TestNetwork.Builder builder, FeedOptions options) {
    this(builder, options, true);
  }

  FeedNet(TestNetwork.Builder builder, FeedOptions options, boolean feedIds) {
    if (feedIds) {
      builder.messageIdFn(new FeedMessageIdFn(MessageIdFn.goDefault()));
    }
    this.net = builder.build();
    for (int i = 0; i < net.size(); i++) {
      int n = i;
      List<FeedMessage> g = new ArrayList<>();
      List<Long> at = new ArrayList<>();
      List<String> ev = new ArrayList<>();
      got.add(g);
      deliveredAtNs.add(at);
      events.add(ev);
      FeedSubscriber s = new FeedSubscriber(new FeedSubscriber.Sink() {
        @Override
        public void deliver(FeedMessage m) {
          g.add(m);
          at.add(net.nowNs());
        }

        @Override
        public void request(String topic, List<dev.weft.core.wire.MessageId> ids, int maxPeers) {
          net.input(n, new Input.RequestMessages(topic, ids, maxPeers));
        }
      }, recorder(ev));
      s.follow(TOPIC, options);
      subs.add(s);
      net.onDeliver(i, d -> s.onDeliver(net.nowNs(), d));
      scheduleTicks(i);
    }
  }

  private void scheduleTicks(int i) {
    net.schedule(net.nowNs() + 1_000_000L, () -> {
      subs.get(i).tick(net.nowNs());
      scheduleTicks(i);
    });
  }

  /** Publishes sequence number {@code seq} from node {@code node} now. */
  void publish(int node, long seq) {
    byte[] data = new FeedHeader(FEED, seq, net.nowNs(), null).encode(("px" + seq).getBytes());
    net.publish(node, TOPIC, data);
  }

  List<Long> seqs(int node) {
    List<Long> out = new ArrayList<>();
    for (FeedMessage m : got.get(node)) {
      out.add(m.seq());
    }
    return out;
  }

  private static FeedEvents recorder(List<String> sink) {
    return new FeedEvents() {
      @Override
      public void onGapDetected(long nowNs, String topic, String feed, long fromSeq, long toSeq) {
        sink.add("gap " + fromSeq + ".." + toSeq);
      }

      @Override
      public void onRecovered(long nowNs, String topic, String feed, long seq, long waitedNs) {
        sink.add("recovered " + seq);
      }

      @Override
      public void onGapUnrecoverable(long nowNs, String topic, String feed, long fromSeq,
          long toSeq) {
        sink.add("unrecoverable " + fromSeq + ".." + toSeq);
      }

      @Override
      public void onHoldExpired(long nowNs, String topic, String feed, long upTo, int skipped) {
        sink.add("hold-expired " + upTo + " skipped " + skipped);
      }

      @Override
      public void onDrop(long nowNs, String topic, DropReason reason) {
        sink.add("drop " + reason);
      }
    };
  }

  static long seqOf(dev.weft.core.wire.PubMessage m) {
    return FeedHeader.decode(m.data()).header().seq();
  }

  static long publishTimeOf(dev.weft.core.wire.PubMessage m) {
    return FeedHeader.decode(m.data()).header().publishTimeNs();
  }
}
