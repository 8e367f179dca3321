package dev.weft.net.noise;

import dev.weft.core.identity.PeerId;
import dev.weft.net.crypto.PubKey;

/**
 * User event fired once the Noise handshake succeeded and {@link NoiseTransportCodec} is installed.
 *
 * @param remotePeer the authenticated remote peer
 * @param remoteKey its identity key
 * @param earlyMuxerOrNull the muxer agreed in the handshake extensions, or null when the muxer
 *     must still be negotiated with multistream-select
 */
public record NoiseSecured(PeerId remotePeer, PubKey remoteKey, String earlyMuxerOrNull) {}
