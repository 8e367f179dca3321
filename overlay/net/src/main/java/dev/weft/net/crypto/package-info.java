/**
 * libp2p keys and signed records: key protobuf (un)marshalling ({@link dev.weft.net.crypto.Keys}),
 * Ed25519 and secp256k1 key pairs, verify-only RSA/ECDSA public keys, persistent identity files
 * ({@link dev.weft.net.crypto.KeyFiles}), signed envelopes and peer records.
 *
 * <p>Differences from the specs and from js/go: secp256k1 verification accepts only strict-DER,
 * low-S signatures (as js/noble; go also accepts high-S); RSA and ECDSA keys can only verify (weft
 * never generates them, and their private keys are refused); RSA moduli must be 2048..8192 bits;
 * envelopes are limited to 16 KiB; peer-record addresses that do not parse are dropped instead of
 * failing the record. Key files hold the bare {@code PrivateKey} protobuf, mode 0600.
 */
package dev.weft.net.crypto;
