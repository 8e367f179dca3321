package dev.weft.core.feed;

import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;

/**
 * A feed message handed to the application.
 *
 * @param topic the topic
 * @param header the feed header (feed ID, sequence number, publish time, key)
 * @param payload the payload after the header
 * @param id the message ID
 * @param receivedFrom the peer that forwarded it
 * @param receivedNs when it reached this node (the driver's clock)
 * @param outOfOrder true when a higher sequence number of this feed was delivered before it (a
 *     late recovery, or in-order mode after a hold expired)
 * @param recovered true when it arrived only after its gap was detected
 */
public record FeedMessage(String topic, FeedHeader header, byte[] payload, MessageId id,
    PeerId receivedFrom, long receivedNs, boolean outOfOrder, boolean recovered) {

  /** The sequence number. */
  public long seq() {
    return header.seq();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
