package dev.weft.it.interop;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A js interop process failed: it did not start, exited, timed out, or answered a command with
 * {@code "ok":false}. The message carries the last stderr lines of the js process.
 */
public class JsPeerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient JsonNode result;

  /** A failure without a command result. */
  public JsPeerException(String message) {
    this(message, null, null);
  }

  /** A failure caused by another exception. */
  public JsPeerException(String message, Throwable cause) {
    this(message, null, cause);
  }

  /** A command answered with {@code "ok":false}; {@code result} is that answer. */
  public JsPeerException(String message, JsonNode result, Throwable cause) {
    super(message, cause);
    this.result = result;
  }

  /** The failed command's result object ({@code "ok":false,"error":..}), or null. */
  public JsonNode result() {
    return result;
  }

  /** The js error message of a failed command, or null. */
  public String jsError() {
    return result == null || !result.hasNonNull("error") ? null : result.get("error").asText();
  }
}
