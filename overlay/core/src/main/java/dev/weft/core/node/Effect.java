package dev.weft.core.node;

import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import java.util.Objects;

/**
 * Something the core wants done outside itself. The driver (Netty, or the simulator) executes
 * effects in order after each input. Effects are plain values; they carry no callbacks.
 */
public sealed interface Effect {

  /**
   * Write {@code rpc} to the peer's pubsub stream (opening our outbound stream first if needed).
   * Its encoded size never exceeds {@code maxRpcSize} unless a single message alone does.
   *
   * @param peer destination
   * @param rpc what to send
   */
  record SendRpc(PeerId peer, Rpc rpc) implements Effect {
    /** Checks arguments. */
    public SendRpc {
      Objects.requireNonNull(peer, "peer");
      Objects.requireNonNull(rpc, "rpc");
    }
  }

  /**
   * Connect to a peer (PX suggestion or a direct peer to reconnect). The driver decides whether it
   * can (address book, connection limits); it calls {@code peerConnected} when a pubsub stream is up.
   *
   * @param peer peer to dial
   * @param signedPeerRecord the PX signed envelope carrying its addresses, or null (direct peers
   *     and PX without record: the driver uses its address book)
   */
  record Dial(PeerId peer, byte[] signedPeerRecord) implements Effect {
    /** Checks arguments and copies the record. */
    public Dial {
      Objects.requireNonNull(peer, "peer");
      signedPeerRecord = signedPeerRecord == null ? null : signedPeerRecord.clone();
    }

    /** A copy of the signed peer record, or null. */
    @Override
    public byte[] signedPeerRecord() {
      return signedPeerRecord == null ? null : signedPeerRecord.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Dial d && peer.equals(d.peer)
          && java.util.Arrays.equals(signedPeerRecord, d.signedPeerRecord);
    }

    @Override
    public int hashCode() {
      return 31 * peer.hashCode() + java.util.Arrays.hashCode(signedPeerRecord);
    }

    @Override
    public String toString() {
      return "Dial[" + peer + (signedPeerRecord == null ? "" : ", record=" + signedPeerRecord.length
          + "B") + "]";
    }
  }

  /**
   * Close the connection to a peer.
   *
   * @param peer the peer
   * @param reason why, for logs and the operator
   */
  record Disconnect(PeerId peer, String reason) implements Effect {
    /** Checks arguments. */
    public Disconnect {
      Objects.requireNonNull(peer, "peer");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Hand a validated message to the application (subscribed topic, first delivery only).
   *
   * @param topic topic
   * @param id message ID
   * @param message the message
   * @param receivedFrom the peer it came from
   */
  record Deliver(String topic, MessageId id, PubMessage message, PeerId receivedFrom)
      implements Effect {}

  /**
   * Ask the application to validate a message (off the node's thread if it likes) and answer with
   * {@code validationCompleted(id, result)}. Emitted only for topics registered for validation.
   *
   * @param id message ID to quote in the answer
   * @param message the message
   * @param receivedFrom the peer it came from
   */
  record ValidateRequest(MessageId id, PubMessage message, PeerId receivedFrom) implements Effect {}
}
