package dev.weft.net.health;

/**
 * Receives every health transition of a node (metrics count them, the CLI prints them). Called
 * synchronously while the node's health lock is held, usually on the pubsub core loop: keep it
 * short and never call back into {@link NodeHealth}.
 */
@FunctionalInterface
public interface HealthListener {
  void onTransition(HealthEvent event);
}
