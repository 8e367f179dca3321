package dev.weft.core.node;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the effects produced while the core handles inputs. Not thread-safe: one per node,
 * owned by the node's thread. The driver drains it after each input.
 */
public final class Outbox {
  private List<Effect> effects = new ArrayList<>();

  /** Appends an effect. */
  public void add(Effect e) {
    effects.add(e);
  }

  /** Number of effects waiting. */
  public int size() {
    return effects.size();
  }

  /** True when nothing is waiting. */
  public boolean isEmpty() {
    return effects.isEmpty();
  }

  /** Returns the waiting effects in production order and empties the outbox. */
  public List<Effect> drain() {
    List<Effect> out = effects;
    effects = new ArrayList<>();
    return out;
  }
}
