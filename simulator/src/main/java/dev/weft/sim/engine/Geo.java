package dev.weft.sim.engine;

import java.util.List;
import java.util.Locale;

/**
 * Where nodes are and how long light takes between them.
 *
 * <p>Between regions the one-way latency is half the measured round-trip time between the AWS
 * regions below (a cloudping.co sample, the same one jvm-libp2p's simulator bundles; both
 * directions averaged). Inside a region, nodes sit at uniform random points of a disc of {@link
 * #REGION_RADIUS_KM} around the data centre and light travels the straight-line distance times
 * {@link #PATH_STRETCH} in fibre at {@link #FIBRE_NS_PER_KM}. Every node also has a last-mile access
 * delay (uniform in [{@link #ACCESS_MIN_NS}, {@link #ACCESS_MAX_NS}]) added at both ends of every
 * path, including inter-region ones.
 */
public final class Geo {
  /** Light in single-mode fibre, one way: about 4.9 µs per km. */
  public static final double FIBRE_NS_PER_KM = 4_900;
  /** Real fibre paths are this much longer than the straight line (Bozkurt et al. measure ≈2). */
  public static final double PATH_STRETCH = 2.0;
  /** Radius of the disc a region's nodes are spread over. */
  public static final double REGION_RADIUS_KM = 500;
  /** Last-mile delay bounds, one way. */
  public static final long ACCESS_MIN_NS = 250_000;
  /** Last-mile delay bounds, one way. */
  public static final long ACCESS_MAX_NS = 2_500_000;

  /** Region codes in table order. */
  public static final List<String> REGIONS = List.of(
      "us-east-1", "us-west-2", "sa-east-1", "eu-west-2", "eu-central-1", "ap-south-1",
      "ap-southeast-1", "ap-northeast-1", "ap-southeast-2");

  /**
   * Measured round-trip times in ms, row = from, column = to, in {@link #REGIONS} order (taken
   * from the cloudping.co sample in jvm-libp2p tools/simulator AwsLatencies.kt; the diagonal is
   * replaced by the intra-region model).
   */
  private static final int[][] RTT_MS = {
      {4, 64, 114, 76, 92, 186, 211, 146, 199},
      {63, 3, 174, 128, 140, 217, 161, 97, 140},
      {113, 174, 1, 186, 204, 297, 322, 256, 311},
      {76, 128, 186, 1, 17, 111, 171, 210, 265},
      {91, 141, 204, 17, 2, 110, 158, 223, 249},
      {185, 218, 298, 111, 110, 1, 54, 126, 145},
      {213, 162, 322, 171, 157, 58, 4, 69, 93},
      {146, 98, 257, 211, 223, 123, 68, 4, 104},
      {198, 140, 312, 264, 249, 146, 93, 109, 1},
  };

  private static final long[][] ONE_WAY_NS = new long[REGIONS.size()][REGIONS.size()];

  static {
    for (int i = 0; i < REGIONS.size(); i++) {
      for (int j = 0; j < REGIONS.size(); j++) {
        ONE_WAY_NS[i][j] = (RTT_MS[i][j] + RTT_MS[j][i]) * 1_000_000L / 4; // mean RTT / 2
      }
    }
  }

  private Geo() {}

  /** Index of a region code; throws with the known codes when unknown. */
  public static int regionIndex(String code) {
    int i = REGIONS.indexOf(code.toLowerCase(Locale.ROOT));
    if (i < 0) {
      throw new IllegalArgumentException("unknown region '" + code + "', known: " + REGIONS);
    }
    return i;
  }

  /** One-way base latency between two regions (measured RTT / 2). */
  public static long interRegionNs(int r1, int r2) {
    return ONE_WAY_NS[r1][r2];
  }

  /**
   * One-way latency between two placed nodes: inter-region table or intra-region fibre distance,
   * plus both access delays.
   */
  public static long latencyNs(int r1, float x1, float y1, long access1,
      int r2, float x2, float y2, long access2) {
    long core;
    if (r1 == r2) {
      double dx = x1 - x2;
      double dy = y1 - y2;
      core = (long) (Math.sqrt(dx * dx + dy * dy) * PATH_STRETCH * FIBRE_NS_PER_KM);
    } else {
      core = ONE_WAY_NS[r1][r2];
    }
    return core + access1 + access2;
  }
}
