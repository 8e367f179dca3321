package dev.weft.cli.topology;

/** A topology file problem, formatted {@code file:line:column: field: message}. */
public final class TopologyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public TopologyException(String message) {
    super(message);
  }
}
