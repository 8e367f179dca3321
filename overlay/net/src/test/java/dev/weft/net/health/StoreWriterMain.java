package dev.weft.net.health;

import dev.weft.core.identity.PeerId;
import dev.weft.health.persist.HealthSnapshot;
import dev.weft.health.quarantine.HealthState;
import dev.weft.health.quarantine.QuarantineReason;
import dev.weft.health.quarantine.QuarantineRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of {@link HealthStoreTest}: saves snapshots into the directory given as the first
 * argument in an endless loop (generation g has {@code g % 200 + 1} records, all with detail
 * "gen-g"), printing "saved g" after each, until it is killed.
 */
public final class StoreWriterMain {
  private StoreWriterMain() {}

  public static void main(String[] args) throws Exception {
    HealthStore store = new HealthStore(Path.of(args[0]));
    for (long g = 0; ; g++) {
      store.save(generation(g));
      System.out.println("saved " + g);
      System.out.flush();
    }
  }

  /** The snapshot of generation {@code g}. */
  static HealthSnapshot generation(long g) {
    List<QuarantineRecord> records = new ArrayList<>();
    int n = (int) (g % 200) + 1;
    for (int i = 0; i < n; i++) {
      records.add(new QuarantineRecord(peer(i), HealthState.BANNED,
          QuarantineReason.INVALID_MESSAGES, "gen-" + g + " " + "x".repeat(200), 60_000_000_000L,
          3, 1));
    }
    return new HealthSnapshot(1_700_000_000_000L + g, List.of(), records);
  }

  static PeerId peer(int i) {
    byte[] pb = new byte[36];
    pb[0] = 0x08;
    pb[1] = 0x01;
    pb[2] = 0x12;
    pb[3] = 0x20;
    pb[4] = (byte) (i >> 8);
    pb[5] = (byte) i;
    return PeerId.fromPublicKeyProtobuf(pb);
  }
}
