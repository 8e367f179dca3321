package dev.weft.bench.noise;

import dev.weft.net.noise.ChaChaPolyAead;
import dev.weft.net.noise.CipherState;
import dev.weft.net.noise.PureJavaChaChaPoly;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Noise transport frame encrypt + decrypt (one frame each way through a CipherState pair), for
 * weft's pure-Java ({@code java}), the JDK and the BouncyCastle ChaCha20-Poly1305 back ends. Throughput in ops/s; multiply by
 * {@code size} for bytes/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NoiseCipherBenchmark {
  @Param({"1024", "65519"})
  public int size;

  @Param({"java", "jdk", "bc"})
  public String provider;

  private CipherState enc;
  private CipherState dec;
  private byte[] plain;
  private byte[] cipher;
  private byte[] out;
  private final byte[] ad = new byte[0];

  @Setup
  public void setup() {
    byte[] key = new byte[32];
    new Random(1).nextBytes(key);
    enc = new CipherState(aead());
    dec = new CipherState(aead());
    enc.initializeKey(key);
    dec.initializeKey(key);
    plain = new byte[size];
    new Random(2).nextBytes(plain);
    cipher = new byte[size + 16];
    out = new byte[size];
  }

  private ChaChaPolyAead aead() {
    return switch (provider) {
      case "java" -> new PureJavaChaChaPoly();
      case "jdk" -> new ChaChaPolyAead.Jdk();
      case "bc" -> new ChaChaPolyAead.BouncyCastle();
      default -> throw new IllegalArgumentException("unknown provider " + provider);
    };
  }

  @Benchmark
  public int encryptDecrypt() throws Exception {
    int n = enc.encryptWithAd(ad, plain, 0, size, cipher, 0);
    return dec.decryptWithAd(ad, cipher, 0, n, out, 0);
  }
}
