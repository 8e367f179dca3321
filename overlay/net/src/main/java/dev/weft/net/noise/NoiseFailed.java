package dev.weft.net.noise;

/** User event fired when the Noise handshake failed; the channel is closed right after. */
public record NoiseFailed(String reason) {}
