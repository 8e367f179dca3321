package dev.weft.net.identify;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.net.crypto.Keys;
import dev.weft.net.host.IdentifyInfo;
import dev.weft.net.pb.IdentifyProto;
import dev.weft.net.stream.LengthPrefixedReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one identify stream: up to {@link IdentifyService#MAX_MESSAGES} length-prefixed
 * messages of at most {@link IdentifyService#MAX_MESSAGE_BYTES} each (checked before the payload
 * is buffered), merged into an {@link IdentifyInfo} when the remote half-closes. Free of
 * connections so tests and fuzzers drive it directly. Not thread-safe.
 */
final class IdentifyDecoder {
  private static final Logger log = LoggerFactory.getLogger(IdentifyDecoder.class);

  private final LengthPrefixedReader reader;
  private final List<IdentifyProto.Identify> messages = new ArrayList<>();

  IdentifyDecoder(ByteBufAllocator alloc) {
    this.reader = new LengthPrefixedReader(alloc, IdentifyService.MAX_MESSAGE_BYTES);
  }

  /**
   * Adds stream bytes (ownership taken).
   *
   * @throws LengthPrefixedReader.FrameException on an oversize or malformed message, or too many
   */
  void feed(ByteBuf data) {
    reader.feed(data, msg -> {
      try {
        if (messages.size() >= IdentifyService.MAX_MESSAGES) {
          throw new LengthPrefixedReader.FrameException(
              "more than " + IdentifyService.MAX_MESSAGES + " messages");
        }
        messages.add(IdentifyProto.Identify.parseFrom(ByteBufUtil.getBytes(msg)));
      } catch (InvalidProtocolBufferException e) {
        throw new LengthPrefixedReader.FrameException("malformed Identify protobuf: " + e.getMessage());
      } finally {
        msg.release();
      }
    });
  }

  /** Messages decoded so far. */
  int messageCount() {
    return messages.size();
  }

  void release() {
    reader.release();
  }

  /**
   * Merges the decoded messages over {@code base} (the previous info for a push, else null).
   *
   * @throws IllegalArgumentException if a public key does not belong to {@code remote}, or a
   *     non-push identify from a peer whose ID does not inline its key carries no key
   */
  IdentifyInfo merge(IdentifyInfo base, PeerId remote, boolean push) {
    String protocolVersion = base == null ? "" : base.protocolVersion();
    String agentVersion = base == null ? "" : base.agentVersion();
    LinkedHashSet<String> protocols = new LinkedHashSet<>();
    LinkedHashSet<Multiaddr> addrs = new LinkedHashSet<>();
    Optional<Multiaddr> observed = base == null ? Optional.empty() : base.observedAddr();
    Optional<byte[]> record = base == null ? Optional.empty() : base.signedPeerRecord();
    boolean protocolsSent = false;
    boolean addrsSent = false;
    for (IdentifyProto.Identify m : messages) {
      if (m.hasPublicKey()) {
        PeerId claimed = Keys.unmarshalPublicKey(m.getPublicKey().toByteArray()).peerId();
        if (!claimed.equals(remote)) {
          throw new IllegalArgumentException(
              "identify public key belongs to " + claimed + ", not " + remote);
        }
      }
      if (m.hasProtocolVersion()) {
        protocolVersion = m.getProtocolVersion();
      }
      if (m.hasAgentVersion()) {
        agentVersion = m.getAgentVersion();
      }
      if (m.getProtocolsCount() > 0) {
        protocolsSent = true;
        protocols.addAll(m.getProtocolsList());
      }
      for (ByteString a : m.getListenAddrsList()) {
        addrsSent = true;
        try {
          addrs.add(Multiaddr.fromBytes(a.toByteArray()));
        } catch (IllegalArgumentException e) {
          log.debug("ignoring unparseable listen address from {}: {}", remote, e.getMessage());
        }
      }
      if (m.hasObservedAddr()) {
        try {
          observed = Optional.of(Multiaddr.fromBytes(m.getObservedAddr().toByteArray()));
        } catch (IllegalArgumentException e) {
          log.debug("ignoring unparseable observed address from {}", remote);
        }
      }
      if (m.hasSignedPeerRecord()) {
        record = Optional.of(m.getSignedPeerRecord().toByteArray());
      }
    }
    if (!push && messages.stream().noneMatch(IdentifyProto.Identify::hasPublicKey)
        && !remote.isIdentity()) {
      throw new IllegalArgumentException("identify carried no public key");
    }
    List<String> protoList = protocolsSent || base == null ? List.copyOf(protocols) : base.protocols();
    List<Multiaddr> addrList = addrsSent || base == null ? List.copyOf(addrs) : base.listenAddrs();
    return new IdentifyInfo(protocolVersion, agentVersion, protoList, addrList, observed, record);
  }
}
