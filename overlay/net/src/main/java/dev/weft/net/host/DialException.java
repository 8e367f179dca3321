package dev.weft.net.host;

/** A dial that could not produce a connection; the message says why. */
public final class DialException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DialException(String message) {
    super(message);
  }
}
