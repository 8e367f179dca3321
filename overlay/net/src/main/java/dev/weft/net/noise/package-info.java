/**
 * The libp2p Noise secure channel ({@code /noise}): {@code Noise_XX_25519_ChaChaPoly_SHA256} with
 * the libp2p handshake payload, as a pure state machine ({@link dev.weft.net.noise.HandshakeState},
 * {@link dev.weft.net.noise.NoiseSession}) and Netty handlers
 * ({@link dev.weft.net.noise.NoiseHandshakeHandler}, {@link dev.weft.net.noise.NoiseTransportCodec}).
 *
 * <p>Differences from the spec / js / go, all deliberate:
 * <ul>
 *   <li>Early muxer ({@code stream_muxers}): we always send our list in both roles (as js does), and
 *       pick the first entry of the INITIATOR's list that the responder also lists (spec/go order),
 *       but only when both lists are non-empty; both sides compute the same answer from the same two
 *       lists. js picks from the remote's list instead, which agrees with us whenever each side
 *       advertises only {@code /yamux/1.0.0}. Both lists non-empty without overlap fails the
 *       handshake (as js does); an empty list on either side means "negotiate with multistream".</li>
 *   <li>One X25519 static key per identity (as js): {@link dev.weft.net.noise.NoiseIdentity#shared}
 *       caches it with its signed payload, so a handshake costs no signature. It is never persisted.</li>
 *   <li>The whole handshake has a timeout (10 s default); js relies on its upgrader's timeout.</li>
 *   <li>A payload in message 1 (forbidden by the spec) is ignored rather than rejected.</li>
 *   <li>Handshake messages are bounded ({@link dev.weft.net.noise.NoiseSession#MAX_MESSAGE_1},
 *       {@link dev.weft.net.noise.NoiseSession#MAX_HANDSHAKE_MESSAGE}) rather than 65535.</li>
 *   <li>Nonce exhaustion is at 2^64-1 as in the spec (js stops at 2^32-1); X25519 results that are
 *       all zero (low-order points) are rejected.</li>
 *   <li>Crypto: BouncyCastle lightweight X25519 (about 1.7x faster than JDK 17 "XDH"); our own
 *       ChaCha20-Poly1305 ({@link dev.weft.net.noise.PureJavaChaChaPoly}, written from RFC 8439,
 *       about 2x the JDK 17 Cipher and 4x BouncyCastle on 64 KiB frames; docs/benchmarks.md);
 *       SHA-256/HMAC from the JDK.</li>
 *   <li>The transport codec holds writes until the flush and packs them into full frames, so a
 *       frame may carry several yamux frames (any split is valid: Noise framing is independent of
 *       the muxer's).</li>
 * </ul>
 */
package dev.weft.net.noise;
