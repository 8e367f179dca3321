package dev.weft.net.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.events.OverlayEvents;
import dev.weft.core.identity.PeerId;
import dev.weft.health.quarantine.HealthMonitor;
import dev.weft.health.quarantine.HealthState;
import dev.weft.health.quarantine.QuarantineReason;
import dev.weft.net.host.Direction;
import dev.weft.net.pubsub.PubSub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeHealthTest {
  @TempDir
  Path dir;

  @Test
  void shouldForwardRouterEventsAndScoreIsolatedPeersAsIsolated() throws Exception {
    try (NodeHealth h = new NodeHealth(NodeHealth.Config.defaults("t"))) {
      List<HealthEvent> events = new ArrayList<>();
      h.addListener(events::add);
      PubSub.Config c = h.configure(PubSub.Config.defaults());
      OverlayEvents ev = c.events();
      PeerId p = StoreWriterMain.peer(1);
      long now = System.nanoTime();
      ev.onPeerAdded(now, p, "/meshsub/1.1.0", true);
      ev.onHeartbeat(now, 1);
      assertEquals(0.0, c.scorer().score(p, now), 1e-9);
      h.admin().ban(p, Duration.ofMinutes(5), "test");
      assertEquals(HealthMonitor.ISOLATED_SCORE, c.scorer().score(p, System.nanoTime()));
      assertEquals(1, events.size());
      assertEquals(HealthState.BANNED, events.get(0).transition().to());
      assertNotNull(h.gater().refuseSecured(p, Direction.INBOUND));
      assertNull(h.gater().refuseSecured(StoreWriterMain.peer(2), Direction.INBOUND));
      assertTrue(h.admin().release(p, "sorry"));
      assertFalse(h.admin().release(p, "again"));
      assertNull(h.gater().refuseSecured(p, Direction.INBOUND));
      var ex = h.admin().explain(p);
      assertEquals(2, ex.history().size());
      assertEquals(QuarantineReason.OPERATOR_RELEASE, ex.history().get(1).reason());
      assertTrue(ex.text().contains("OPERATOR_BAN"), ex.text());
    }
  }

  @Test
  void shouldKeepBansAcrossRestarts() throws Exception {
    PeerId p = StoreWriterMain.peer(3);
    try (NodeHealth h = new NodeHealth(NodeHealth.Config.defaults("t").withStateDir(dir))) {
      h.admin().ban(p, Duration.ofHours(1), "persist me");
    }
    try (NodeHealth h = new NodeHealth(NodeHealth.Config.defaults("t").withStateDir(dir))) {
      assertEquals(HealthState.BANNED, h.state(p));
      assertNotNull(h.gater().refuseSecured(p, Direction.OUTBOUND));
      assertEquals(1, h.admin().list().size());
    }
  }
}
