package dev.weft.routing.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.identity.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class BlockRelayTest {
  private static final long MS = 1_000_000L;

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static final BiPredicate<byte[], byte[]> HASH_ID = (id, block) -> Arrays.equals(id, sha256(block));

  static PeerId peer(int i) {
    byte[] pb = new byte[36];
    pb[0] = 0x08;
    pb[1] = 0x01;
    pb[2] = 0x12;
    pb[3] = 0x20;
    pb[4] = (byte) i;
    pb[5] = (byte) (i >> 8);
    return PeerId.fromPublicKeyProtobuf(pb);
  }

  /** Relays over FIFO links with a fixed latency per link and a per-node uplink rate. */
  static final class Net {
    record Ev(long at, long seq, int to, int from, BlockFrame frame) {}

    final BlockRelay[] relays;
    final PeerId[] ids;
    final Map<PeerId, Integer> index = new HashMap<>();
    final List<int[]> links = new ArrayList<>();
    final boolean[][] linked;
    final boolean[] dead;
    final long[] upFree;
    final long[] bytesSent;
    final long nsPerByte;
    final List<List<BlockRelay.Delivered>> got = new ArrayList<>();
    final PriorityQueue<Ev> q = new PriorityQueue<>((a, b) -> a.at != b.at
        ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    long seq;
    long now;
    int dropFrom = -1;
    /** When set, chunks the node sends are corrupted. */
    int corruptFrom = -1;

    Net(int n, BlockRelay.Params params, long nsPerByte) {
      relays = new BlockRelay[n];
      ids = new PeerId[n];
      linked = new boolean[n][n];
      dead = new boolean[n];
      upFree = new long[n];
      bytesSent = new long[n];
      this.nsPerByte = nsPerByte;
      for (int i = 0; i < n; i++) {
        ids[i] = peer(i);
        index.put(ids[i], i);
        relays[i] = new BlockRelay(params, BlockRelay.REED_SOLOMON, HASH_ID);
        got.add(new ArrayList<>());
      }
    }

    void link(int a, int b) {
      if (a == b || linked[a][b]) {
        return;
      }
      linked[a][b] = linked[b][a] = true;
      relays[a].peerCapable(ids[b]);
      relays[b].peerCapable(ids[a]);
    }

    void drain(int i) {
      for (BlockRelay.Outgoing o : relays[i].drainOutgoing()) {
        int j = index.get(o.peer());
        BlockFrame f = o.frame();
        if (i == dropFrom || dead[j]) {
          continue;
        }
        if (i == corruptFrom && f.kind() == BlockFrame.Kind.CHUNK) {
          byte[] d = f.data().clone();
          d[0] ^= 1;
          f = BlockFrame.chunk(f.blockId(), f.k(), f.m(), f.length(), f.index(), f.hop(), d);
        }
        // through the wire form, as the driver does
        byte[] wire = f.encode();
        bytesSent[i] += wire.length;
        long start = Math.max(now, upFree[i]);
        upFree[i] = start + wire.length * nsPerByte;
        q.add(new Ev(upFree[i] + 10 * MS, seq++, j, i, BlockFrame.decode(wire, 10 << 20)));
      }
      got.get(i).addAll(relays[i].drainDelivered());
    }

    void run(long untilNs) {
      while (!q.isEmpty() && q.peek().at <= untilNs) {
        Ev e = q.poll();
        now = e.at;
        if (!dead[e.to]) {
          relays[e.to].frameReceived(now, ids[e.from], e.frame);
          drain(e.to);
        }
        for (int i = 0; i < relays.length; i++) {
          if (!dead[i] && relays[i].nextDeadlineNs() <= now) {
            relays[i].tick(now);
            drain(i);
          }
        }
        if (q.isEmpty() || q.peek().at > untilNs) {
          long next = Long.MAX_VALUE;
          for (int i = 0; i < relays.length; i++) {
            if (!dead[i]) {
              next = Math.min(next, relays[i].nextDeadlineNs());
            }
          }
          if (next <= untilNs) {
            now = next;
            for (int i = 0; i < relays.length; i++) {
              if (!dead[i] && relays[i].nextDeadlineNs() <= now) {
                relays[i].tick(now);
                drain(i);
              }
            }
          }
        }
      }
    }
  }

  static Net randomNet(int n, int degree, BlockRelay.Params params, long seed) {
    Net net = new Net(n, params, 10);
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      net.link(i, (i + 1) % n); // a ring keeps it connected
      for (int d = 0; d < degree; d++) {
        net.link(i, r.nextInt(n));
      }
    }
    return net;
  }

  static byte[] block(int size, long seed) {
    byte[] b = new byte[size];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  @Test
  void everyNodeRebuildsTheBlockOnceAndBytesSentStayNearTheBlockSize() {
    BlockRelay.Params params = new BlockRelay.Params(16, 8, 10 << 20, 8, 2_000 * MS, 4, true, 1_000 * MS, 64L << 20);
    Net net = randomNet(40, 4, params, 1);
    byte[] block = block(256 * 1024, 7);
    byte[] id = sha256(block);
    net.relays[0].publish(0, id, block);
    net.drain(0);
    net.run(30_000 * MS);
    long total = 0;
    for (int i = 1; i < 40; i++) {
      assertEquals(1, net.got.get(i).size(), "node " + i + " delivers once");
      assertArrayEquals(block, net.got.get(i).get(0).block(), "node " + i);
      total += net.bytesSent[i];
    }
    assertTrue(net.got.get(0).isEmpty(), "the source does not deliver its own block");
    double perNode = (double) (total + net.bytesSent[0]) / 40 / block.length;
    assertTrue(perNode < 1.5, "bytes sent per node / block = " + perNode);
    for (int i = 0; i < 40; i++) {
      assertEquals(0, net.relays[i].stats().verifyFailures());
    }
  }

  @Test
  void anyKChunksSufficeWhenTheSourcesFirstHopPeersHoldingMChunksAreDead() {
    // source 0 has 6 peers; 8 of 24 chunks go to peers 1 and 2, which are dead: 16 chunks remain
    BlockRelay.Params params = new BlockRelay.Params(16, 8, 10 << 20, 8, 500 * MS, 4, true, 100_000 * MS, 64L << 20);
    Net net = new Net(12, params, 10);
    for (int i = 1; i <= 6; i++) {
      net.link(0, i);
    }
    for (int i = 1; i < 12; i++) {
      net.link(i, 1 + (i % 11));
      net.link(i, 1 + ((i + 3) % 11));
    }
    net.dead[1] = true;
    net.dead[2] = true;
    net.relays[0].peerCost(p -> net.index.get(p)); // peers 1..6 in order: 1 and 2 get 8 chunks
    byte[] block = block(100_000, 3);
    net.relays[0].publish(0, sha256(block), block);
    net.drain(0);
    net.run(20_000 * MS);
    for (int i = 3; i < 12; i++) {
      assertEquals(1, net.got.get(i).size(), "node " + i);
      assertArrayEquals(block, net.got.get(i).get(0).block());
    }
    assertEquals(0, net.relays[0].stats().wantsSent());
  }

  @Test
  void aCorruptedChunkFailsVerificationAndNothingWrongIsDelivered() {
    BlockRelay.Params params = new BlockRelay.Params(4, 2, 10 << 20, 8, 500 * MS, 4, true, 1_000 * MS, 64L << 20);
    Net net = new Net(3, params, 10);
    net.link(0, 1);
    net.link(1, 2);
    net.corruptFrom = 1;
    byte[] block = block(4000, 5);
    net.relays[0].publish(0, sha256(block), block);
    net.drain(0);
    net.run(10_000 * MS);
    assertEquals(1, net.got.get(1).size(), "node 1 got genuine chunks");
    assertTrue(net.got.get(2).isEmpty(), "node 2 got only corrupted chunks");
    assertEquals(1, net.relays[2].stats().verifyFailures());
  }

  @Test
  void chunksOfACompletedBlockAreNotRelayed() {
    BlockRelay.Params params = new BlockRelay.Params(2, 1, 10 << 20, 8, 500 * MS, 4, true, 1_000 * MS, 64L << 20);
    BlockRelay r = new BlockRelay(params, BlockRelay.REED_SOLOMON, HASH_ID);
    for (int i = 1; i <= 3; i++) {
      r.peerCapable(peer(i));
    }
    byte[] block = block(10, 1);
    byte[] id = sha256(block);
    byte[][] chunks = new ReedSolomon(2, 1).encode(block);
    r.frameReceived(0, peer(1), BlockFrame.chunk(id, 2, 1, 10, 0, 0, chunks[0]));
    List<BlockRelay.Outgoing> first = r.drainOutgoing();
    assertEquals(2, first.stream().filter(o -> o.frame().kind() == BlockFrame.Kind.CHUNK).count(),
        "a chunk from the source is relayed to the two other peers");
    r.frameReceived(0, peer(1), BlockFrame.chunk(id, 2, 1, 10, 1, 0, chunks[1]));
    assertEquals(1, r.drainDelivered().size());
    r.drainOutgoing();
    r.frameReceived(0, peer(2), BlockFrame.chunk(id, 2, 1, 10, 2, 0, chunks[2]));
    assertTrue(r.drainOutgoing().isEmpty(), "a late chunk of a rebuilt block goes nowhere");
    assertTrue(r.drainDelivered().isEmpty(), "delivered once");
    assertEquals(1, r.stats().duplicateChunks());
  }

  @Test
  void framesRoundTripAndMalformedFramesAreRefused() {
    byte[] id = sha256(new byte[] {1});
    BlockFrame c = BlockFrame.chunk(id, 3, 2, 10, 4, 1, new byte[4]);
    assertEquals(c, BlockFrame.decode(c.encode(), 100));
    assertEquals(c.encodedSize(), c.encode().length);
    BitSet bits = new BitSet();
    bits.set(0);
    bits.set(4);
    BlockFrame h = BlockFrame.bitmap(BlockFrame.Kind.WANT, id, 3, 2, 10, bits);
    assertEquals(h, BlockFrame.decode(h.encode(), 100));
    assertEquals(h.encodedSize(), h.encode().length);
    byte[] wire = c.encode();
    assertThrows(IllegalArgumentException.class, () -> BlockFrame.decode(wire, 5), "length over cap");
    assertThrows(IllegalArgumentException.class,
        () -> BlockFrame.decode(Arrays.copyOf(wire, wire.length - 1), 100), "short chunk");
    assertThrows(IllegalArgumentException.class, () -> BlockFrame.decode(new byte[] {9}, 100));
    assertThrows(IllegalArgumentException.class, () -> BlockFrame.decode(new byte[0], 100));
    assertThrows(IllegalArgumentException.class,
        () -> BlockFrame.chunk(id, 3, 2, 10, 5, 0, new byte[4]), "index beyond k + m");
  }

  @Test
  void chunksOfMadeUpBlocksCannotPinMoreThanTheByteBudget() {
    BlockRelay.Params params = new BlockRelay.Params(4, 2, 1 << 20, 1000, 500 * MS, 4, true,
        1_000 * MS, 1 << 20);
    BlockRelay r = new BlockRelay(params, BlockRelay.REED_SOLOMON, HASH_ID);
    r.peerCapable(peer(1));
    for (int b = 0; b < 100; b++) {
      byte[] id = sha256(new byte[] {(byte) b});
      r.frameReceived(0, peer(1), BlockFrame.chunk(id, 4, 2, 1 << 20, 0, 2, new byte[1 << 18]));
      assertTrue(r.bufferedBytes() <= 1 << 20, "buffered " + r.bufferedBytes());
    }
    assertEquals(1 << 20, r.bufferedBytes(), "the newest blocks are kept");
  }

  @Test
  void aPeerGetsEachChunkAtMostOnceHoweverOftenItAsks() {
    BlockRelay.Params params = new BlockRelay.Params(2, 1, 1 << 20, 8, 500 * MS, 4, true,
        1_000 * MS, 64L << 20);
    BlockRelay r = new BlockRelay(params, BlockRelay.REED_SOLOMON, HASH_ID);
    r.peerCapable(peer(1));
    r.peerCapable(peer(2));
    byte[] block = block(1000, 9);
    byte[] id = sha256(block);
    r.publish(0, id, block);
    r.drainOutgoing();
    BitSet all = new BitSet();
    all.set(0, 3);
    for (int i = 0; i < 5; i++) {
      r.frameReceived(0, peer(2), BlockFrame.bitmap(BlockFrame.Kind.WANT, id, 2, 1, 1000, all));
    }
    long chunks = r.drainOutgoing().stream()
        .filter(o -> o.frame().kind() == BlockFrame.Kind.CHUNK).count();
    assertEquals(2, chunks, "peer 2 already has chunk 1 (pushed by the source) and gets 0 and 2 once");
  }
}
