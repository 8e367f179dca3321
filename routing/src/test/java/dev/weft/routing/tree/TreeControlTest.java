package dev.weft.routing.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.core.identity.PeerId;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TreeControlTest {
  static final PeerId SRC = PeerId.fromPublicKeyProtobuf(key(3));

  static byte[] key(int b) {
    byte[] pb = new byte[36];
    pb[0] = 0x08;
    pb[1] = 0x01;
    pb[2] = 0x12;
    pb[3] = 0x20;
    Arrays.fill(pb, 4, 36, (byte) b);
    return pb;
  }

  @Test
  void shouldRoundTripWithAndWithoutSource() {
    for (TreeControl c : new TreeControl[] {
        new TreeControl(TreeControl.Kind.LAZY, "blocks", SRC),
        new TreeControl(TreeControl.Kind.EAGER, "", null),
        new TreeControl(TreeControl.Kind.EAGER, "ü".repeat(300), SRC)}) {
      assertEquals(c, TreeControl.decode(c.encode()));
    }
  }

  @Test
  void shouldRejectMalformedFrames() {
    byte[] ok = new TreeControl(TreeControl.Kind.LAZY, "t", SRC).encode();
    assertThrows(IllegalArgumentException.class, () -> TreeControl.decode(new byte[0]));
    byte[] badKind = ok.clone();
    badKind[0] = 7;
    assertThrows(IllegalArgumentException.class, () -> TreeControl.decode(badKind));
    byte[] truncated = Arrays.copyOf(ok, ok.length - 1);
    assertThrows(IllegalArgumentException.class, () -> TreeControl.decode(truncated));
    byte[] trailing = Arrays.copyOf(ok, ok.length + 1);
    assertThrows(IllegalArgumentException.class, () -> TreeControl.decode(trailing));
    byte[] longTopic = {0, (byte) 0xFF, (byte) 0xFF, 0x03, 0};
    assertThrows(IllegalArgumentException.class, () -> TreeControl.decode(longTopic));
    assertThrows(IllegalArgumentException.class,
        () -> TreeControl.decode(new byte[TreeControl.MAX_FRAME_BYTES + 1]));
    assertThrows(IllegalArgumentException.class,
        () -> new TreeControl(TreeControl.Kind.LAZY, "x".repeat(1025), null));
  }

  @Test
  void encodingIsStable() {
    byte[] b = new TreeControl(TreeControl.Kind.EAGER, "ab", null).encode();
    assertArrayEquals(new byte[] {1, 2, 'a', 'b', 0}, b);
  }
}
