package dev.weft.net.noise;

/** A Noise handshake or transport failure (bad tag, bad key, bad payload, nonce exhaustion). */
public class NoiseException extends Exception {
  private static final long serialVersionUID = 1L;

  public NoiseException(String message) {
    super(message);
  }

  public NoiseException(String message, Throwable cause) {
    super(message, cause);
  }
}
