package dev.weft.sim.report;

import dev.weft.sim.engine.RoutingMode;
import dev.weft.sim.engine.SimResult;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A self-contained HTML page comparing the runs of one scenario and seed: a metrics table and a
 * latency CDF drawn as inline SVG (no scripts, no external files). Deterministic for equal input.
 */
public final class HtmlReport {
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
  private static final int W = 640;
  private static final int H = 360;
  private static final int PAD = 48;

  private HtmlReport() {}

  /** The page for {@code runs}; {@code description} is the scenario's free text. */
  public static String of(List<SimResult> runs, String description) {
    StringBuilder b = new StringBuilder(16_384);
    String name = runs.isEmpty() ? "" : runs.get(0).scenario();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>weft simulation: ")
        .append(esc(name)).append("</title>\n<style>body{font:14px sans-serif;margin:2em;max-width:60em}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
            + "th:first-child,td:first-child{text-align:left}.note{color:#a40}</style></head><body>\n");
    b.append("<h1>").append(esc(name)).append("</h1>\n<p>").append(esc(description)).append("</p>\n");
    if (!runs.isEmpty()) {
      b.append("<p>seed ").append(runs.get(0).seed()).append(", ").append(runs.get(0).honestNodes())
          .append(" honest nodes, ").append(runs.get(0).attackers()).append(" attackers</p>\n");
    }
    for (SimResult r : runs) {
      if (r.mode() == RoutingMode.ADAPTIVE && !r.modeAvailable()) {
        b.append("<p class=\"note\">The adaptive routing hook is not in this build: the "
            + "\"adaptive\" run forwarded like plain GossipSub.</p>\n");
      }
    }
    table(b, runs);
    cdf(b, runs);
    b.append("</body></html>\n");
    return b.toString();
  }

  private static void table(StringBuilder b, List<SimResult> runs) {
    b.append("<table>\n<tr><th>metric</th>");
    for (SimResult r : runs) {
      b.append("<th>").append(mode(r)).append("</th>");
    }
    b.append("</tr>\n");
    row(b, runs, "delivery ratio", SimResult::deliveryRatio);
    row(b, runs, "within deadline", SimResult::withinDeadlineRatio);
    row(b, runs, "victim delivery ratio", SimResult::victimDeliveryRatio);
    row(b, runs, "latency p50 (ms)", r -> r.latencyMs().p50());
    row(b, runs, "latency p90 (ms)", r -> r.latencyMs().p90());
    row(b, runs, "latency p99 (ms)", r -> r.latencyMs().p99());
    row(b, runs, "latency max (ms)", r -> r.latencyMs().max());
    row(b, runs, "stretch p50", r -> r.stretch().p50());
    row(b, runs, "stretch p99", r -> r.stretch().p99());
    row(b, runs, "payload copies / node / message", SimResult::copiesPerNodePerMessage);
    row(b, runs, "bytes sent / node (mean)", r -> r.bytesSent().mean());
    row(b, runs, "bytes received / node (p99)", r -> r.bytesReceived().p99());
    row(b, runs, "reach 95% per message, mean (ms)", r -> r.reach95Ms().mean());
    row(b, runs, "reach 95% per message, max (ms)", r -> r.reach95Ms().max());
    row(b, runs, "bytes sent / node / message, over message size",
        SimResult::bytesSentPerNodeOverMessageBytes);
    row(b, runs, "quarantine precision",
        r -> r.quarantine() == null ? Double.NaN : r.quarantine().precision());
    row(b, runs, "quarantine recall",
        r -> r.quarantine() == null ? Double.NaN : r.quarantine().recall());
    int faults = runs.isEmpty() ? 0 : runs.get(0).recoveries().size();
    for (int i = 0; i < faults; i++) {
      int k = i;
      row(b, runs, "recovery after fault " + (i + 1) + " (ms)", r -> k < r.recoveries().size()
          && r.recoveries().get(k).recoveryMs() >= 0 ? r.recoveries().get(k).recoveryMs()
          : Double.NaN);
    }
    b.append("</table>\n");
  }

  private static void row(StringBuilder b, List<SimResult> runs, String label,
      Function<SimResult, Double> f) {
    b.append("<tr><td>").append(esc(label)).append("</td>");
    for (SimResult r : runs) {
      double v = f.apply(r);
      b.append("<td>").append(Double.isNaN(v) ? "–" : fmt(v)).append("</td>");
    }
    b.append("</tr>\n");
  }

  private static void cdf(StringBuilder b, List<SimResult> runs) {
    double max = 0;
    for (SimResult r : runs) {
      if (r.cdfMs().length > 0) {
        max = Math.max(max, r.cdfMs()[r.cdfMs().length - 1]);
      }
    }
    if (max <= 0) {
      b.append("<p>No deliveries, no latency plot.</p>\n");
      return;
    }
    double xmax = niceCeil(max);
    b.append("<h2>Delivery latency CDF</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(W).append("\" height=\"").append(H).append("\" role=\"img\">\n");
    int pw = W - 2 * PAD;
    int ph = H - 2 * PAD;
    b.append("<rect x=\"").append(PAD).append("\" y=\"").append(PAD).append("\" width=\"")
        .append(pw).append("\" height=\"").append(ph).append("\" fill=\"none\" stroke=\"#888\"/>\n");
    for (int t = 0; t <= 4; t++) {
      double fy = t / 4.0;
      int y = PAD + ph - (int) Math.round(fy * ph);
      b.append("<text x=\"").append(PAD - 6).append("\" y=\"").append(y + 4)
          .append("\" font-size=\"11\" text-anchor=\"end\">").append(fmt(fy)).append("</text>\n");
      double fx = xmax * t / 4;
      int x = PAD + (int) Math.round(t / 4.0 * pw);
      b.append("<text x=\"").append(x).append("\" y=\"").append(PAD + ph + 16)
          .append("\" font-size=\"11\" text-anchor=\"middle\">").append(fmt(fx)).append("</text>\n");
    }
    b.append("<text x=\"").append(PAD + pw / 2).append("\" y=\"").append(H - 8)
        .append("\" font-size=\"12\" text-anchor=\"middle\">latency (ms)</text>\n");
    for (int i = 0; i < runs.size(); i++) {
      double[] c = runs.get(i).cdfMs();
      if (c.length == 0) {
        continue;
      }
      StringBuilder pts = new StringBuilder();
      for (int k = 0; k < c.length; k++) {
        double x = PAD + c[k] / xmax * pw;
        double y = PAD + ph - (double) k / (c.length - 1) * ph;
        pts.append(k == 0 ? "" : " ").append(fmt1(x)).append(',').append(fmt1(y));
      }
      String colour = COLOURS[i % COLOURS.length];
      b.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour)
          .append("\" points=\"").append(pts).append("\"/>\n");
      b.append("<text x=\"").append(PAD + 10).append("\" y=\"").append(PAD + 16 + 16 * i)
          .append("\" font-size=\"12\" fill=\"").append(colour).append("\">")
          .append(mode(runs.get(i))).append("</text>\n");
    }
    b.append("</svg>\n<p>Fraction of (node, message) deliveries at or below each latency; "
        + "undelivered pairs are not plotted (see the delivery ratio).</p>\n");
  }

  private static String mode(SimResult r) {
    return r.mode().name().toLowerCase(Locale.ROOT)
        + (r.modeAvailable() ? "" : " (= plain)");
  }

  private static double niceCeil(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private static String fmt(double v) {
    if (Math.abs(v) >= 1000) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v).replaceAll("\\.?0+$", "");
  }

  private static String fmt1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
