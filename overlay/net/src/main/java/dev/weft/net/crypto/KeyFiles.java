package dev.weft.net.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent node identity: a file holding exactly the libp2p {@code PrivateKey} protobuf bytes
 * (the same content go-libp2p/js tooling writes, without any PEM or base64 wrapping).
 *
 * <p>Writes are atomic: the key goes to a temporary file in the target directory that is created
 * with permissions {@code rw-------}, is fsynced, then renamed over the target with
 * {@code ATOMIC_MOVE}; the directory is fsynced afterwards where the platform allows. Missing
 * parent directories are created {@code rwx------}. Loading refuses anything that is not a valid
 * private key (an {@link IllegalArgumentException} naming the file) and logs a warning when the
 * file is readable or writable by group or others.
 */
public final class KeyFiles {
  private static final Logger LOG = LoggerFactory.getLogger(KeyFiles.class);
  private static final Set<PosixFilePermission> OWNER_RW =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> OWNER_RWX = EnumSet.of(
      PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_EXECUTE);

  private KeyFiles() {}

  /** Loads the key in {@code file}, or generates one of {@code typeIfNew}, saves it and returns it. */
  public static PrivKey loadOrCreate(Path file, KeyType typeIfNew, SecureRandom random)
      throws IOException {
    if (Files.exists(file)) {
      return load(file);
    }
    PrivKey key = Keys.generate(typeIfNew, random);
    save(file, key);
    LOG.info("created new {} identity {} in {}", typeIfNew, key.publicKey().peerId(), file);
    return key;
  }

  /**
   * Reads a {@code PrivateKey} protobuf from {@code file}.
   *
   * @throws IllegalArgumentException if the content is not a valid key (message names the file)
   * @throws IOException if the file cannot be read
   */
  public static PrivKey load(Path file) throws IOException {
    long size = Files.size(file);
    if (size > Keys.MAX_KEY_PROTOBUF_BYTES) {
      throw new IllegalArgumentException("key file " + file + " is " + size
          + " bytes, larger than any libp2p private key (max " + Keys.MAX_KEY_PROTOBUF_BYTES + ")");
    }
    warnIfTooOpen(file);
    byte[] data = Files.readAllBytes(file);
    try {
      return Keys.unmarshalPrivateKey(data);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "key file " + file + " does not hold a valid libp2p PrivateKey protobuf: "
              + e.getMessage(), e);
    }
  }

  /** Atomically writes {@code key}'s {@code PrivateKey} protobuf to {@code file} with mode 0600. */
  public static void save(Path file, PrivKey key) throws IOException {
    writeSecret(file, key.toProtobuf());
  }

  /**
   * Atomically writes {@code data} to {@code file} with mode 0600 (temp file, fsync, rename),
   * creating the directory with mode 0700 if missing. Used for key files and the admin token.
   */
  public static void writeSecret(Path file, byte[] data) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        && dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(dir)) {
      if (posix) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_RWX));
      } else {
        Files.createDirectories(dir);
      }
    }
    FileAttribute<?>[] attrs = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_RW)}
        : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", attrs);
    boolean moved = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot atomically replace " + target
            + " (file system does not support atomic rename)", e);
      }
      moved = true;
      fsyncDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not fsync directory {}: {}", dir, e.toString());
    }
  }

  private static void warnIfTooOpen(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      Set<PosixFilePermission> extra = EnumSet.noneOf(PosixFilePermission.class);
      extra.addAll(perms);
      extra.removeAll(OWNER_RW);
      if (!extra.isEmpty()) {
        LOG.warn("key file {} has permissions {}, broader than rw-------; restrict it with chmod 600",
            file, PosixFilePermissions.toString(perms));
      }
    } catch (UnsupportedOperationException | IOException e) {
      LOG.debug("cannot check permissions of key file {}: {}", file, e.toString());
    }
  }

  /** True when {@code file}'s POSIX permissions are broader than {@code rw-------}. */
  static boolean isTooOpen(Path file) throws IOException {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    perms.addAll(Files.getPosixFilePermissions(file));
    perms.removeAll(OWNER_RW);
    return !perms.isEmpty();
  }
}
