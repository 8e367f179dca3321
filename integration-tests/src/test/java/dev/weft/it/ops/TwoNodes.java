package dev.weft.it.ops;

import static org.awaitility.Awaitility.await;

import dev.weft.cli.node.WeftNode;
import dev.weft.core.identity.Multiaddr;
import dev.weft.net.crypto.Ed25519Keys;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

/** Two in-process nodes on loopback sharing topic "t": {@code a} has the admin API. */
final class TwoNodes implements AutoCloseable {
  final WeftNode a;
  final WeftNode b;
  final Path stateDir;

  TwoNodes(Path stateDir) throws Exception {
    this.stateDir = stateDir;
    SecureRandom r = new SecureRandom();
    WeftNode.Options oa = new WeftNode.Options();
    oa.name = "a";
    oa.key = Ed25519Keys.generate(r);
    oa.topics = List.of("t");
    oa.api = new InetSocketAddress("127.0.0.1", 0);
    oa.stateDir = stateDir;
    a = new WeftNode(oa).start();
    WeftNode.Options ob = new WeftNode.Options();
    ob.name = "b";
    ob.key = Ed25519Keys.generate(r);
    ob.topics = List.of("t");
    Multiaddr addrA = a.fullAddrs().get(0);
    ob.peers = List.of(addrA);
    WeftNode started;
    try {
      started = new WeftNode(ob).start();
    } catch (Exception e) {
      a.close();
      throw e;
    }
    b = started;
    await().atMost(Duration.ofSeconds(30)).until(() ->
        a.query(rt -> rt.meshPeers("t")).contains(b.peerId()));
  }

  String api() {
    return a.admin().addressText();
  }

  @Override
  public void close() {
    b.close();
    a.close();
  }
}
