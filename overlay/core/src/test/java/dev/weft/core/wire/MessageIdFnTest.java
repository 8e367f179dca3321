package dev.weft.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MessageIdFnTest {
  static final HexFormat HEX = HexFormat.of();

  @Test
  void shouldComputeGoDefaultIdAsFromThenSeqno() {
    MessageId id = MessageIdFn.goDefault().apply(GossipProtoTest.digestVectorMessage());
    assertEquals(GossipProtoTest.PEER_MH + "0000000000000001", id.toString());
  }

  @Test
  void shouldComputeJsDefaultIdAsKeyThenSeqnoRecoveringInlinedKey() {
    MessageId id = MessageIdFn.jsDefault().apply(GossipProtoTest.digestVectorMessage());
    assertEquals(GossipProtoTest.PUB_PB + "0000000000000001", id.toString());
  }

  @Test
  void shouldComputeContentHashOverDataOnly() {
    MessageId a = MessageIdFn.contentSha256().apply(PubMessage.unsigned("t", "abc".getBytes()));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", a.toString());
    MessageId b = MessageIdFn.contentSha256().apply(PubMessage.unsigned("u", "abd".getBytes()));
    assertNotEquals(a, b);
  }

  @Test
  void shouldBeTotalOnMessagesWithoutAuthor() {
    assertEquals(0, MessageIdFn.goDefault().apply(PubMessage.unsigned("t", new byte[1])).length());
    assertEquals(0, MessageIdFn.jsDefault().apply(PubMessage.unsigned("t", new byte[1])).length());
  }
}
