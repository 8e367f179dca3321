package dev.weft.net;

import dev.weft.core.identity.PeerId;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.crypto.PrivKey;
import dev.weft.net.noise.X25519Keys;
import java.util.Arrays;

/**
 * Fixed keys shared by the fuzz targets and {@link FuzzCorpusGenerator}, so committed seeds
 * (signed payloads, encrypted frames, identify messages) stay valid for the targets.
 */
public final class FuzzFixtures {
  private FuzzFixtures() {}

  /** Noise: the remote static key a seed handshake payload signs, and a different one. */
  public static final byte[] NOISE_STATIC_PUB = X25519Keys.publicFromPrivate(filled(32, 7));
  public static final byte[] NOISE_OTHER_STATIC_PUB = X25519Keys.publicFromPrivate(filled(32, 8));
  /** Noise: the identity that signs seed payloads and runs the fuzzed handshakes. */
  public static final PrivKey NOISE_IDENTITY = Ed25519Keys.fromSeed(filled(32, 9));
  /** Noise: the transport key seed frames are encrypted with (nonces from 0). */
  public static final byte[] NOISE_TRANSPORT_KEY = filled(32, 3);

  /** identify: the authenticated remote that seed messages describe. */
  public static final PrivKey IDENTIFY_REMOTE = Ed25519Keys.fromSeed(filled(32, 5));
  public static final PeerId IDENTIFY_REMOTE_ID = IDENTIFY_REMOTE.publicKey().peerId();

  /** ping: the payload the fuzzed answer is compared with. */
  public static final byte[] PING_PAYLOAD = pingPayload();

  public static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  private static byte[] pingPayload() {
    byte[] p = new byte[32];
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) (i * 7 + 1);
    }
    return p;
  }
}
