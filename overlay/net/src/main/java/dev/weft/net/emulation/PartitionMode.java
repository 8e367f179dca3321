package dev.weft.net.emulation;

/** What a {@link LinkEmulator} does with a connection while its link is partitioned. */
public enum PartitionMode {
  /**
   * Hold every outbound write (and any already queued) until the partition heals, then send them
   * in order: what a TCP connection over a blackholed route does until its retransmission timer
   * gives up. The connection stays open.
   */
  HOLD,
  /**
   * Close the connection when the partition starts (and any connection that writes while
   * partitioned), failing queued writes: a partition long enough for TCP to give up, or a firewall
   * answering with RST.
   */
  CLOSE
}
