package dev.weft.cli.demo;

import dev.weft.cli.metrics.NodeMetrics;
import dev.weft.core.gossip.ValidationResult;
import dev.weft.core.wire.PubMessage;
import dev.weft.net.pubsub.PubSub;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Synthetic market data for the demo and topology runs. Text messages, one per quote, trade or
 * block: {@code Q|<instrument>|<bid>|<ask>|<seq>|<publish epoch ns>}, {@code T|<instrument>|<price>|
 * <qty>|<seq>|<publish epoch ns>}, {@code B|<height>|-|-|<seq>|<publish epoch ns>|<padding>}. The
 * publish time feeds the delivery-latency histograms; the validator rejects anything else.
 */
public final class MarketData {
  private MarketData() {}

  public static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** One message of {@code kind} (quotes, trades, blocks), padded to {@code sizeBytes} if given. */
  public static byte[] message(String kind, String instrument, long seq, RandomGenerator r,
      Integer sizeBytes) {
    double mid = 100 + (instrument.hashCode() & 0xff) + r.nextDouble() * 2;
    String text = switch (kind) {
      case "quotes" -> String.format(Locale.ROOT, "Q|%s|%.4f|%.4f|%d|%d", instrument, mid - 0.01,
          mid + 0.01, seq, epochNanos());
      case "trades" -> String.format(Locale.ROOT, "T|%s|%.4f|%d|%d|%d", instrument, mid,
          1 + r.nextInt(500), seq, epochNanos());
      case "blocks" -> String.format(Locale.ROOT, "B|%d|-|-|%d|%d", seq, seq, epochNanos());
      default -> throw new IllegalArgumentException("unknown kind " + kind);
    };
    byte[] head = text.getBytes(StandardCharsets.US_ASCII);
    if (sizeBytes == null || sizeBytes <= head.length + 1) {
      return head;
    }
    byte[] out = new byte[sizeBytes];
    System.arraycopy(head, 0, out, 0, head.length);
    out[head.length] = '|';
    for (int i = head.length + 1; i < out.length; i++) {
      out[i] = (byte) ('a' + (i % 26));
    }
    return out;
  }

  /** Garbage an attacker sends: looks like a quote to nobody. */
  public static byte[] spam(long seq, RandomGenerator r) {
    return ("X|spam|" + seq + "|" + Long.toHexString(r.nextLong())).getBytes(StandardCharsets.US_ASCII);
  }

  /** The publish time of a market-data message, or -1. */
  public static final NodeMetrics.PublishClock CLOCK = MarketData::publishTime;

  static long publishTime(PubMessage m) {
    byte[] d = m.data();
    if (d.length < 12 || d[1] != '|' || (d[0] != 'Q' && d[0] != 'T' && d[0] != 'B')) {
      return -1;
    }
    int field = 0;
    int start = -1;
    for (int i = 0; i <= d.length; i++) {
      if (i == d.length || d[i] == '|') {
        if (field == 5) {
          return parseLong(d, start, i);
        }
        field++;
        start = i + 1;
      }
    }
    return -1;
  }

  private static long parseLong(byte[] d, int from, int to) {
    if (from < 0 || to - from < 1 || to - from > 19) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int c = d[i] - '0';
      if (c < 0 || c > 9) {
        return -1;
      }
      v = v * 10 + c;
    }
    return v;
  }

  /** Accepts well-formed quotes, trades and blocks; rejects anything else (the sender is penalised). */
  public static final PubSub.TopicValidator VALIDATOR =
      (m, from) -> publishTime(m) > 0 ? ValidationResult.ACCEPT : ValidationResult.REJECT;
}
