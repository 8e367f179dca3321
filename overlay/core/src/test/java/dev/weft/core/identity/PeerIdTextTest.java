package dev.weft.core.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PeerIdTextTest {
  static final String MH =
      "0024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  static final String B58 = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
  static final String CID = "bafzaajaiaejcahwr5d5ofrfbis4l5d6uwr57hu5tjodrypfm6yaq6dsc2r2pzyt6";

  @Test
  void shouldFormatSpecKeyAsBase58AndCidKnownAnswers() {
    PeerId id = PeerId.fromBytes(Hex.b(MH));
    assertEquals(B58, id.toBase58());
    assertEquals(CID, id.toCidString());
  }

  @Test
  void shouldParseBase58AndCidToTheSamePeerId() {
    PeerId a = PeerId.parse(B58);
    PeerId b = PeerId.parse(CID);
    assertEquals(a, b);
    assertArrayEquals(Hex.b(MH), b.toBytes());
  }

  @Test
  void shouldRoundTripBase36Cid() {
    PeerId id = PeerId.parse(B58);
    String k = id.toCidBase36();
    assertTrue(k.startsWith("k51"), k);
    assertEquals(id, PeerId.parse(k));
  }

  @Test
  void shouldParseSecp256k1PeerIdInBase58() {
    PeerId id = PeerId.parse("16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY");
    assertTrue(id.isIdentity());
    assertEquals(
        "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99",
        Hex.s(id.inlinedPublicKeyProtobuf()));
  }

  @Test
  void shouldRejectCidWithWrongCodec() {
    byte[] cid = PeerId.parse(B58).toCidBytes();
    cid[1] = 0x70; // dag-pb
    String text = Multibase.encodeBase32(cid);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerId.parse(text));
    assertTrue(e.getMessage().contains("0x72"), e.getMessage());
  }

  @Test
  void shouldRejectCidWithWrongVersion() {
    byte[] cid = PeerId.parse(B58).toCidBytes();
    cid[0] = 0x02;
    assertThrows(IllegalArgumentException.class, () -> PeerId.parse(Multibase.encodeBase32(cid)));
  }

  @Test
  void shouldRejectGarbageTruncatedAndOversizedText() {
    for (String bad : new String[] {"", "x", "b", "bafz", "Qm", "1", "b!!!", CID.substring(0, 20),
        "k" + "z".repeat(300), "b" + "a".repeat(5000), B58 + B58, "\u00e9\u00e9"}) {
      assertThrows(IllegalArgumentException.class, () -> PeerId.parse(bad), bad);
    }
  }
}
