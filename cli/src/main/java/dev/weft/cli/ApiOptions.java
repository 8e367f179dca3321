package dev.weft.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a client command finds a running node: {@code --api}, {@code --token-file} and
 * {@code --state-dir}, the same on every command. Without {@code --api} the address is read from
 * {@code <state-dir>/admin.addr}; without {@code --token-file} the token from
 * {@code <state-dir>/admin.token} (both written by {@code weft run}).
 */
final class ApiOptions {
  @Option(names = "--api", paramLabel = "<host:port>",
      description = "The node's admin API (default: read from <state-dir>/admin.addr).")
  String api;

  @Option(names = "--token-file", paramLabel = "<file>",
      description = "Admin bearer token for mutating calls (default: <state-dir>/admin.token).")
  Path tokenFile;

  @Option(names = "--state-dir", paramLabel = "<dir>",
      description = "The node's state directory (default: $WEFT_STATE_DIR or ./.weft).")
  Path stateDir;

  @Option(names = "--json", description = "Print the API's JSON instead of text.")
  boolean json;

  ApiClient client() {
    String addr = api;
    Path dir = stateDir(stateDir);
    if (addr == null) {
      Path f = dir.resolve("admin.addr");
      try {
        addr = Files.readString(f, StandardCharsets.US_ASCII).trim();
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("no --api given and " + f + " does not exist "
            + "(is a node running with --state-dir " + dir + "?)");
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + f + ": " + e.getMessage());
      }
    }
    InetSocketAddress a = parseAddress("--api", addr);
    Path tf = tokenFile != null ? tokenFile : dir.resolve("admin.token");
    return new ApiClient(a, tf, tokenFile != null);
  }

  static Path stateDir(Path given) {
    if (given != null) {
      return given;
    }
    String env = System.getenv("WEFT_STATE_DIR");
    return Path.of(env == null || env.isBlank() ? ".weft" : env);
  }

  /** A bind address for the node's API, or null for {@code off}. */
  static InetSocketAddress parseBind(String text) {
    if (text == null || text.equalsIgnoreCase("off")) {
      return null;
    }
    return parseAddress("--api", text);
  }

  static InetSocketAddress parseAddress(String option, String text) {
    int i = text.lastIndexOf(':');
    if (i <= 0 || i == text.length() - 1) {
      throw new IllegalArgumentException(option + " " + text + ": expected <host>:<port>");
    }
    String host = text.substring(0, i);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(i + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " " + text + ": port is not a number");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(option + " " + text + ": port out of range");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(option + " " + text + ": unknown host " + host);
    }
  }
}
