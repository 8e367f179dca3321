package dev.weft.net.crypto;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;

/**
 * Every identity parser must either succeed or throw {@link IllegalArgumentException}; anything else
 * (NPE, index errors, OOM from an unchecked length) fails the fuzzer. Runs the seed corpus in normal
 * builds; set {@code JAZZER_FUZZ=1} to fuzz.
 */
class IdentityParsersFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parsersOnlyThrowIllegalArgument(FuzzedDataProvider data) {
    int which = data.consumeInt(0, 6);
    byte[] bytes = data.consumeRemainingAsBytes();
    try {
      switch (which) {
        case 0 -> {
          Multiaddr m = Multiaddr.fromBytes(bytes);
          if (!Multiaddr.parse(m.toString()).equals(m)) {
            throw new AssertionError("multiaddr text round trip changed " + m);
          }
        }
        case 1 -> Multiaddr.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        case 2 -> PeerId.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        case 3 -> Keys.unmarshalPublicKey(bytes).verify(bytes, bytes);
        case 4 -> Keys.unmarshalPrivateKey(bytes);
        case 5 -> SignedEnvelope.open(bytes, PeerRecord.DOMAIN);
        default -> PeerRecord.fromProtobuf(bytes);
      }
    } catch (IllegalArgumentException expected) {
      // clean rejection
    }
  }
}
