package dev.weft.net.noise;

import dev.weft.core.identity.PeerId;
import java.security.SecureRandom;

/**
 * The libp2p Noise handshake of one connection, without I/O: {@link HandshakeState} plus payload
 * placement (nothing in message 1, responder payload in message 2, initiator payload in message 3),
 * identity verification and early muxer selection. Feed it whole (unframed) handshake messages.
 */
public final class NoiseSession {
  /** Handshake message 1 = e (32) plus a payload that must be empty; we tolerate a little. */
  public static final int MAX_MESSAGE_1 = 32 + 256;
  /** Bound for messages 2 and 3 (an RSA identity key and signature fit comfortably). */
  public static final int MAX_HANDSHAKE_MESSAGE = 16 * 1024;
  /** Smallest valid messages 1, 2, 3. */
  private static final int[] MIN_LENGTH = {32, 32 + 48 + 16, 48 + 16};

  private static final byte[] EMPTY = new byte[0];

  private final NoiseIdentity local;
  private final boolean initiator;
  private final PeerId expectedRemote;
  private final HandshakeState hs;
  private int received;
  private Result result;

  /** Result of a completed handshake. */
  public record Result(NoiseHandshakePayloads.Verified remote, String earlyMuxerOrNull,
      HandshakeState.TransportCiphers ciphers) {}

  public NoiseSession(NoiseIdentity local, boolean initiator, PeerId expectedRemoteOrNull,
      SecureRandom random) {
    this.local = local;
    this.initiator = initiator;
    this.expectedRemote = expectedRemoteOrNull;
    // libp2p over TCP uses an empty prologue; it is still mixed into h.
    this.hs = new HandshakeState(initiator, EMPTY, local.staticKey(), random);
  }

  public boolean isInitiator() {
    return initiator;
  }

  /** The initiator's first message (e, empty payload). */
  public byte[] start() throws NoiseException {
    if (!initiator) {
      throw new IllegalStateException("only the initiator starts");
    }
    return hs.writeMessage(EMPTY);
  }

  /** Which handshake message (1..3) we expect to read next. */
  public int nextIncomingMessage() {
    return initiator ? 2 : (received == 0 ? 1 : 3);
  }

  /** Smallest acceptable length of the next incoming message. */
  public int minIncomingLength() {
    return MIN_LENGTH[nextIncomingMessage() - 1];
  }

  /** Largest acceptable length of the next incoming message. */
  public int maxIncomingLength() {
    return nextIncomingMessage() == 1 ? MAX_MESSAGE_1 : MAX_HANDSHAKE_MESSAGE;
  }

  /**
   * Consumes one handshake message; returns the message to send in reply, or null if none.
   * After this returns, {@link #isComplete()} tells whether the handshake finished.
   */
  public byte[] onMessage(byte[] msg, int off, int len) throws NoiseException {
    if (result != null) {
      throw new IllegalStateException("handshake already complete");
    }
    int which = nextIncomingMessage();
    if (len < MIN_LENGTH[which - 1] || len > maxIncomingLength()) {
      throw new NoiseException("handshake message " + which + " has bad length " + len);
    }
    byte[] payload = hs.readMessage(msg, off, len);
    received++;
    switch (which) {
      case 1 -> {
        // The initiator must not send anything in message 1; any payload is ignored unread.
        return hs.writeMessage(local.payloadUnsafe());
      }
      case 2 -> {
        NoiseHandshakePayloads.Verified remote =
            NoiseHandshakePayloads.verify(payload, hs.remoteStatic(), expectedRemote);
        String muxer = NoiseHandshakePayloads.selectEarlyMuxer(local.muxers(), remote.streamMuxers());
        byte[] msg3 = hs.writeMessage(local.payloadUnsafe());
        result = new Result(remote, muxer, hs.split());
        return msg3;
      }
      default -> {
        NoiseHandshakePayloads.Verified remote =
            NoiseHandshakePayloads.verify(payload, hs.remoteStatic(), expectedRemote);
        String muxer = NoiseHandshakePayloads.selectEarlyMuxer(remote.streamMuxers(), local.muxers());
        result = new Result(remote, muxer, hs.split());
        return null;
      }
    }
  }

  public boolean isComplete() {
    return result != null;
  }

  /** The outcome; only after {@link #isComplete()}. */
  public Result result() {
    if (result == null) {
      throw new IllegalStateException("handshake not complete");
    }
    return result;
  }
}
