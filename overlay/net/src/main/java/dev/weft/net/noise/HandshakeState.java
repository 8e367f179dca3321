package dev.weft.net.noise;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The Noise XX handshake ({@code Noise_XX_25519_ChaChaPoly_SHA256}) for either role:
 *
 * <pre>
 *   -> e
 *   <- e, ee, s, es
 *   -> s, se
 * </pre>
 *
 * Pure (no I/O). Call {@link #writeMessage} / {@link #readMessage} alternately starting with the
 * initiator's write; after the third message {@link #split()} yields the transport ciphers. Any
 * failure leaves the state unusable; callers abort the session.
 */
public final class HandshakeState {
  public static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
  /** Bytes of a DH public key. */
  public static final int DH_LEN = X25519Keys.KEY_LENGTH;
  private static final int TAG = ChaChaPolyAead.TAG_LENGTH;

  private final boolean initiator;
  private final SymmetricState ss = new SymmetricState(PROTOCOL_NAME);
  private final X25519Keys.KeyPair s;
  private final SecureRandom random;
  private final byte[] fixedEphemeral;
  private X25519Keys.KeyPair e;
  private byte[] re;
  private byte[] rs;
  private int step;
  private boolean failed;

  /**
   * @param initiator true for the side that sends the first message
   * @param prologue prologue bytes (empty for libp2p over TCP; mixed in even when empty)
   * @param staticKey this side's X25519 static key pair
   * @param random source of ephemeral keys
   */
  public HandshakeState(boolean initiator, byte[] prologue, X25519Keys.KeyPair staticKey, SecureRandom random) {
    this(initiator, prologue, staticKey, random, null);
  }

  /** Test hook: a fixed ephemeral private key, for known-answer tests only. */
  HandshakeState(boolean initiator, byte[] prologue, X25519Keys.KeyPair staticKey, SecureRandom random,
      byte[] fixedEphemeral) {
    this.initiator = initiator;
    this.s = staticKey;
    this.random = random;
    this.fixedEphemeral = fixedEphemeral;
    ss.mixHash(prologue);
  }

  public boolean isInitiator() {
    return initiator;
  }

  /** True once all three messages have been processed. */
  public boolean isComplete() {
    return step == 3 && !failed;
  }

  /** True when it is this side's turn to write. */
  public boolean isMyTurnToWrite() {
    return (step % 2 == 0) == initiator && step < 3;
  }

  /** The remote static X25519 key, known after message 2 (initiator) or 3 (responder). */
  public byte[] remoteStatic() {
    return rs == null ? null : rs.clone();
  }

  public byte[] localStatic() {
    return s.pub().clone();
  }

  /** The handshake hash h (channel binding value once complete). */
  public byte[] handshakeHash() {
    return ss.handshakeHash();
  }

  private X25519Keys.KeyPair newEphemeral() {
    return fixedEphemeral != null ? X25519Keys.KeyPair.fromPrivate(fixedEphemeral)
        : X25519Keys.KeyPair.generate(random);
  }

  private void checkTurn(boolean writing) {
    if (failed) {
      throw new IllegalStateException("handshake already failed");
    }
    if (step >= 3) {
      throw new IllegalStateException("handshake already complete");
    }
    if (isMyTurnToWrite() != writing) {
      throw new IllegalStateException((writing ? "not our turn to write" : "not our turn to read")
          + " at message " + (step + 1));
    }
  }

  /** Produces the next handshake message carrying {@code payload}. */
  public byte[] writeMessage(byte[] payload) throws NoiseException {
    checkTurn(true);
    try {
      byte[] out;
      switch (step) {
        case 0 -> { // -> e
          e = newEphemeral();
          ss.mixHash(e.pub());
          byte[] p = ss.encryptAndHash(payload);
          out = concat(e.pub(), p);
        }
        case 1 -> { // <- e, ee, s, es
          e = newEphemeral();
          ss.mixHash(e.pub());
          ss.mixKey(X25519Keys.dh(e.priv(), re));
          byte[] encS = ss.encryptAndHash(s.pub());
          ss.mixKey(X25519Keys.dh(s.priv(), re));
          byte[] p = ss.encryptAndHash(payload);
          out = concat(e.pub(), encS, p);
        }
        default -> { // -> s, se
          byte[] encS = ss.encryptAndHash(s.pub());
          ss.mixKey(X25519Keys.dh(s.priv(), re));
          byte[] p = ss.encryptAndHash(payload);
          out = concat(encS, p);
        }
      }
      step++;
      return out;
    } catch (NoiseException | RuntimeException ex) {
      failed = true;
      throw ex;
    }
  }

  /** Consumes the next handshake message and returns its decrypted payload. */
  public byte[] readMessage(byte[] msg, int off, int len) throws NoiseException {
    checkTurn(false);
    try {
      byte[] payload;
      switch (step) {
        case 0 -> { // -> e
          require(len >= DH_LEN, len, "message 1");
          re = Arrays.copyOfRange(msg, off, off + DH_LEN);
          ss.mixHash(re);
          payload = ss.decryptAndHash(msg, off + DH_LEN, len - DH_LEN);
        }
        case 1 -> { // <- e, ee, s, es
          require(len >= DH_LEN + DH_LEN + TAG + TAG, len, "message 2");
          re = Arrays.copyOfRange(msg, off, off + DH_LEN);
          ss.mixHash(re);
          ss.mixKey(X25519Keys.dh(e.priv(), re));
          rs = ss.decryptAndHash(msg, off + DH_LEN, DH_LEN + TAG);
          ss.mixKey(X25519Keys.dh(e.priv(), rs));
          int used = DH_LEN + DH_LEN + TAG;
          payload = ss.decryptAndHash(msg, off + used, len - used);
        }
        default -> { // -> s, se
          require(len >= DH_LEN + TAG + TAG, len, "message 3");
          rs = ss.decryptAndHash(msg, off, DH_LEN + TAG);
          ss.mixKey(X25519Keys.dh(e.priv(), rs));
          int used = DH_LEN + TAG;
          payload = ss.decryptAndHash(msg, off + used, len - used);
        }
      }
      step++;
      return payload;
    } catch (NoiseException | RuntimeException ex) {
      failed = true;
      throw ex;
    }
  }

  public byte[] readMessage(byte[] msg) throws NoiseException {
    return readMessage(msg, 0, msg.length);
  }

  /**
   * The transport ciphers after a complete handshake, oriented for this side: {@code send} encrypts
   * what we write, {@code receive} decrypts what the remote wrote.
   */
  public TransportCiphers split() {
    if (!isComplete()) {
      throw new IllegalStateException("handshake not complete");
    }
    CipherState[] c = ss.split();
    if (e != null) {
      Arrays.fill(e.priv(), (byte) 0);
    }
    return initiator ? new TransportCiphers(c[0], c[1]) : new TransportCiphers(c[1], c[0]);
  }

  /** The pair of transport-phase cipher states of one side. */
  public record TransportCiphers(CipherState send, CipherState receive) {}

  private static void require(boolean ok, int len, String what) throws NoiseException {
    if (!ok) {
      throw new NoiseException(what + " too short: " + len + " bytes");
    }
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }
}
