/**
 * Peer identity values that need no cryptography library: {@link dev.weft.core.identity.PeerId}
 * (multihash of the public key protobuf, base58 and CIDv1 text forms),
 * {@link dev.weft.core.identity.Multiaddr} (text and binary forms), and the base58/multibase
 * codecs they use.
 *
 * <p>Differences from the specs and from js/go: only the multiaddr protocols listed in
 * {@link dev.weft.core.identity.MultiaddrProtocol} are known (no {@code unix}, {@code onion},
 * {@code http-path}, …); binary multiaddrs are capped at 1024 bytes; ip4 octets with leading zeros
 * are refused; ip6 values are printed in RFC 5952 form; {@code /ipfs} is accepted but always
 * printed as {@code /p2p}; a {@code /p2p} value must be an identity or sha2-256 multihash (js/go
 * accept any multihash). Peer-ID text parsing accepts base58 and CIDv1 in base32, base36, base58
 * and base64url multibase; CIDs must use the libp2p-key codec (0x72). Everything here is pure: no
 * I/O, no clocks, no randomness.
 */
package dev.weft.core.identity;
