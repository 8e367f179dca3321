package dev.weft.sim.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run measured. Delivery is counted for eligible (node, message) pairs: an honest node
 * alive at the end that had (re)joined before the message was published; the publisher itself is
 * not counted.
 *
 * @param scenario scenario name
 * @param mode routing mode of the honest nodes
 * @param modeAvailable false when ADAPTIVE ran as PLAIN because the routing hook is missing
 * @param seed the seed
 * @param honestNodes honest nodes
 * @param attackers attacker nodes
 * @param published messages published
 * @param skipped messages not published (their publisher was dead)
 * @param eligible eligible (node, message) pairs
 * @param delivered pairs delivered
 * @param withinDeadline pairs delivered within the traffic's deadline
 * @param victimDeliveryRatio delivery ratio at eclipse victims (NaN when there are none)
 * @param latencyMs delivery latency over delivered pairs
 * @param stretch delivery latency over shortest-path time, over sampled messages
 * @param copiesPerNodePerMessage full-payload copies received per honest node per delivered message
 * @param bytesSent wire bytes sent per surviving honest node
 * @param bytesReceived wire bytes received per surviving honest node
 * @param recoveries one per fault start
 * @param quarantine quarantine quality (null without health)
 * @param cdfMs latency at quantiles 0, 0.005, …, 1 (201 points; empty when nothing was delivered)
 * @param events events processed
 * @param virtualMs virtual time simulated
 * @param reach95Ms per published message, the time until 95% of its eligible nodes had it
 *     (messages that never reached 95% are left out and counted in {@code notReached95})
 * @param notReached95 published messages that never reached 95% of their eligible nodes
 * @param messageBytes payload size of each message (the traffic's size)
 */
public record SimResult(String scenario, RoutingMode mode, boolean modeAvailable, long seed,
    int honestNodes, int attackers, int published, int skipped, long eligible, long delivered,
    long withinDeadline, double victimDeliveryRatio, Stats latencyMs, Stats stretch,
    double copiesPerNodePerMessage, Stats bytesSent, Stats bytesReceived,
    List<Recovery> recoveries, Quarantine quarantine, double[] cdfMs, long events,
    long virtualMs, Stats reach95Ms, int notReached95, int messageBytes) {

  /** Mean wire bytes sent per surviving honest node per published message, over the size. */
  public double bytesSentPerNodeOverMessageBytes() {
    return published == 0 ? Double.NaN : bytesSent.mean() / published / messageBytes;
  }

  /** Delivered over eligible pairs. */
  public double deliveryRatio() {
    return eligible == 0 ? Double.NaN : (double) delivered / eligible;
  }

  /** Delivered within the deadline over eligible pairs. */
  public double withinDeadlineRatio() {
    return eligible == 0 ? Double.NaN : (double) withinDeadline / eligible;
  }

  /**
   * Summary statistics (nearest-rank percentiles).
   *
   * @param count samples
   * @param mean mean
   * @param p50 median
   * @param p90 90th percentile
   * @param p99 99th percentile
   * @param max maximum
   */
  public record Stats(long count, double mean, double p50, double p90, double p99, double max) {
    static final Stats EMPTY = new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN);

    static Stats of(double[] sorted, int n) {
      if (n == 0) {
        return EMPTY;
      }
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += sorted[i];
      }
      return new Stats(n, sum / n, rank(sorted, n, 0.5), rank(sorted, n, 0.9),
          rank(sorted, n, 0.99), sorted[n - 1]);
    }

    static double rank(double[] sorted, int n, double q) {
      int k = (int) Math.ceil(q * n) - 1;
      return sorted[Math.max(0, Math.min(n - 1, k))];
    }
  }

  /**
   * Recovery after one fault.
   *
   * @param faultMs when the fault started
   * @param baselineP99Ms p99 over all deliveries of messages published before the fault (NaN if
   *     none)
   * @param recoveryMs time from the fault to the publish of the first message of the first window
   *     (one message per market publisher, or one block) after it that reached every eligible node
   *     with a p99 within 10% of the baseline; -1 if none did
   */
  public record Recovery(double faultMs, double baselineP99Ms, double recoveryMs) {}

  /**
   * Quarantine quality over (honest observer, peer) pairs.
   *
   * @param truePositives attackers quarantined or banned by an honest neighbour
   * @param falsePositives honest peers quarantined or banned by an honest neighbour
   * @param attackerLinks (honest, attacker) pairs that were ever connected
   * @param falsePositiveReasons why honest peers were isolated (reason to count, sorted)
   */
  public record Quarantine(long truePositives, long falsePositives, long attackerLinks,
      Map<String, Long> falsePositiveReasons) {
    /** TP / (TP + FP); NaN when nothing was quarantined. */
    public double precision() {
      long all = truePositives + falsePositives;
      return all == 0 ? Double.NaN : (double) truePositives / all;
    }

    /** TP / attacker links; NaN without attackers. */
    public double recall() {
      return attackerLinks == 0 ? Double.NaN : (double) truePositives / attackerLinks;
    }
  }

  static SimResult compute(Simulation s) {
    SimConfig cfg = s.config();
    int h = s.honest();
    int msgs = s.messages();
    int[] lat = s.latUs();
    long deadlineUs = cfg.traffic().deadlineMs() * 1_000;
    double[] all = new double[16];
    int n = 0;
    long eligible = 0;
    long delivered = 0;
    long within = 0;
    long victimEligible = 0;
    long victimDelivered = 0;
    int published = 0;
    double[] reach = new double[Math.max(1, msgs)];
    int reachN = 0;
    int notReached = 0;
    double[] mine = new double[h];
    for (int m = 0; m < msgs; m++) {
      int p = s.publisher()[m];
      if (p < 0) {
        continue;
      }
      published++;
      int k = 0;
      long e = 0;
      int mineN = 0;
      for (int i = 0; i < h; i++) {
        if (i == p || !s.aliveAtEnd(i) || s.joinedNs(i) > s.pubNs()[m]) {
          continue;
        }
        e++;
        int v = lat[m * h + i];
        if (s.victim(i)) {
          victimEligible++;
        }
        if (v >= 0) {
          if (s.victim(i)) {
            victimDelivered++;
          }
          double ms = v / 1000.0;
          mine[mineN++] = ms;
          k++;
          if (n == all.length) {
            all = Arrays.copyOf(all, n * 2);
          }
          all[n++] = ms;
          if (v <= deadlineUs) {
            within++;
          }
        }
      }
      eligible += e;
      delivered += k;
      int need = (int) Math.ceil(0.95 * e);
      if (e > 0 && mineN >= need) {
        Arrays.sort(mine, 0, mineN);
        reach[reachN++] = mine[Math.max(0, need - 1)];
      } else if (e > 0) {
        notReached++;
      }
    }
    Arrays.sort(reach, 0, reachN);
    Arrays.sort(all, 0, n);
    Stats latency = Stats.of(all, n);
    double[] cdf = new double[n == 0 ? 0 : 201];
    for (int q = 0; q < cdf.length; q++) {
      cdf[q] = q == 0 ? all[0] : Stats.rank(all, n, q / 200.0);
    }

    // stretch over the sampled messages
    double[] st = new double[16];
    int sn = 0;
    for (int m = 0; m < msgs; m++) {
      int sample = s.stretchMsg()[m];
      float[] sp = sample >= 0 ? s.shortestMs()[sample] : null;
      int p = s.publisher()[m];
      if (sp == null || p < 0) {
        continue;
      }
      for (int i = 0; i < h; i++) {
        int v = lat[m * h + i];
        if (i == p || v < 0 || !s.aliveAtEnd(i) || s.joinedNs(i) > s.pubNs()[m]
            || !(sp[i] > 0)) {
          continue;
        }
        if (sn == st.length) {
          st = Arrays.copyOf(st, sn * 2);
        }
        st[sn++] = (v / 1000.0) / sp[i];
      }
    }
    Arrays.sort(st, 0, sn);

    double copies = 0;
    double[] sent = new double[h];
    double[] recv = new double[h];
    int alive = 0;
    for (int i = 0; i < h; i++) {
      copies += s.copies()[i] + s.chunkCopies(i);
      if (s.aliveAtEnd(i)) {
        sent[alive] = s.bytesSent()[i];
        recv[alive++] = s.bytesRecv()[i];
      }
    }
    Arrays.sort(sent, 0, alive);
    Arrays.sort(recv, 0, alive);

    List<Recovery> rec = new ArrayList<>();
    for (long faultNs : s.faultTimesNs()) {
      rec.add(recovery(s, faultNs));
    }
    Quarantine qu = cfg.health() ? new Quarantine(s.trueQuarantines(), s.falseQuarantines(),
        s.attackerLinks(), s.falseQuarantineReasons()) : null;
    return new SimResult(cfg.name(), s.mode(), s.mode().available(), cfg.seed(), h, s.attackers(),
        published, msgs - published, eligible, delivered, within,
        victimEligible == 0 ? Double.NaN : (double) victimDelivered / victimEligible, latency,
        Stats.of(st, sn), delivered == 0 ? Double.NaN : (double) copies / delivered,
        Stats.of(sent, alive), Stats.of(recv, alive), rec, qu, cdf, s.events(),
        s.endNs() / 1_000_000, Stats.of(reach, reachN), notReached, cfg.traffic().sizeBytes());
  }

  private static Recovery recovery(Simulation s, long faultNs) {
    int msgs = s.messages();
    int first = 0;
    while (first < msgs && s.pubNs()[first] < faultNs) {
      first++;
    }
    double base = first == 0 ? Double.NaN : pooled(s, 0, first)[1];
    int w = s.recoveryWindow();
    for (int m = first; m + w <= msgs; m++) {
      double[] p = pooled(s, m, m + w);
      if (p[0] == 1.0 && (Double.isNaN(base) || p[1] <= base * 1.1)) {
        return new Recovery(faultNs / 1e6, base, (s.pubNs()[m] - faultNs) / 1e6);
      }
    }
    return new Recovery(faultNs / 1e6, base, -1);
  }

  /** {delivery ratio, p99 ms} over the eligible pairs of published messages in [from, to). */
  private static double[] pooled(Simulation s, int from, int to) {
    int h = s.honest();
    double[] v = new double[64];
    int n = 0;
    long eligible = 0;
    for (int m = from; m < to; m++) {
      int p = s.publisher()[m];
      if (p < 0) {
        continue;
      }
      for (int i = 0; i < h; i++) {
        if (i == p || !s.aliveAtEnd(i) || s.joinedNs(i) > s.pubNs()[m]) {
          continue;
        }
        eligible++;
        int us = s.latUs()[m * h + i];
        if (us >= 0) {
          if (n == v.length) {
            v = Arrays.copyOf(v, n * 2);
          }
          v[n++] = us / 1000.0;
        }
      }
    }
    if (eligible == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    Arrays.sort(v, 0, n);
    return new double[] {(double) n / eligible, n == 0 ? Double.NaN : Stats.rank(v, n, 0.99)};
  }

  /** The result as ordered maps and lists for JSON (NaN becomes null). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scenario", scenario);
    m.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
    m.put("modeAvailable", modeAvailable);
    m.put("seed", seed);
    m.put("honestNodes", honestNodes);
    m.put("attackers", attackers);
    m.put("messagesPublished", published);
    m.put("messagesSkipped", skipped);
    m.put("eligiblePairs", eligible);
    m.put("deliveredPairs", delivered);
    m.put("deliveryRatio", num(deliveryRatio()));
    m.put("withinDeadlineRatio", num(withinDeadlineRatio()));
    m.put("victimDeliveryRatio", num(victimDeliveryRatio));
    m.put("latencyMs", stats(latencyMs));
    m.put("stretch", stats(stretch));
    m.put("copiesPerNodePerMessage", num(copiesPerNodePerMessage));
    m.put("bytesSentPerNode", stats(bytesSent));
    m.put("bytesReceivedPerNode", stats(bytesReceived));
    m.put("reach95Ms", stats(reach95Ms));
    m.put("messagesNotReaching95", notReached95);
    m.put("bytesSentPerNodeOverMessageBytes", num(bytesSentPerNodeOverMessageBytes()));
    List<Object> rs = new ArrayList<>();
    for (Recovery r : recoveries) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("faultMs", num(r.faultMs()));
      x.put("baselineP99Ms", num(r.baselineP99Ms()));
      x.put("recoveryMs", r.recoveryMs() < 0 ? null : num(r.recoveryMs()));
      rs.add(x);
    }
    m.put("recoveries", rs);
    if (quarantine != null) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("truePositives", quarantine.truePositives());
      x.put("falsePositives", quarantine.falsePositives());
      x.put("attackerLinks", quarantine.attackerLinks());
      x.put("precision", num(quarantine.precision()));
      x.put("recall", num(quarantine.recall()));
      x.put("falsePositiveReasons", quarantine.falsePositiveReasons());
      m.put("quarantine", x);
    }
    m.put("events", events);
    m.put("virtualMs", virtualMs);
    return m;
  }

  private static Map<String, Object> stats(Stats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", s.count());
    m.put("mean", num(s.mean()));
    m.put("p50", num(s.p50()));
    m.put("p90", num(s.p90()));
    m.put("p99", num(s.p99()));
    m.put("max", num(s.max()));
    return m;
  }

  /** Rounds to 4 decimals (reports stay readable and stable); NaN and infinities become null. */
  static Object num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return null;
    }
    return Math.round(v * 10_000) / 10_000.0;
  }
}
