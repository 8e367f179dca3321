package dev.weft.health.persist;

import dev.weft.core.identity.PeerId;
import dev.weft.health.quarantine.HealthState;
import dev.weft.health.quarantine.QuarantineReason;
import dev.weft.health.quarantine.QuarantineRecord;
import dev.weft.health.score.RetainedScore;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The binary snapshot format, version 1 (all integers big-endian):
 * <pre>
 * magic    "WFTH" (4 bytes)
 * version  u16 = 1
 * savedAt  i64 epoch milliseconds
 * nScores  u32, then per score:
 *   peer   bytes16 (u16 length + peer-ID multihash)
 *   retain i64 remaining ns      penalty f64 (P7 counter)
 *   nIps   u16, then str16 each
 *   nTopic u16, then per topic: str16 topic, f64 P3 counter, f64 P3b, f64 P4 counter
 * nRecs    u32, then per record:
 *   peer bytes16, state str16, reason str16, detail str16, remaining i64 ns,
 *   quarantines u32, bans u32
 * crc32    u32 over every preceding byte
 * </pre>
 * Enum values are stored by name so reordering an enum cannot corrupt old files. Decoding checks
 * the length and checksum first and every count against the bytes left before allocating;
 * anything wrong is a {@link SnapshotFormatException} naming the problem and offset.
 */
public final class HealthSnapshotCodec {
  /** The format's magic bytes. */
  public static final byte[] MAGIC = {'W', 'F', 'T', 'H'};
  /** The version written. */
  public static final int VERSION = 1;
  private static final int HEADER = 4 + 2 + 8;

  private HealthSnapshotCodec() {}

  /** Encodes a snapshot. */
  public static byte[] encode(HealthSnapshot s) {
    Writer out = new Writer();
    out.bytes(MAGIC);
    out.u16(VERSION, "version");
    out.i64(s.savedAtEpochMs());
    out.i32(s.scores().size());
    for (RetainedScore r : s.scores()) {
      out.bytes16(r.peer().toBytes());
      out.i64(r.retainRemainingNs());
      out.f64(r.behaviourPenalty());
      out.u16(r.ips().size(), "ips");
      for (String ip : r.ips()) {
        out.str16(ip);
      }
      out.u16(r.topics().size(), "topics");
      for (RetainedScore.Topic t : r.topics()) {
        out.str16(t.topic());
        out.f64(t.meshMessageDeliveries());
        out.f64(t.meshFailurePenalty());
        out.f64(t.invalidMessageDeliveries());
      }
    }
    out.i32(s.records().size());
    for (QuarantineRecord r : s.records()) {
      out.bytes16(r.peer().toBytes());
      out.str16(r.state().name());
      out.str16(r.reason().name());
      out.str16(truncate(r.detail()));
      out.i64(r.remainingNs());
      out.i32(r.quarantinesInWindow());
      out.i32(r.bans());
    }
    CRC32 crc = new CRC32();
    crc.update(out.buf, 0, out.len);
    out.i32((int) crc.getValue());
    return Arrays.copyOf(out.buf, out.len);
  }

  private static String truncate(String s) {
    // str16 holds at most 65535 UTF-8 bytes; details are human text, cut them at 4096 chars
    return s.length() > 4096 ? s.substring(0, 4096) : s;
  }

  /** A growable big-endian byte writer (in memory). */
  private static final class Writer {
    byte[] buf = new byte[256];
    int len;

    void ensure(int n) {
      if (len + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }

    void bytes(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
    }

    void u16(int v, String what) {
      if (v < 0 || v > 0xFFFF) {
        throw new IllegalArgumentException(what + " " + v + " does not fit in 16 bits");
      }
      ensure(2);
      buf[len++] = (byte) (v >>> 8);
      buf[len++] = (byte) v;
    }

    void i32(int v) {
      ensure(4);
      ByteBuffer.wrap(buf, len, 4).putInt(v);
      len += 4;
    }

    void i64(long v) {
      ensure(8);
      ByteBuffer.wrap(buf, len, 8).putLong(v);
      len += 8;
    }

    void f64(double v) {
      i64(Double.doubleToLongBits(v));
    }

    void bytes16(byte[] b) {
      u16(b.length, "byte string length");
      bytes(b);
    }

    void str16(String s) {
      bytes16(s.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Decodes a snapshot; throws {@link SnapshotFormatException} for anything but a valid one. */
  public static HealthSnapshot decode(byte[] data) {
    if (data == null) {
      throw new SnapshotFormatException("no data");
    }
    if (data.length < HEADER + 4 + 4 + 4) {
      throw new SnapshotFormatException("truncated: " + data.length
          + " bytes is shorter than an empty snapshot (" + (HEADER + 12) + ")");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (data[i] != MAGIC[i]) {
        throw new SnapshotFormatException("not a weft health snapshot (bad magic)");
      }
    }
    ByteBuffer all = ByteBuffer.wrap(data);
    int version = Short.toUnsignedInt(all.getShort(4));
    if (version != VERSION) {
      throw new SnapshotFormatException("unsupported snapshot version " + version
          + " (this build reads " + VERSION + ")");
    }
    CRC32 crc = new CRC32();
    crc.update(data, 0, data.length - 4);
    int stored = all.getInt(data.length - 4);
    if ((int) crc.getValue() != stored) {
      throw new SnapshotFormatException("checksum mismatch: the snapshot is truncated or corrupt");
    }
    Reader r = new Reader(ByteBuffer.wrap(data, 0, data.length - 4).slice());
    r.skip(6);
    long savedAt = r.i64();
    int nScores = r.count(8 + 2 + 8 + 8 + 2 + 2, "scores");
    List<RetainedScore> scores = new ArrayList<>(nScores);
    for (int i = 0; i < nScores; i++) {
      PeerId peer = r.peer();
      long retain = r.i64();
      if (retain < 0) {
        throw r.error("negative retain time " + retain);
      }
      double penalty = r.f64();
      int nIps = r.count16(2, "ips");
      List<String> ips = new ArrayList<>(nIps);
      for (int k = 0; k < nIps; k++) {
        ips.add(r.str());
      }
      int nTopics = r.count16(2 + 24, "topics");
      List<RetainedScore.Topic> topics = new ArrayList<>(nTopics);
      for (int k = 0; k < nTopics; k++) {
        topics.add(new RetainedScore.Topic(r.str(), r.f64(), r.f64(), r.f64()));
      }
      scores.add(new RetainedScore(peer, retain, penalty, ips, topics));
    }
    int nRecs = r.count(2 + 2 + 2 + 2 + 8 + 4 + 4, "records");
    List<QuarantineRecord> recs = new ArrayList<>(nRecs);
    for (int i = 0; i < nRecs; i++) {
      PeerId peer = r.peer();
      HealthState state = r.enumValue(HealthState.class);
      QuarantineReason reason = r.enumValue(QuarantineReason.class);
      String detail = r.str();
      long remaining = r.i64();
      int quarantines = r.i32();
      int bans = r.i32();
      if (remaining < 0 || quarantines < 0 || bans < 0) {
        throw r.error("negative remaining time or count in record of " + peer);
      }
      recs.add(new QuarantineRecord(peer, state, reason, detail, remaining, quarantines, bans));
    }
    if (r.buf.hasRemaining()) {
      throw r.error(r.buf.remaining() + " unexpected trailing bytes");
    }
    return new HealthSnapshot(savedAt, scores, recs);
  }

  private static final class Reader {
    final ByteBuffer buf;

    Reader(ByteBuffer buf) {
      this.buf = buf;
    }

    SnapshotFormatException error(String what) {
      return new SnapshotFormatException(what + " at offset " + buf.position());
    }

    void need(int n) {
      if (buf.remaining() < n) {
        throw error("truncated: need " + n + " bytes, " + buf.remaining() + " left");
      }
    }

    void skip(int n) {
      need(n);
      buf.position(buf.position() + n);
    }

    long i64() {
      need(8);
      return buf.getLong();
    }

    int i32() {
      need(4);
      return buf.getInt();
    }

    double f64() {
      need(8);
      double d = buf.getDouble();
      if (!Double.isFinite(d)) {
        throw error("non-finite number");
      }
      return d;
    }

    int u16() {
      need(2);
      return Short.toUnsignedInt(buf.getShort());
    }

    /** A u32 count, each entry at least {@code minBytes}: rejected if it cannot fit. */
    int count(int minBytes, String what) {
      need(4);
      long n = Integer.toUnsignedLong(buf.getInt());
      if (n * minBytes > buf.remaining()) {
        throw error(what + " count " + n + " cannot fit in " + buf.remaining() + " bytes");
      }
      return (int) n;
    }

    int count16(int minBytes, String what) {
      int n = u16();
      if ((long) n * minBytes > buf.remaining()) {
        throw error(what + " count " + n + " cannot fit in " + buf.remaining() + " bytes");
      }
      return n;
    }

    byte[] bytes() {
      int n = u16();
      need(n);
      byte[] b = new byte[n];
      buf.get(b);
      return b;
    }

    String str() {
      byte[] b = bytes();
      try {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(b)).toString();
      } catch (CharacterCodingException e) {
        throw error("invalid UTF-8 string");
      }
    }

    PeerId peer() {
      byte[] b = bytes();
      try {
        return PeerId.fromBytes(b);
      } catch (IllegalArgumentException e) {
        throw error("invalid peer ID (" + e.getMessage() + ")");
      }
    }

    <E extends Enum<E>> E enumValue(Class<E> type) {
      String s = str();
      try {
        return Enum.valueOf(type, s);
      } catch (IllegalArgumentException e) {
        throw error("unknown " + type.getSimpleName() + " '" + s + "'");
      }
    }
  }
}
