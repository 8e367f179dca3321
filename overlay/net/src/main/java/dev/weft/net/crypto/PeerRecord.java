package dev.weft.net.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.net.pb.PeerRecordProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A libp2p routing record (RFC 0003): a peer's ID, a sequence number and its listen addresses,
 * carried in a {@link SignedEnvelope} with domain {@value #DOMAIN} and payload type
 * {@code 0x03 0x01}.
 *
 * <p>{@code seq} is an unsigned 64-bit value held in a {@code long}; compare records with
 * {@link #isNewerThan}. A trailing {@code /p2p/<own id>} is stripped from addresses (js sends them
 * without it); when decoding,
 * addresses weft cannot parse (for example protocols it does not know) are skipped rather than
 * failing the whole record, like go. Immutable.
 */
public final class PeerRecord {
  public static final String DOMAIN = "libp2p-peer-record";
  private static final byte[] PAYLOAD_TYPE = {0x03, 0x01};

  private final PeerId peerId;
  private final long seq;
  private final List<Multiaddr> addresses;

  public PeerRecord(PeerId peerId, long seq, List<Multiaddr> addresses) {
    this.peerId = Objects.requireNonNull(peerId, "peerId");
    this.seq = seq;
    List<Multiaddr> clean = new ArrayList<>(addresses.size());
    for (Multiaddr a : addresses) {
      clean.add(a.peerId().filter(peerId::equals).isPresent() ? a.withoutPeerId() : a);
    }
    this.addresses = List.copyOf(clean);
  }

  /** The multicodec payload type of peer records ({@code 0x0301}). */
  public static byte[] payloadType() {
    return PAYLOAD_TYPE.clone();
  }

  public PeerId peerId() {
    return peerId;
  }

  /** Sequence number (unsigned 64-bit). */
  public long seq() {
    return seq;
  }

  public List<Multiaddr> addresses() {
    return addresses;
  }

  /** True if this record's seq is greater than {@code other}'s, compared as unsigned. */
  public boolean isNewerThan(PeerRecord other) {
    return Long.compareUnsigned(seq, other.seq) > 0;
  }

  /** The {@code PeerRecord} protobuf bytes (the envelope payload). */
  public byte[] toProtobuf() {
    PeerRecordProto.PeerRecord.Builder b = PeerRecordProto.PeerRecord.newBuilder()
        .setPeerId(ByteString.copyFrom(peerId.toBytes()))
        .setSeq(seq);
    for (Multiaddr a : addresses) {
      b.addAddresses(PeerRecordProto.PeerRecord.AddressInfo.newBuilder()
          .setMultiaddr(ByteString.copyFrom(a.toBytes())));
    }
    return b.build().toByteArray();
  }

  /** Parses a {@code PeerRecord} protobuf (bounded by {@link SignedEnvelope#MAX_BYTES}). */
  public static PeerRecord fromProtobuf(byte[] data) {
    if (data == null || data.length > SignedEnvelope.MAX_BYTES) {
      throw new IllegalArgumentException("peer record must be at most " + SignedEnvelope.MAX_BYTES
          + " bytes, got " + (data == null ? "null" : data.length));
    }
    PeerRecordProto.PeerRecord pb;
    try {
      pb = PeerRecordProto.PeerRecord.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed peer record protobuf: " + e.getMessage(), e);
    }
    PeerId id;
    try {
      id = PeerId.fromBytes(pb.getPeerId().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("peer record has an invalid peer ID: " + e.getMessage(), e);
    }
    List<Multiaddr> addrs = new ArrayList<>(pb.getAddressesCount());
    for (PeerRecordProto.PeerRecord.AddressInfo ai : pb.getAddressesList()) {
      try {
        addrs.add(Multiaddr.fromBytes(ai.getMultiaddr().toByteArray()));
      } catch (IllegalArgumentException e) {
        // skip addresses we cannot understand; the rest of the record is still useful
      }
    }
    return new PeerRecord(id, pb.getSeq(), addrs);
  }

  /** Signs this record with {@code key}, which must belong to {@link #peerId()}. */
  public SignedEnvelope toEnvelope(PrivKey key) {
    PeerId signer = key.publicKey().peerId();
    if (!signer.equals(peerId)) {
      throw new IllegalArgumentException(
          "peer record for " + peerId + " cannot be signed by the key of " + signer);
    }
    return SignedEnvelope.seal(key, DOMAIN, PAYLOAD_TYPE, toProtobuf());
  }

  /** Opens, verifies and decodes a serialised envelope carrying a peer record. */
  public static PeerRecord fromEnvelope(byte[] envelopeBytes) {
    return fromEnvelope(SignedEnvelope.open(envelopeBytes, DOMAIN));
  }

  /**
   * Decodes the record in an already-opened envelope, checking its payload type and that the
   * record's peer ID is the envelope signer's.
   */
  public static PeerRecord fromEnvelope(SignedEnvelope envelope) {
    if (!Arrays.equals(envelope.payloadType(), PAYLOAD_TYPE)) {
      throw new IllegalArgumentException("envelope payload type is not libp2p-peer-record (0x0301)");
    }
    PeerRecord r = fromProtobuf(envelope.payload());
    if (!r.peerId.equals(envelope.signer())) {
      throw new IllegalArgumentException("peer record for " + r.peerId
          + " is signed by a different peer " + envelope.signer());
    }
    return r;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerRecord r && r.peerId.equals(peerId) && r.seq == seq
        && r.addresses.equals(addresses);
  }

  @Override
  public int hashCode() {
    return Objects.hash(peerId, seq, addresses);
  }

  @Override
  public String toString() {
    return "PeerRecord{" + peerId + ", seq=" + Long.toUnsignedString(seq) + ", " + addresses + "}";
  }
}
