package dev.weft.net.pubsub;

import dev.weft.routing.block.BlockRelay;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Turns on chunked, erasure-coded blocks ({@code /weft/block/1.0.0}, docs/blocks.md) for a
 * {@link PubSub}: messages on {@code topics} with at least {@code minBlockBytes} of payload travel
 * as chunks between peers that negotiated the protocol and as whole GossipSub messages to all
 * others.
 *
 * @param relay chunking parameters (k, m, size cap, timeouts)
 * @param topics block topics
 * @param minBlockBytes smaller messages on those topics stay plain GossipSub
 * @param fallbackIWant how long an IHAVE from a block peer for a block waits before the whole
 *     message is asked for (the relay has usually rebuilt it by then)
 */
public record BlockOptions(BlockRelay.Params relay, Set<String> topics, int minBlockBytes,
    Duration fallbackIWant) {
  /** Checks fields. */
  public BlockOptions {
    Objects.requireNonNull(relay, "relay");
    topics = Set.copyOf(topics);
    if (minBlockBytes < 1) {
      throw new IllegalArgumentException("minBlockBytes must be >= 1");
    }
    Objects.requireNonNull(fallbackIWant, "fallbackIWant");
  }

  /** Defaults for {@code topics}: k=32, m=16, blocks from 64 KiB, 2 s fallback. */
  public static BlockOptions of(Set<String> topics) {
    return new BlockOptions(BlockRelay.Params.defaults(), topics, 64 * 1024, Duration.ofSeconds(2));
  }
}
