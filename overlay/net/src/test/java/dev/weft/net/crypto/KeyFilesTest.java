package dev.weft.net.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class KeyFilesTest {
  @TempDir Path dir;

  @Test
  void shouldSaveWithOwnerOnlyPermissionsAndReloadSamePeerId() throws IOException {
    Path f = dir.resolve("a/b/identity.key");
    PrivKey k = Keys.generate(KeyType.ED25519, new SecureRandom());
    KeyFiles.save(f, k);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertArrayEquals(k.toProtobuf(), Files.readAllBytes(f));
    PrivKey back = KeyFiles.load(f);
    assertEquals(k.publicKey().peerId(), back.publicKey().peerId());
    try (Stream<Path> s = Files.list(f.getParent())) {
      assertEquals(1, s.count(), "temporary file left behind");
    }
  }

  @Test
  void shouldCreateOnceThenLoadTheSameKey() throws IOException {
    Path f = dir.resolve("node.key");
    PrivKey first = KeyFiles.loadOrCreate(f, KeyType.SECP256K1, new SecureRandom());
    assertEquals(KeyType.SECP256K1, first.type());
    PrivKey second = KeyFiles.loadOrCreate(f, KeyType.ED25519, new SecureRandom());
    assertEquals(KeyType.SECP256K1, second.type());
    assertEquals(first.publicKey().peerId(), second.publicKey().peerId());
  }

  @Test
  void shouldReplaceExistingKeyAtomically() throws IOException {
    Path f = dir.resolve("node.key");
    KeyFiles.save(f, Keys.generate(KeyType.ED25519, new SecureRandom()));
    PrivKey k2 = Keys.generate(KeyType.ED25519, new SecureRandom());
    KeyFiles.save(f, k2);
    assertEquals(k2.publicKey().peerId(), KeyFiles.load(f).publicKey().peerId());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
  }

  @Test
  void shouldRejectCorruptedFileNamingThePath() throws IOException {
    Path f = dir.resolve("bad.key");
    Files.write(f, new byte[] {0x08, 0x01, 0x12, 0x40, 1, 2, 3});
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KeyFiles.load(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    Path big = dir.resolve("big.key");
    Files.write(big, new byte[Keys.MAX_KEY_PROTOBUF_BYTES + 1]);
    e = assertThrows(IllegalArgumentException.class, () -> KeyFiles.load(big));
    assertTrue(e.getMessage().contains(big.toString()), e.getMessage());
    Path text = dir.resolve("text.key");
    Files.writeString(text, "-----BEGIN PRIVATE KEY-----\n");
    assertThrows(IllegalArgumentException.class,
        () -> KeyFiles.loadOrCreate(text, KeyType.ED25519, new SecureRandom()));
    assertEquals("-----BEGIN PRIVATE KEY-----\n", Files.readString(text), "must not overwrite");
  }

  @Test
  void shouldWarnWhenKeyFileIsGroupOrWorldReadable() throws IOException {
    Path f = dir.resolve("open.key");
    KeyFiles.save(f, Keys.generate(KeyType.ED25519, new SecureRandom()));
    Logger logger = (Logger) LoggerFactory.getLogger(KeyFiles.class);
    ListAppender<ILoggingEvent> app = new ListAppender<>();
    app.start();
    logger.addAppender(app);
    try {
      KeyFiles.load(f);
      assertFalse(app.list.stream().anyMatch(ev -> ev.getLevel() == Level.WARN));
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
      assertTrue(KeyFiles.isTooOpen(f));
      KeyFiles.load(f);
      assertTrue(app.list.stream().anyMatch(ev -> ev.getLevel() == Level.WARN
          && ev.getFormattedMessage().contains("rw-r--r--")));
    } finally {
      logger.detachAppender(app);
    }
  }
}
