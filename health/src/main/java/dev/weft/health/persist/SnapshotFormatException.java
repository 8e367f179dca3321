package dev.weft.health.persist;

/** The bytes are not a valid health snapshot (truncated, corrupt, wrong version, …). */
public final class SnapshotFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** With a message saying what is wrong and where. */
  public SnapshotFormatException(String message) {
    super(message);
  }
}
