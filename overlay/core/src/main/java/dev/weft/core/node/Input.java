package dev.weft.core.node;

import dev.weft.core.gossip.ValidationResult;
import dev.weft.core.identity.PeerId;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.Rpc;

/**
 * Inputs to a {@link NodeCore}, as values, for drivers that queue work onto the node's owner
 * thread (API calls from other threads become these) and for the simulator's event queue. Each is
 * handled by {@link NodeCore#handle(long, Input, Outbox)} with the time it is processed.
 */
public sealed interface Input {
  /**
   * A pubsub stream with the peer is up.
   *
   * @param peer the remote peer
   * @param protocolId negotiated protocol of the peer's stream, e.g. "/meshsub/1.2.0"
   * @param outbound true if we dialled the connection
   */
  record PeerConnected(PeerId peer, String protocolId, boolean outbound) implements Input {}

  /**
   * The peer is gone.
   *
   * @param peer the remote peer
   */
  record PeerDisconnected(PeerId peer) implements Input {}

  /**
   * An RPC was decoded from the peer's stream.
   *
   * @param peer the sender
   * @param rpc the RPC
   */
  record RpcReceived(PeerId peer, Rpc rpc) implements Input {}

  /**
   * The driver refused a frame from the peer (its stream was reset).
   *
   * @param peer the sender
   * @param reason why
   */
  record RpcMalformed(PeerId peer, dev.weft.core.events.MalformedReason reason) implements Input {}

  /** Time passed; runs the heartbeat when due. */
  record Tick() implements Input {}

  /**
   * Application validation finished.
   *
   * @param id the message ID from the ValidateRequest
   * @param result the verdict
   */
  record ValidationCompleted(MessageId id, ValidationResult result) implements Input {}

  /**
   * Publish as this node.
   *
   * @param topic the topic
   * @param data the payload (copied)
   */
  record Publish(String topic, byte[] data) implements Input {
    /** Copies the payload. */
    public Publish {
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }
  }

  /**
   * Join a topic.
   *
   * @param topic the topic
   */
  record Subscribe(String topic) implements Input {}

  /**
   * Leave a topic.
   *
   * @param topic the topic
   */
  record Unsubscribe(String topic) implements Input {}

  /**
   * Ask mesh peers for messages by ID (IWANT without IHAVE), e.g. to recover a feed gap.
   *
   * @param topic the topic whose mesh is asked
   * @param ids message IDs (copied)
   * @param maxPeers how many peers to ask
   */
  record RequestMessages(String topic, java.util.List<MessageId> ids, int maxPeers)
      implements Input {
    /** Copies the IDs. */
    public RequestMessages {
      ids = java.util.List.copyOf(ids);
    }
  }
}
