package dev.weft.cli;

import dev.weft.net.crypto.KeyFiles;
import dev.weft.net.crypto.KeyType;
import dev.weft.net.crypto.Keys;
import dev.weft.net.crypto.PrivKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code weft keygen}: writes a new identity key file (mode 0600) and prints its peer ID. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = "Create an identity key file (mode 0600) and print its peer ID.")
final class KeygenCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "<file>", description = "Key file to create.")
  Path file;

  @Option(names = "--type", description = "Key type: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "ED25519")
  KeyType type;

  @Option(names = "--force", description = "Overwrite an existing file.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    if (type != KeyType.ED25519 && type != KeyType.SECP256K1) {
      throw new IllegalArgumentException("--type " + type + ": only ED25519 and SECP256K1 keys can be generated");
    }
    if (Files.exists(file) && !force) {
      throw new IllegalArgumentException(file + " already exists (use --force to overwrite)");
    }
    PrivKey key = Keys.generate(type, new SecureRandom());
    KeyFiles.save(file, key);
    System.out.println(key.publicKey().peerId().toBase58());
    return 0;
  }
}
