package dev.weft.sim.scenario;

/** A scenario that cannot be used; the message names the file, the line and the field. */
public final class ScenarioException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String file;
  private final int line;
  private final String field;

  /** An error at {@code file}:{@code line} in {@code field} (dotted path, may be empty). */
  public ScenarioException(String file, int line, String field, String problem) {
    super(file + ":" + line + ": " + (field.isEmpty() ? "" : "field '" + field + "': ") + problem);
    this.file = file;
    this.line = line;
    this.field = field;
  }

  /** The file name as given to the parser. */
  public String file() {
    return file;
  }

  /** 1-based line. */
  public int line() {
    return line;
  }

  /** Dotted field path, e.g. {@code faults[1].fraction}. */
  public String field() {
    return field;
  }
}
