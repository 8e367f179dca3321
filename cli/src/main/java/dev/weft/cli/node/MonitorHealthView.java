package dev.weft.cli.node;

import dev.weft.core.identity.PeerId;
import dev.weft.health.quarantine.HealthMonitor;
import dev.weft.health.quarantine.PeerReport;
import dev.weft.net.pubsub.PubSub;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** {@link HealthView} over a {@link HealthMonitor} that lives on the pubsub core loop. */
final class MonitorHealthView implements HealthView {
  private final HealthMonitor monitor;
  private final PubSub pubsub;

  MonitorHealthView(HealthMonitor monitor, PubSub pubsub) {
    this.monitor = monitor;
    this.pubsub = pubsub;
  }

  @Override
  public List<PeerReport.Summary> list() {
    return onCore(() -> monitor.list(System.nanoTime()));
  }

  @Override
  public PeerReport explain(PeerId peer) {
    return onCore(() -> monitor.explain(peer, System.nanoTime()));
  }

  @Override
  public void release(PeerId peer, String detail) {
    onCore(() -> {
      monitor.release(peer, detail, System.nanoTime());
      return null;
    });
  }

  @Override
  public void ban(PeerId peer, Duration duration, String detail) {
    onCore(() -> {
      monitor.ban(peer, duration, detail, System.nanoTime());
      return null;
    });
  }

  @Override
  public double score(PeerId peer) {
    return onCore(() -> monitor.score(peer, System.nanoTime()));
  }

  private <T> T onCore(Supplier<T> action) {
    try {
      return pubsub.inspect(r -> action.get()).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the node's core loop did not answer within 5 s");
    }
  }
}
