package dev.weft.core.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultibaseTest {
  @Test
  void shouldEncodeRfc4648Base32VectorsLowerUnpadded() {
    // RFC 4648 §10 test vectors, lower-cased and without padding.
    String[][] v = {{"", "b"}, {"f", "bmy"}, {"fo", "bmzxq"}, {"foo", "bmzxw6"},
        {"foob", "bmzxw6yq"}, {"fooba", "bmzxw6ytb"}, {"foobar", "bmzxw6ytboi"}};
    for (String[] p : v) {
      byte[] raw = p[0].getBytes(StandardCharsets.US_ASCII);
      assertEquals(p[1], Multibase.encodeBase32(raw));
      assertArrayEquals(raw, Multibase.decode(p[1]));
      assertArrayEquals(raw, Multibase.decode(p[1].toUpperCase()));
    }
  }

  @Test
  void shouldEncodeBase36KnownAnswer() {
    // multibase spec test vector: "yes mani !" in base36 is k2lcpzo5yikidynfl
    assertEquals("k2lcpzo5yikidynfl",
        Multibase.encodeBase36("yes mani !".getBytes(StandardCharsets.US_ASCII)));
    assertArrayEquals("yes mani !".getBytes(StandardCharsets.US_ASCII),
        Multibase.decode("k2lcpzo5yikidynfl"));
  }

  @Test
  void shouldRoundTripRandomBytesIncludingLeadingZeros() {
    Random r = new Random(7);
    for (int i = 0; i < 200; i++) {
      byte[] b = new byte[r.nextInt(40)];
      r.nextBytes(b);
      if (b.length > 2 && i % 3 == 0) {
        b[0] = 0;
        b[1] = 0;
      }
      assertArrayEquals(b, Multibase.decode(Multibase.encodeBase32(b)));
      assertArrayEquals(b, Multibase.decode(Multibase.encodeBase36(b)));
      assertArrayEquals(b, Multibase.decode(Multibase.encodeBase64Url(b)));
    }
  }

  @Test
  void shouldRejectBadPrefixCharactersAndTrailingBits() {
    for (String bad : new String[] {"", "x123", "b1", "bmz!", "bmz", "k-1", "u+/=", "f00"}) {
      assertThrows(IllegalArgumentException.class, () -> Multibase.decode(bad), bad);
    }
    assertThrows(IllegalArgumentException.class,
        () -> Multibase.decode("b" + "a".repeat(Multibase.MAX_TEXT_CHARS)));
  }
}
