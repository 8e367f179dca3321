package dev.weft.health.signals;

/** {@link LeechDetector}'s judgement of one mesh peer over its last closed window. */
public enum MeshVerdict {
  /** Not judged: not in a mesh for (the second half of) the window, or too little traffic. */
  UNJUDGED,
  /** Delivered at least one message first. */
  CONTRIBUTING,
  /**
   * Delivered only late copies (duplicates) or IDONTWANTs: it forwards, just slower than others. A
   * slow or lossy link looks like this; it is routed around (score P3), never accused.
   */
  LATE_ONLY,
  /**
   * Delivered nothing at all while others delivered enough: not evidence on its own (an honest
   * leaf fed first by us looks the same); the peer is probed (forwarded nothing) until it speaks.
   */
  SILENT,
  /**
   * Silent for the confirmation number of windows in a row, at least one of them while probed, or
   * silent with broken promises.
   */
  BLACK_HOLE
}
