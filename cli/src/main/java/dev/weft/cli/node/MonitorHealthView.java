package dev.weft.cli.node;

import dev.weft.core.identity.PeerId;
import dev.weft.health.quarantine.PeerReport;
import dev.weft.net.health.NodeHealth;
import java.time.Duration;
import java.util.List;

/**
 * {@link HealthView} over the node's {@link NodeHealth} (the monitor behind its lock; operator
 * actions go through {@link NodeHealth#admin()} so bans also close the connection).
 */
final class MonitorHealthView implements HealthView {
  private final NodeHealth health;

  MonitorHealthView(NodeHealth health) {
    this.health = health;
  }

  @Override
  public List<PeerReport.Summary> list() {
    return health.query(now -> health.locked(m -> m.list(now)));
  }

  @Override
  public PeerReport explain(PeerId peer) {
    return health.admin().explain(peer).report();
  }

  @Override
  public void release(PeerId peer, String detail) {
    health.admin().release(peer, detail);
  }

  @Override
  public void ban(PeerId peer, Duration duration, String detail) {
    health.admin().ban(peer, duration, detail);
  }

  @Override
  public double score(PeerId peer) {
    return health.query(now -> health.locked(m -> m.score(peer, now)));
  }
}
