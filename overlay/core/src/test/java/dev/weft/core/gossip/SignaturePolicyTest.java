package dev.weft.core.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.weft.core.events.RejectReason;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.SignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SignaturePolicyTest {
  static final HexFormat HEX = HexFormat.of();
  static final String PUB_PB = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  static final byte[] FROM = HEX.parseHex("0024" + PUB_PB);
  static final byte[] SEQNO = HEX.parseHex("0000000000000001");
  static final byte[] DATA = "hello".getBytes(StandardCharsets.UTF_8);
  static final byte[] SIG = HEX.parseHex(
      "f05e62a21b5f1f89b4ab356feb34c493746a2af8ef2fa03b9fd4956fb40d3c27"
          + "9b1eae5153c6b28dce3b2f9bed546dc1cfd5a71513af0aa38ee38d31675ac30f");

  /** A real Ed25519 verifier on the JDK, for the digest's known-answer vector. */
  static final SignatureVerifier ED25519 = (keyPb, data, sig) -> {
    try {
      byte[] raw = java.util.Arrays.copyOfRange(keyPb, 4, keyPb.length);
      byte[] x509 = HEX.parseHex("302a300506032b6570032100" + HEX.formatHex(raw));
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509)));
      s.update(data);
      return s.verify(sig);
    } catch (Exception e) {
      return false;
    }
  };

  @Test
  void shouldAcceptDigestVectorUnderStrictSign() {
    assertNull(SignaturePolicy.STRICT_SIGN.check(new PubMessage(FROM, DATA, SEQNO, "test", SIG, null), ED25519));
  }

  @Test
  void shouldAcceptDigestVectorWithMatchingKeyField() {
    assertNull(SignaturePolicy.STRICT_SIGN.check(
        new PubMessage(FROM, DATA, SEQNO, "test", SIG, HEX.parseHex(PUB_PB)), ED25519));
  }

  @Test
  void shouldRejectTamperedDataUnderStrictSign() {
    assertEquals(RejectReason.INVALID_SIGNATURE, SignaturePolicy.STRICT_SIGN.check(
        new PubMessage(FROM, "hellp".getBytes(), SEQNO, "test", SIG, null), ED25519));
  }

  @Test
  void shouldRejectOtherTopicUnderStrictSign() {
    assertEquals(RejectReason.INVALID_SIGNATURE, SignaturePolicy.STRICT_SIGN.check(
        new PubMessage(FROM, DATA, SEQNO, "tesT", SIG, null), ED25519));
  }

  @Test
  void shouldRejectMissingFieldsUnderStrictSign() {
    assertEquals(RejectReason.MISSING_SIGNATURE, SignaturePolicy.STRICT_SIGN.check(
        new PubMessage(FROM, DATA, SEQNO, "test", null, null), ED25519));
    assertEquals(RejectReason.MISSING_SIGNATURE, SignaturePolicy.STRICT_SIGN.check(
        new PubMessage(null, DATA, SEQNO, "test", SIG, null), ED25519));
    assertEquals(RejectReason.MISSING_SIGNATURE, SignaturePolicy.STRICT_SIGN.check(
        new PubMessage(FROM, DATA, null, "test", SIG, null), ED25519));
  }

  @Test
  void shouldRejectSeqnoNotEightBytes() {
    assertEquals(RejectReason.INVALID_SEQNO, SignaturePolicy.STRICT_SIGN.check(
        new PubMessage(FROM, DATA, new byte[] {1}, "test", SIG, null), ED25519));
  }

  @Test
  void shouldRejectKeyNotDerivingToFrom() {
    byte[] otherKey = HEX.parseHex(PUB_PB);
    otherKey[10] ^= 1;
    assertEquals(RejectReason.KEY_MISMATCH, SignaturePolicy.STRICT_SIGN.check(
        new PubMessage(FROM, DATA, SEQNO, "test", SIG, otherKey), ED25519));
  }

  @Test
  void shouldRejectMalformedAuthor() {
    assertEquals(RejectReason.INVALID_AUTHOR, SignaturePolicy.STRICT_SIGN.check(
        new PubMessage(new byte[] {5, 5, 5}, DATA, SEQNO, "test", SIG, null), ED25519));
  }

  @Test
  void shouldRejectHashedPeerIdWithoutKey() {
    byte[] sha = new byte[34];
    sha[0] = 0x12;
    sha[1] = 0x20;
    assertEquals(RejectReason.KEY_MISMATCH, SignaturePolicy.STRICT_SIGN.check(
        new PubMessage(sha, DATA, SEQNO, "test", SIG, null), ED25519));
  }

  @Test
  void shouldTreatThrowingVerifierAsInvalidSignature() {
    assertEquals(RejectReason.INVALID_SIGNATURE, SignaturePolicy.STRICT_SIGN.check(
        new PubMessage(FROM, DATA, SEQNO, "test", SIG, null), (k, d, s) -> {
          throw new IllegalStateException("boom");
        }));
  }

  @Test
  void shouldAcceptBareMessageUnderStrictNoSign() {
    assertNull(SignaturePolicy.STRICT_NO_SIGN.check(PubMessage.unsigned("t", DATA), ED25519));
  }

  @Test
  void shouldRejectAnyAuthFieldUnderStrictNoSign() {
    SignaturePolicy p = SignaturePolicy.STRICT_NO_SIGN;
    RejectReason r = RejectReason.UNEXPECTED_SIGNATURE_FIELDS;
    assertEquals(r, p.check(new PubMessage(FROM, DATA, null, "t", null, null), ED25519));
    assertEquals(r, p.check(new PubMessage(null, DATA, SEQNO, "t", null, null), ED25519));
    assertEquals(r, p.check(new PubMessage(null, DATA, null, "t", SIG, null), ED25519));
    assertEquals(r, p.check(new PubMessage(null, DATA, null, "t", null, new byte[0]), ED25519));
  }
}
