package dev.weft.net.mux;

/** A stream-level or session-level failure of a muxer, with the reason in the message. */
public class MuxerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MuxerException(String message) {
    super(message);
  }
}
