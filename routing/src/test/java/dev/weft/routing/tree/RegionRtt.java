package dev.weft.routing.tree;

/**
 * Average round-trip times between ten AWS regions, in ms, as published in "Latency Between AWS
 * Global Regions" and tabulated at https://acomputerscientistlearnsaws.blogspot.com/2017/04/aws-regions.html
 * (2017). We use the upper triangle (the "from" row) for both directions. The table is real
 * measurements, so it breaks the triangle inequality in places (Frankfurt-Singapore 325.9 ms direct,
 * 258.5 ms through Ireland), as the Internet does.
 */
final class RegionRtt {
  private RegionRtt() {}

  static final String[] REGIONS = {"us-east-1", "us-west-1", "us-west-2", "eu-west-1",
      "eu-central-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2",
      "sa-east-1"};

  private static final double[][] UPPER = {
      {0, 72.74, 86.98, 80.55, 88.66, 145.3, 178.4, 216.7, 230, 119.5},
      {0, 0, 19.46, 153.2, 166.6, 102.5, 131.5, 174, 157.5, 192.7},
      {0, 0, 0, 137, 159.5, 89.1, 118.3, 161.4, 162.2, 182.7},
      {0, 0, 0, 0, 19.56, 212.4, 242.4, 239, 309.6, 191.3},
      {0, 0, 0, 0, 0, 236.5, 266.2, 325.9, 323.5, 194.9},
      {0, 0, 0, 0, 0, 0, 31.44, 73.79, 103.9, 256.8},
      {0, 0, 0, 0, 0, 0, 0, 71.87, 134, 286.3},
      {0, 0, 0, 0, 0, 0, 0, 0, 175.3, 328.1},
      {0, 0, 0, 0, 0, 0, 0, 0, 0, 322.5},
      {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}};

  /** RTT between two regions in ms; 1 ms inside a region. */
  static double rttMs(int a, int b) {
    if (a == b) {
      return 1.0;
    }
    return a < b ? UPPER[a][b] : UPPER[b][a];
  }

  /** One-way latencies (RTT / 2) for {@code n} nodes placed round-robin over the regions. */
  static long[][] oneWayNs(int n) {
    long[][] m = new long[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        m[i][j] = i == j ? 0 : Math.round(rttMs(i % REGIONS.length, j % REGIONS.length) / 2 * 1e6);
      }
    }
    return m;
  }
}
