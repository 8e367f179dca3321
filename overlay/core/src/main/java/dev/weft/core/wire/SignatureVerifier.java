package dev.weft.core.wire;

/**
 * SPI: verifies an author's signature. Declared in core, implemented in {@code dev.weft.net} for
 * Ed25519, secp256k1, ECDSA and RSA keys. The core has already checked that the key derives to the
 * message's {@code from} peer ID; the verifier only checks the cryptography.
 */
@FunctionalInterface
public interface SignatureVerifier {
  /**
   * True when {@code signature} is a valid signature of {@code data} by {@code publicKeyProtobuf}.
   * Must return false (not throw) for malformed keys or signatures.
   */
  boolean verify(byte[] publicKeyProtobuf, byte[] data, byte[] signature);
}
