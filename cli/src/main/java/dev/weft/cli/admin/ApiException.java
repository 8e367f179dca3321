package dev.weft.cli.admin;

/** An admin API error with its HTTP status; the message goes to the client as JSON. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
