package dev.weft.health.quarantine;

/** Receives every health transition, synchronously, in order. Must not call back into the monitor. */
@FunctionalInterface
public interface TransitionListener {
  /** Ignores everything. */
  TransitionListener NONE = t -> { };

  /** One transition happened. */
  void onTransition(Transition t);
}
