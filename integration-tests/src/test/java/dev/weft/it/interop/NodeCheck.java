package dev.weft.it.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Verifies that the js-libp2p interop environment is present: a {@code node} binary (major version
 * 20 or newer) and the js directory with its installed {@code node_modules}.
 *
 * <p>Nothing is skipped silently: when something is missing, {@link #requireJsEnvironment()} throws
 * an {@link AssertionError} that says what is missing and how to fix it, so the test FAILS (CI
 * installs Node and runs {@code npm ci} through the integration-tests pom).
 *
 * <p>The node binary is {@code node} from the PATH unless the system property
 * {@code weft.interop.node} or the environment variable {@code WEFT_NODE} names another one.
 */
public final class NodeCheck {

  /** System property holding the js directory (set by the integration-tests pom for surefire). */
  public static final String JS_DIR_PROPERTY = "weft.interop.js.dir";

  private static volatile String checkedNodeVersion;

  private NodeCheck() {
  }

  /** The node executable to run. */
  public static String nodeExecutable() {
    String prop = System.getProperty("weft.interop.node");
    if (prop != null && !prop.isBlank()) {
      return prop;
    }
    String env = System.getenv("WEFT_NODE");
    if (env != null && !env.isBlank()) {
      return env;
    }
    return "node";
  }

  /**
   * Checks node and the js directory; returns the js directory.
   *
   * @throws AssertionError with an explanatory message when anything is missing
   */
  public static Path requireJsEnvironment() {
    String dirProp = System.getProperty(JS_DIR_PROPERTY);
    if (dirProp == null || dirProp.isBlank()) {
      throw new AssertionError("System property " + JS_DIR_PROPERTY + " is not set. Run the interop"
          + " tests through Maven (the integration-tests pom sets it to src/test/js), or pass"
          + " -D" + JS_DIR_PROPERTY + "=<repo>/integration-tests/src/test/js.");
    }
    Path dir = Path.of(dirProp).toAbsolutePath().normalize();
    if (!Files.isRegularFile(dir.resolve("peer.mjs"))) {
      throw new AssertionError("js interop directory " + dir + " has no peer.mjs");
    }
    if (!Files.isDirectory(dir.resolve("node_modules").resolve("libp2p"))) {
      throw new AssertionError("js-libp2p is not installed in " + dir.resolve("node_modules")
          + ". Run `npm ci` in " + dir + " (Maven does this in generate-test-resources unless"
          + " -DskipTests).");
    }
    requireNode();
    return dir;
  }

  /**
   * Runs {@code node --version} once per JVM and checks the major version is at least 20.
   *
   * @return the version string, e.g. {@code v20.20.2}
   */
  public static String requireNode() {
    String v = checkedNodeVersion;
    if (v != null) {
      return v;
    }
    String exe = nodeExecutable();
    String out;
    try {
      Process p = new ProcessBuilder(List.of(exe, "--version")).redirectErrorStream(true).start();
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("`" + exe + " --version` did not finish within 20 s");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("`" + exe + " --version` failed (exit " + p.exitValue() + "): " + out);
      }
    } catch (IOException e) {
      throw new AssertionError("Node.js is required for the js-libp2p interop tests but `" + exe
          + "` could not be run (" + e.getMessage() + "). Install Node.js >= 20 or point"
          + " -Dweft.interop.node / WEFT_NODE at it.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while checking the node version", e);
    }
    int major = parseMajor(out);
    if (major < 20) {
      throw new AssertionError("Node.js >= 20 is required for js-libp2p 3.x, found `" + out + "` at " + exe);
    }
    checkedNodeVersion = out;
    return out;
  }

  static int parseMajor(String version) {
    String s = version.startsWith("v") ? version.substring(1) : version;
    int dot = s.indexOf('.');
    try {
      return Integer.parseInt(dot < 0 ? s : s.substring(0, dot));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
