package dev.weft.net.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.core.identity.PeerId;
import dev.weft.net.crypto.Keys;
import dev.weft.net.crypto.PrivKey;
import dev.weft.net.crypto.PubKey;
import dev.weft.net.pb.NoiseProto;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes and verifies the libp2p {@code NoiseHandshakePayload}: the sender's identity key, its
 * signature over {@code "noise-libp2p-static-key:" || static X25519 public key}, and the
 * {@code stream_muxers} extension used for early muxer negotiation.
 */
public final class NoiseHandshakePayloads {
  /** Prefix of the signed static-key message. */
  public static final String SIGNATURE_PREFIX = "noise-libp2p-static-key:";
  /** Most muxer names we accept from a remote. */
  public static final int MAX_MUXERS = 16;
  /** Longest muxer protocol name we accept. */
  public static final int MAX_MUXER_NAME = 256;

  private static final byte[] PREFIX = SIGNATURE_PREFIX.getBytes(StandardCharsets.UTF_8);

  private NoiseHandshakePayloads() {}

  /** A verified remote payload. */
  public record Verified(PubKey identityKey, PeerId peerId, List<String> streamMuxers) {}

  /** The message the identity key signs: prefix || static public key. */
  public static byte[] signedMessage(byte[] staticPublicKey) {
    byte[] msg = new byte[PREFIX.length + staticPublicKey.length];
    System.arraycopy(PREFIX, 0, msg, 0, PREFIX.length);
    System.arraycopy(staticPublicKey, 0, msg, PREFIX.length, staticPublicKey.length);
    return msg;
  }

  /** Builds our payload; the extensions field is omitted when {@code muxers} is empty. */
  public static byte[] encode(PrivKey identity, byte[] staticPublicKey, List<String> muxers) {
    NoiseProto.NoiseHandshakePayload.Builder b = NoiseProto.NoiseHandshakePayload.newBuilder()
        .setIdentityKey(ByteString.copyFrom(identity.publicKey().toProtobuf()))
        .setIdentitySig(ByteString.copyFrom(identity.sign(signedMessage(staticPublicKey))));
    if (!muxers.isEmpty()) {
      b.setExtensions(NoiseProto.NoiseExtensions.newBuilder().addAllStreamMuxers(muxers));
    }
    return b.build().toByteArray();
  }

  /**
   * Parses {@code payload}, checks the signature against the static key learnt in the handshake,
   * and, when {@code expected} is not null, that the identity key belongs to that peer.
   */
  public static Verified verify(byte[] payload, byte[] remoteStatic, PeerId expected)
      throws NoiseException {
    NoiseProto.NoiseHandshakePayload pb;
    try {
      pb = NoiseProto.NoiseHandshakePayload.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new NoiseException("malformed handshake payload: " + e.getMessage());
    }
    if (!pb.hasIdentityKey() || !pb.hasIdentitySig()) {
      throw new NoiseException("handshake payload lacks identity key or signature");
    }
    PubKey key;
    try {
      key = Keys.unmarshalPublicKey(pb.getIdentityKey().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new NoiseException("bad identity key: " + e.getMessage());
    }
    if (!key.verify(signedMessage(remoteStatic), pb.getIdentitySig().toByteArray())) {
      throw new NoiseException("identity signature over the static key does not verify");
    }
    PeerId peer = key.peerId();
    if (expected != null && !expected.equals(peer)) {
      throw new NoiseException("unexpected peer: expected " + expected + ", remote is " + peer);
    }
    List<String> muxers = List.of();
    if (pb.hasExtensions()) {
      List<String> remote = pb.getExtensions().getStreamMuxersList();
      if (remote.size() > MAX_MUXERS) {
        throw new NoiseException("too many stream muxers offered: " + remote.size());
      }
      for (String m : remote) {
        if (m.isEmpty() || m.length() > MAX_MUXER_NAME) {
          throw new NoiseException("bad stream muxer name of length " + m.length());
        }
      }
      muxers = List.copyOf(remote);
    }
    return new Verified(key, peer, muxers);
  }

  /**
   * The early muxer both sides agree on, computed identically from either side's perspective: null
   * when either list is empty; otherwise the first entry of the initiator's list that the responder
   * also lists. Both lists non-empty without overlap is a handshake failure (js aborts too).
   */
  public static String selectEarlyMuxer(List<String> initiatorMuxers, List<String> responderMuxers)
      throws NoiseException {
    if (initiatorMuxers.isEmpty() || responderMuxers.isEmpty()) {
      return null;
    }
    for (String m : initiatorMuxers) {
      if (responderMuxers.contains(m)) {
        return m;
      }
    }
    throw new NoiseException("no common stream muxer: initiator " + initiatorMuxers
        + ", responder " + responderMuxers);
  }
}
