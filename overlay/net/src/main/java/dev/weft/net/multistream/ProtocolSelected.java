package dev.weft.net.multistream;

/** User event fired by {@link MultistreamHandler} once a protocol is agreed. */
public record ProtocolSelected(String protocol) {}
