package dev.weft.net.health;

import dev.weft.health.persist.HealthSnapshot;
import dev.weft.health.persist.HealthSnapshotCodec;
import dev.weft.health.persist.SnapshotFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk home of a node's {@link HealthSnapshot}: one file, {@value #FILE_NAME}, in the state
 * directory, replaced atomically so that a crash (kill -9, power loss) at any moment leaves either
 * the previous complete snapshot or the new one, never a torn file.
 *
 * <p>A save writes the encoded bytes to a new temp file ({@code health.snapshot.<random>.tmp}) in
 * the same directory, fsyncs it, renames it over the
 * snapshot with an atomic rename, then fsyncs the directory so the rename itself is durable. A
 * left-over temp file (a crash before the rename) is ignored and deleted by {@link #load}. A snapshot that fails
 * to decode is moved aside to {@code health.snapshot.corrupt-<epoch ms>} (kept for inspection,
 * never deleted) and the node starts with an empty record. Several processes may share a
 * directory (the last save wins); within one process, save from one thread at a time.
 */
public final class HealthStore {
  private static final Logger log = LoggerFactory.getLogger(HealthStore.class);
  /** The snapshot file's name in the state directory. */
  public static final String FILE_NAME = "health.snapshot";
  /** Temp files a save writes before renaming: {@code health.snapshot.<random>.tmp}. */
  public static final String TEMP_PREFIX = FILE_NAME + ".";
  static final String TEMP_SUFFIX = ".tmp";

  private final Path dir;
  private final Path file;

  /** A store in {@code dir} (created if missing when saving). */
  public HealthStore(Path dir) {
    this.dir = dir.toAbsolutePath();
    this.file = this.dir.resolve(FILE_NAME);
  }

  /** The snapshot file. */
  public Path file() {
    return file;
  }

  /** Encodes and atomically replaces the stored snapshot. */
  public void save(HealthSnapshot snapshot) throws IOException {
    write(HealthSnapshotCodec.encode(snapshot));
  }

  /** Atomically replaces the stored bytes with {@code bytes}. */
  void write(byte[] bytes) throws IOException {
    Files.createDirectories(dir);
    // a fresh name per save: two processes sharing a directory never write into one temp file
    Path temp = Files.createTempFile(dir, TEMP_PREFIX, TEMP_SUFFIX);
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(temp);
      throw new IOException("the file system of " + dir + " cannot rename atomically", e);
    }
    syncDirectory();
  }

  private void syncDirectory() {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some platforms (Windows) cannot open a directory; the rename is still atomic there
      log.debug("could not fsync {}: {}", dir, e.toString());
    }
  }

  private void deleteLeftoverTemps() throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var files = Files.newDirectoryStream(dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
      for (Path p : files) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Reads the stored snapshot: empty when there is none; a corrupt one is moved aside (logged)
   * and reported as empty. I/O errors other than a missing file are thrown.
   */
  public Optional<HealthSnapshot> load() throws IOException {
    deleteLeftoverTemps();
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    byte[] bytes = Files.readAllBytes(file);
    try {
      return Optional.of(HealthSnapshotCodec.decode(bytes));
    } catch (SnapshotFormatException e) {
      Path aside = dir.resolve(FILE_NAME + ".corrupt-" + System.currentTimeMillis());
      Files.move(file, aside);
      log.warn("health snapshot {} is unreadable ({}); moved to {}, starting with no health "
          + "records", file, e.getMessage(), aside);
      return Optional.empty();
    }
  }
}
