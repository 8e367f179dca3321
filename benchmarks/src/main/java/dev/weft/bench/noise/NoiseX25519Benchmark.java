package dev.weft.bench.noise;

import dev.weft.net.noise.X25519Keys;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One X25519 DH from raw 32-byte keys (as Noise receives them): BouncyCastle rfc7748 versus the JDK
 * "XDH" KeyAgreement (including the key-spec conversions the JCA needs).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NoiseX25519Benchmark {
  private byte[] priv;
  private byte[] peerPub;
  private KeyFactory kf;
  private KeyAgreement ka;

  @Setup
  public void setup() throws Exception {
    SecureRandom r = new SecureRandom();
    priv = X25519Keys.generatePrivate(r);
    peerPub = X25519Keys.publicFromPrivate(X25519Keys.generatePrivate(r));
    kf = KeyFactory.getInstance("XDH");
    ka = KeyAgreement.getInstance("XDH");
  }

  @Benchmark
  public byte[] bouncyCastle() throws Exception {
    return X25519Keys.dh(priv, peerPub);
  }

  @Benchmark
  public byte[] jdk() throws Exception {
    PrivateKey sk = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, priv));
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = peerPub[31 - i];
    }
    be[0] &= 0x7f;
    PublicKey pk = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
    ka.init(sk);
    ka.doPhase(pk, true);
    return ka.generateSecret();
  }
}
