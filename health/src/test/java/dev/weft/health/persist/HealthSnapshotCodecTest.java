package dev.weft.health.persist;

import static dev.weft.health.TestPeers.msg;
import static dev.weft.health.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.events.RejectReason;
import dev.weft.core.wire.PubMessage;
import dev.weft.health.quarantine.HealthMonitor;
import dev.weft.health.quarantine.HealthState;
import dev.weft.health.quarantine.QuarantineReason;
import dev.weft.health.quarantine.QuarantineRecord;
import dev.weft.health.score.RetainedScore;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class HealthSnapshotCodecTest {
  static final long S = 1_000_000_000L;

  static HealthSnapshot sample() {
    return new HealthSnapshot(1_700_000_000_000L,
        List.of(new RetainedScore(peer(1), 3600 * S, 2.5, List.of("10.0.0.1", "::1"),
            List.of(new RetainedScore.Topic("ticks", 3.0, 12.25, 1.5),
                new RetainedScore.Topic("ünïcode", 0, 0, 0))),
            new RetainedScore(peer(2), 1, 0, List.of(), List.of())),
        List.of(new QuarantineRecord(peer(3), HealthState.BANNED,
                QuarantineReason.REPEATED_QUARANTINE, "third strike", Long.MAX_VALUE, 3, 1),
            new QuarantineRecord(peer(4), HealthState.QUARANTINED, QuarantineReason.BLACK_HOLE,
                "", 42 * S, 1, 0)));
  }

  @Test
  void shouldRoundTripSnapshot() {
    HealthSnapshot s = sample();
    byte[] b = HealthSnapshotCodec.encode(s);
    assertEquals(s, HealthSnapshotCodec.decode(b));
    assertTrue(Arrays.equals(b, HealthSnapshotCodec.encode(HealthSnapshotCodec.decode(b))));
    HealthSnapshot empty = new HealthSnapshot(0, List.of(), List.of());
    assertEquals(empty, HealthSnapshotCodec.decode(HealthSnapshotCodec.encode(empty)));
  }

  @Test
  void shouldRejectEveryTruncationCleanly() {
    byte[] b = HealthSnapshotCodec.encode(sample());
    for (int n = 0; n < b.length; n++) {
      byte[] cut = Arrays.copyOf(b, n);
      assertThrows(SnapshotFormatException.class, () -> HealthSnapshotCodec.decode(cut),
          "length " + n);
    }
  }

  @Test
  void shouldRejectEveryBitFlipCleanly() {
    byte[] b = HealthSnapshotCodec.encode(sample());
    for (int i = 0; i < b.length * 8; i++) {
      byte[] c = b.clone();
      c[i / 8] ^= (byte) (1 << (i % 8));
      assertThrows(SnapshotFormatException.class, () -> HealthSnapshotCodec.decode(c),
          "bit " + i);
    }
  }

  static byte[] withCrc(byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(body);
    return ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
  }

  static byte[] body(byte[] full) {
    return Arrays.copyOf(full, full.length - 4);
  }

  @Test
  void shouldRejectWrongMagicVersionAndImpossibleCountsWithClearMessages() {
    byte[] good = HealthSnapshotCodec.encode(new HealthSnapshot(5, List.of(), List.of()));
    byte[] v2 = body(good);
    v2[5] = 2;
    SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
        () -> HealthSnapshotCodec.decode(withCrc(v2)));
    assertTrue(e.getMessage().contains("unsupported snapshot version 2"), e.getMessage());
    byte[] magic = good.clone();
    magic[0] = 'X';
    e = assertThrows(SnapshotFormatException.class, () -> HealthSnapshotCodec.decode(magic));
    assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
    byte[] huge = body(good);
    ByteBuffer.wrap(huge).putInt(14, 0x7FFFFFFF); // nScores
    e = assertThrows(SnapshotFormatException.class,
        () -> HealthSnapshotCodec.decode(withCrc(huge)));
    assertTrue(e.getMessage().contains("scores count 2147483647 cannot fit"), e.getMessage());
    byte[] trailing = Arrays.copyOf(body(good), body(good).length + 3);
    e = assertThrows(SnapshotFormatException.class,
        () -> HealthSnapshotCodec.decode(withCrc(trailing)));
    assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    assertThrows(SnapshotFormatException.class, () -> HealthSnapshotCodec.decode(null));
  }

  @Test
  void shouldRejectUnknownEnumNameEvenWithValidChecksum() {
    HealthSnapshot s = new HealthSnapshot(0, List.of(), List.of(new QuarantineRecord(peer(3),
        HealthState.BANNED, QuarantineReason.OPERATOR_BAN, "", 5, 0, 1)));
    byte[] b = body(HealthSnapshotCodec.encode(s));
    String text = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    int at = text.indexOf("BANNED");
    b[at] = 'X'; // "XANNED"
    SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
        () -> HealthSnapshotCodec.decode(withCrc(b)));
    assertTrue(e.getMessage().contains("unknown HealthState 'XANNED'"), e.getMessage());
  }

  @Test
  void shouldCarryQuarantineBanAndScoreAcrossRestartMinusDowntime() {
    HealthMonitor a = new HealthMonitor(HealthMonitor.Config.defaults("t"), 0);
    a.onPeerAdded(0, peer(1), "/meshsub/1.2.0", true);
    a.onPeerAdded(0, peer(2), "/meshsub/1.2.0", true);
    for (int i = 0; i < 3; i++) {
      a.onFirstSeen(0, msg(i), PubMessage.unsigned("t", new byte[] {(byte) i}), peer(1));
      a.onReject(0, msg(i), "t", peer(1), RejectReason.VALIDATOR_REJECTED);
    }
    a.onTick(S);
    a.ban(peer(2), Duration.ofHours(2), "operator", S);
    assertEquals(HealthState.QUARANTINED, a.state(peer(1)));
    double scoreBefore = a.peerScore().score(peer(1), 10 * S);
    byte[] saved = HealthSnapshotCodec.encode(HealthSnapshot.of(a, 10 * S, 1_000_000L));

    // restart: fresh monitor with a new nanosecond origin, 20 s of wall time later
    HealthMonitor b = new HealthMonitor(HealthMonitor.Config.defaults("t"), 500 * S);
    HealthSnapshotCodec.decode(saved).restoreInto(b, 500 * S, 1_000_000L + 20_000L);
    assertEquals(HealthState.QUARANTINED, b.state(peer(1)));
    assertEquals(HealthState.BANNED, b.state(peer(2)));
    assertTrue(b.isBanned(peer(2), 500 * S));
    assertEquals(scoreBefore, b.peerScore().score(peer(1), 500 * S), 1e-9,
        "retained P4 survives");
    // quarantine had 51 s left at the save; 20 s passed while down → ends 31 s after restart
    b.onTick(530 * S);
    assertEquals(HealthState.QUARANTINED, b.state(peer(1)));
    b.onTick(531 * S);
    assertEquals(HealthState.PROBATION, b.state(peer(1)));
    assertFalse(b.isBanned(peer(2), 500 * S + Duration.ofHours(2).toNanos()));
  }
}
