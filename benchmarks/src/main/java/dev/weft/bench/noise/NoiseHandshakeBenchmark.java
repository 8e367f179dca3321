package dev.weft.bench.noise;

import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.crypto.PrivKey;
import dev.weft.net.noise.NoiseIdentity;
import dev.weft.net.noise.NoiseSession;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Complete libp2p Noise XX handshakes, both sides in one thread (ephemeral DH, static DH, payload
 * encryption, Ed25519 verify on both sides).
 *
 * <ul>
 *   <li>{@code freshStaticKeys}: each side makes a new X25519 static key and signs it per handshake
 *       (2 keygens + 2 Ed25519 signatures extra), the cost of the simple handler constructor.</li>
 *   <li>{@code sharedStaticKeys}: node-wide {@link NoiseIdentity} reused as js does.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NoiseHandshakeBenchmark {
  private static final List<String> YAMUX = List.of("/yamux/1.0.0");
  private final SecureRandom random = new SecureRandom();
  private PrivKey a;
  private PrivKey b;
  private NoiseIdentity ia;
  private NoiseIdentity ib;

  @Setup
  public void setup() {
    a = Ed25519Keys.generate(random);
    b = Ed25519Keys.generate(random);
    ia = NoiseIdentity.create(a, YAMUX, random);
    ib = NoiseIdentity.create(b, YAMUX, random);
  }

  private Object handshake(NoiseIdentity x, NoiseIdentity y) throws Exception {
    NoiseSession init = new NoiseSession(x, true, y.identity().publicKey().peerId(), random);
    NoiseSession resp = new NoiseSession(y, false, null, random);
    byte[] m1 = init.start();
    byte[] m2 = resp.onMessage(m1, 0, m1.length);
    byte[] m3 = init.onMessage(m2, 0, m2.length);
    resp.onMessage(m3, 0, m3.length);
    if (!resp.isComplete() || !init.isComplete()) {
      throw new IllegalStateException("handshake did not complete");
    }
    return resp.result();
  }

  @Benchmark
  public Object sharedStaticKeys() throws Exception {
    return handshake(ia, ib);
  }

  @Benchmark
  public Object freshStaticKeys() throws Exception {
    return handshake(NoiseIdentity.create(a, YAMUX, random), NoiseIdentity.create(b, YAMUX, random));
  }
}
