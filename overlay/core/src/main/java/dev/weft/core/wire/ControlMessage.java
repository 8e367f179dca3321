package dev.weft.core.wire;

import java.util.List;
import java.util.Objects;

/**
 * GossipSub control messages piggybacked on an RPC. Lists are immutable copies; an empty control
 * message is {@link #EMPTY}. v1.3 extensions are not modelled (weft speaks up to 1.2).
 *
 * @param ihave IHAVE announcements (v1.0)
 * @param iwant IWANT requests (v1.0)
 * @param graft GRAFT requests (v1.0)
 * @param prune PRUNE notices (v1.0; peers and backoff are v1.1)
 * @param idontwant IDONTWANT notices (v1.2)
 */
public record ControlMessage(
    List<IHave> ihave, List<IWant> iwant, List<Graft> graft, List<Prune> prune,
    List<IDontWant> idontwant) {

  /** A control message with no entries. */
  public static final ControlMessage EMPTY =
      new ControlMessage(List.of(), List.of(), List.of(), List.of(), List.of());

  /** Copies every list (null is read as empty). */
  public ControlMessage {
    ihave = ihave == null ? List.of() : List.copyOf(ihave);
    iwant = iwant == null ? List.of() : List.copyOf(iwant);
    graft = graft == null ? List.of() : List.copyOf(graft);
    prune = prune == null ? List.of() : List.copyOf(prune);
    idontwant = idontwant == null ? List.of() : List.copyOf(idontwant);
  }

  /** True when no entry of any kind is present. */
  public boolean isEmpty() {
    return ihave.isEmpty() && iwant.isEmpty() && graft.isEmpty() && prune.isEmpty()
        && idontwant.isEmpty();
  }

  /**
   * "I have these messages in topic" ({@code ControlIHave}).
   *
   * @param topic topic of the advertised messages
   * @param messageIds advertised IDs
   */
  public record IHave(String topic, List<MessageId> messageIds) {
    /** Copies the ID list. */
    public IHave {
      Objects.requireNonNull(topic, "topic");
      messageIds = List.copyOf(messageIds);
    }
  }

  /**
   * "Send me these messages" ({@code ControlIWant}).
   *
   * @param messageIds requested IDs
   */
  public record IWant(List<MessageId> messageIds) {
    /** Copies the ID list. */
    public IWant {
      messageIds = List.copyOf(messageIds);
    }
  }

  /**
   * "Add me to your mesh for topic" ({@code ControlGraft}).
   *
   * @param topic the topic
   */
  public record Graft(String topic) {
    /** Checks the topic is present. */
    public Graft {
      Objects.requireNonNull(topic, "topic");
    }
  }

  /**
   * "You are no longer in my mesh for topic" ({@code ControlPrune}).
   *
   * @param topic the topic
   * @param peers peer-exchange suggestions (v1.1), possibly empty
   * @param backoffSeconds how long the receiver must not GRAFT again, or null when absent (v1.0
   *     peers, or sender relies on the default)
   */
  public record Prune(String topic, List<PeerInfo> peers, Long backoffSeconds) {
    /** Copies the peer list and checks the backoff is non-negative. */
    public Prune {
      Objects.requireNonNull(topic, "topic");
      peers = peers == null ? List.of() : List.copyOf(peers);
      if (backoffSeconds != null && backoffSeconds < 0) {
        throw new IllegalArgumentException("backoffSeconds must be >= 0: " + backoffSeconds);
      }
    }
  }

  /**
   * "Do not send me these messages" ({@code ControlIDontWant}, v1.2).
   *
   * @param messageIds IDs the sender already has or is receiving
   */
  public record IDontWant(List<MessageId> messageIds) {
    /** Copies the ID list. */
    public IDontWant {
      messageIds = List.copyOf(messageIds);
    }
  }
}
