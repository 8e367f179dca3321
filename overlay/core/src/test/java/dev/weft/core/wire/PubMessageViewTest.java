package dev.weft.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class PubMessageViewTest {
  @Test
  void dataViewShowsThePayloadAndCannotChangeIt() {
    PubMessage m = PubMessage.unsigned("t", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    ByteBuffer v = m.dataView();
    assertTrue(v.isReadOnly());
    assertEquals(9, v.remaining());
    assertEquals(0x0102030405060708L, v.getLong(0));
    assertThrows(ReadOnlyBufferException.class, () -> v.put(0, (byte) 7));
    assertEquals(1, m.data()[0]);
  }
}
