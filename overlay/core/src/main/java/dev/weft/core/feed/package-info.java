/**
 * Sequenced market-data feeds over GossipSub, as pure state machines beside the router (see
 * docs/feeds.md): the versioned feed header ({@link dev.weft.core.feed.FeedHeader}), message IDs
 * derived from (topic, feed ID, sequence number) ({@link dev.weft.core.feed.FeedMessageIdFn}),
 * gap detection and recovery by IWANT-by-ID, in-order delivery with a bounded hold and the
 * late-joiner snapshot hook ({@link dev.weft.core.feed.FeedSubscriber}), A/B arbitration,
 * conflation for slow consumers ({@link dev.weft.core.feed.ConflatingQueue}) and outbound send
 * priorities with slow-peer detection ({@link dev.weft.core.feed.PrioritySendQueue}). Every drop
 * is counted with a {@link dev.weft.core.feed.DropReason}.
 */
package dev.weft.core.feed;
