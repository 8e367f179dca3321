package dev.weft.net.multistream;

/** User event fired by {@link MultistreamHandler} before it closes a channel that failed to negotiate. */
public record ProtocolNegotiationFailed(String reason) {}
