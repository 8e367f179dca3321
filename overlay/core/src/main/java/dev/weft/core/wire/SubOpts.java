package dev.weft.core.wire;

import java.util.Objects;

/**
 * A subscription change announced to a peer ({@code RPC.SubOpts}).
 *
 * @param subscribe true to subscribe, false to unsubscribe
 * @param topic topic ID (a UTF-8 string on the wire)
 */
public record SubOpts(boolean subscribe, String topic) {
  /** Checks the topic is present. */
  public SubOpts {
    Objects.requireNonNull(topic, "topic");
  }
}
