package dev.weft.cli.node;

import dev.weft.core.identity.PeerId;
import dev.weft.health.quarantine.PeerReport;
import java.time.Duration;
import java.util.List;

/**
 * What the admin API needs from a node's health subsystem. {@link MonitorHealthView} implements it
 * over a {@link dev.weft.health.quarantine.HealthMonitor} driven by the node's core loop; a
 * net-level health wiring can implement it too. Calls may block briefly (they hop onto the core
 * loop) and are safe from any thread.
 */
public interface HealthView {
  /** Every peer the health subsystem tracks, with its state and score. */
  List<PeerReport.Summary> list();

  /** Everything known about {@code peer} (a HEALTHY report with no history if untracked). */
  PeerReport explain(PeerId peer);

  /** Operator release: back to HEALTHY, penalties forgiven. */
  void release(PeerId peer, String detail);

  /** Operator ban, {@code duration} null for the policy's default. */
  void ban(PeerId peer, Duration duration, String detail);

  /** The peer's current score as the router uses it. */
  double score(PeerId peer);
}
