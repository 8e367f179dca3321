package dev.weft.net.multistream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;

/**
 * The multistream-select 1.0 state machine, free of any channel: bytes are fed in through a
 * cumulation buffer, bytes to send come out of {@link Step#out()}.
 *
 * <p>The caller owns the cumulation buffer. {@link #feed(ByteBuf)} consumes only complete
 * messages; once the outcome is {@link Outcome#SELECTED}, whatever is still readable in the buffer
 * is pipelined data that belongs to the selected protocol. Not thread-safe.
 */
public final class Negotiator {
  /** The protocol id of multistream-select 1.0 itself. */
  public static final String HEADER = "/multistream/1.0.0";
  /** Largest message (length prefix value) accepted, as in js and go. */
  public static final int MAX_MESSAGE = 1024;
  /** Largest length prefix, in bytes (a 2-byte uvarint covers {@link #MAX_MESSAGE}). */
  public static final int MAX_PREFIX_BYTES = 2;

  private static final byte[] HEADER_BYTES = encode(HEADER);

  /** Negotiation state after a step. */
  public enum Outcome {
    PENDING,
    SELECTED,
    FAILED
  }

  /**
   * Result of one step.
   *
   * @param out bytes to send now (possibly empty)
   * @param outcome where the negotiation stands
   * @param protocol the agreed protocol when {@link Outcome#SELECTED}
   * @param reason why it failed when {@link Outcome#FAILED}
   */
  public record Step(byte[] out, Outcome outcome, String protocol, String reason) {}

  private final boolean dialer;
  private final List<String> proposals;
  private final Predicate<String> supported;
  private final Supplier<List<String>> advertised;
  private boolean started;
  private boolean headerSeen;
  private int proposalIndex;
  private Outcome outcome = Outcome.PENDING;
  private String selected;

  private Negotiator(boolean dialer, List<String> proposals, Predicate<String> supported,
      Supplier<List<String>> advertised) {
    this.dialer = dialer;
    this.proposals = proposals;
    this.supported = supported;
    this.advertised = advertised;
  }

  /** A dialer that proposes {@code proposals} in order. */
  public static Negotiator dialer(List<String> proposals) {
    if (proposals.isEmpty()) {
      throw new IllegalArgumentException("no protocols to propose");
    }
    for (String p : proposals) {
      checkProtocol(p);
    }
    return new Negotiator(true, List.copyOf(proposals), null, null);
  }

  /**
   * A listener that accepts any protocol {@code supported} accepts and answers {@code ls} with
   * {@code advertised}.
   */
  public static Negotiator listener(Predicate<String> supported, Supplier<List<String>> advertised) {
    return new Negotiator(false, List.of(), Objects.requireNonNull(supported),
        Objects.requireNonNull(advertised));
  }

  public boolean isDialer() {
    return dialer;
  }

  public Outcome outcome() {
    return outcome;
  }

  public String selected() {
    return selected;
  }

  /** Bytes to send before any input: the header and first proposal for a dialer, nothing for a listener. */
  public byte[] start() {
    if (started) {
      return new byte[0];
    }
    started = true;
    if (!dialer) {
      return new byte[0];
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeMessage(out, HEADER);
    writeMessage(out, proposals.get(0));
    return out.toByteArray();
  }

  /** Consumes as many complete messages from {@code in} as the negotiation needs. */
  public Step feed(ByteBuf in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!started) {
      out.writeBytes(start());
    }
    while (outcome == Outcome.PENDING) {
      if (!headerSeen && !startsLikeHeader(in)) {
        return fail(out, "expected multistream header");
      }
      String msg;
      try {
        msg = readMessage(in);
      } catch (IllegalArgumentException e) {
        return fail(out, e.getMessage());
      }
      if (msg == null) {
        break;
      }
      if (!headerSeen) {
        if (!HEADER.equals(msg)) {
          return fail(out, "expected multistream header, got " + printable(msg));
        }
        headerSeen = true;
        if (!dialer) {
          writeMessage(out, HEADER);
        }
        continue;
      }
      if (dialer) {
        String proposal = proposals.get(proposalIndex);
        if (proposal.equals(msg)) {
          outcome = Outcome.SELECTED;
          selected = proposal;
        } else if ("na".equals(msg)) {
          proposalIndex++;
          if (proposalIndex >= proposals.size()) {
            return fail(out, "remote supports none of " + proposals);
          }
          writeMessage(out, proposals.get(proposalIndex));
        } else {
          return fail(out, "unexpected answer " + printable(msg) + " to proposal " + proposal);
        }
      } else {
        if ("ls".equals(msg)) {
          writeList(out, advertised.get());
        } else if (!"na".equals(msg) && supported.test(msg)) {
          writeMessage(out, msg);
          outcome = Outcome.SELECTED;
          selected = msg;
        } else {
          writeMessage(out, "na");
        }
      }
    }
    return new Step(out.toByteArray(), outcome, selected, null);
  }

  /** Garbage is refused as soon as it diverges from the header, not after a bogus length. */
  private static boolean startsLikeHeader(ByteBuf in) {
    int n = Math.min(in.readableBytes(), HEADER_BYTES.length);
    for (int i = 0; i < n; i++) {
      if (in.getByte(in.readerIndex() + i) != HEADER_BYTES[i]) {
        return false;
      }
    }
    return true;
  }

  private Step fail(ByteArrayOutputStream out, String reason) {
    outcome = Outcome.FAILED;
    return new Step(out.toByteArray(), outcome, null, reason);
  }

  /**
   * Reads one complete message from {@code in}, or returns null (consuming nothing) if it is not
   * all there yet.
   *
   * @throws IllegalArgumentException on an oversize or malformed message
   */
  static String readMessage(ByteBuf in) {
    int start = in.readerIndex();
    int avail = in.readableBytes();
    int len = 0;
    int prefix = 0;
    while (true) {
      if (prefix >= avail) {
        return null;
      }
      int b = in.getByte(start + prefix) & 0xFF;
      len |= (b & 0x7F) << (7 * prefix);
      prefix++;
      if ((b & 0x80) == 0) {
        break;
      }
      if (prefix >= MAX_PREFIX_BYTES) {
        throw new IllegalArgumentException("length prefix longer than " + MAX_PREFIX_BYTES + " bytes");
      }
    }
    if (len > MAX_MESSAGE) {
      throw new IllegalArgumentException("message of " + len + " bytes exceeds " + MAX_MESSAGE);
    }
    if (len == 0) {
      throw new IllegalArgumentException("empty message");
    }
    if (avail < prefix + len) {
      return null;
    }
    if (in.getByte(start + prefix + len - 1) != '\n') {
      throw new IllegalArgumentException("message does not end with a newline");
    }
    String msg = in.toString(start + prefix, len - 1, StandardCharsets.UTF_8);
    in.skipBytes(prefix + len);
    return msg;
  }

  /** Encodes one message: uvarint(len) || text || '\n'. */
  public static byte[] encode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeMessage(out, text);
    return out.toByteArray();
  }

  static void writeMessage(ByteArrayOutputStream out, String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    writeUvarint(out, body.length + 1);
    out.writeBytes(body);
    out.write('\n');
  }

  private static void writeList(ByteArrayOutputStream out, List<String> protocols) {
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    for (String p : protocols) {
      ByteArrayOutputStream one = new ByteArrayOutputStream();
      writeMessage(one, p);
      if (inner.size() + one.size() + 1 > MAX_MESSAGE) {
        break;
      }
      inner.writeBytes(one.toByteArray());
    }
    inner.write('\n');
    writeUvarint(out, inner.size());
    out.writeBytes(inner.toByteArray());
  }

  private static void writeUvarint(ByteArrayOutputStream out, int value) {
    while ((value & ~0x7F) != 0) {
      out.write((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }

  private static void checkProtocol(String p) {
    if (p == null || p.isEmpty() || p.indexOf('\n') >= 0
        || p.getBytes(StandardCharsets.UTF_8).length + 1 > MAX_MESSAGE) {
      throw new IllegalArgumentException("invalid protocol id: " + p);
    }
  }

  private static String printable(String msg) {
    String s = msg.length() > 64 ? msg.substring(0, 64) + "..." : msg;
    return '"' + s.replaceAll("[^\\x20-\\x7e]", "?") + '"';
  }
}
