package dev.weft.sim.engine;

import dev.weft.routing.block.BlockFrame;
import dev.weft.routing.block.BlockRelay;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The erasure code as the simulator runs it: chunks have their real sizes (so every byte is
 * charged on the links) but are zero-filled objects shared by all nodes, and decoding any {@code k}
 * of them returns the original block object. CPU time is not modelled anyway; coding 1 MiB blocks
 * at every one of thousands of nodes would only slow the run down. The real code
 * ({@code BlockRelay.REED_SOLOMON}) is tested in the routing module.
 */
final class SimBlockCodec implements BlockRelay.Codec {
  private final Map<byte[], byte[][]> chunksOf = new IdentityHashMap<>();
  private final Map<byte[], byte[]> blockOf = new IdentityHashMap<>();

  @Override
  public byte[][] encode(byte[] block, int k, int m) {
    byte[][] c = chunksOf.get(block);
    if (c == null) {
      int s = BlockFrame.shardLength(block.length, k);
      c = new byte[k + m][];
      for (int i = 0; i < c.length; i++) {
        c[i] = new byte[s];
        blockOf.put(c[i], block);
      }
      chunksOf.put(block, c);
    }
    return c;
  }

  @Override
  public byte[][] split(byte[] block, int k, int m) {
    byte[][] all = encode(block, k, m);
    byte[][] data = new byte[k + m][];
    System.arraycopy(all, 0, data, 0, k);
    return data;
  }

  @Override
  public byte[] decode(byte[][] chunks, int k, int m, int length) {
    int have = 0;
    byte[] block = null;
    for (byte[] c : chunks) {
      if (c != null) {
        have++;
        block = blockOf.get(c);
      }
    }
    if (have < k || block == null || block.length != length) {
      throw new IllegalArgumentException("cannot rebuild from " + have + " of k=" + k + " chunks");
    }
    return block;
  }
}
