package dev.weft.cli.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a Dropwizard {@link MetricRegistry} in the Prometheus text exposition format 0.0.4.
 *
 * <p>Names follow {@link MetricNames} ({@code base{labels}}). Counters and meters are counters,
 * numeric gauges are gauges, histograms and timers are summaries (quantiles 0.5, 0.9, 0.99, 0.999
 * of the reservoir, plus {@code _count}). A histogram whose name ends in {@code _seconds} holds
 * nanoseconds and is written in seconds. Written by hand because the Dropwizard bridges of the
 * Prometheus Java clients have no notion of labels in Dropwizard names.
 */
public final class PrometheusText {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

  private PrometheusText() {}

  /** The exposition text; {@code help} gives the HELP line per base name (may miss some). */
  public static String write(MetricRegistry registry, Map<String, String> help) {
    Map<String, List<Map.Entry<String, Metric>>> byBase = new TreeMap<>();
    for (Map.Entry<String, Metric> e : registry.getMetrics().entrySet()) {
      byBase.computeIfAbsent(MetricNames.base(e.getKey()), k -> new ArrayList<>()).add(e);
    }
    StringBuilder b = new StringBuilder(4096);
    for (Map.Entry<String, List<Map.Entry<String, Metric>>> group : byBase.entrySet()) {
      String base = group.getKey();
      List<Map.Entry<String, Metric>> members = group.getValue();
      Metric first = members.get(0).getValue();
      String type = first instanceof Counter || first instanceof Meter ? "counter"
          : first instanceof Gauge ? "gauge" : "summary";
      if (help.containsKey(base)) {
        b.append("# HELP ").append(base).append(' ').append(help.get(base).replace("\n", " "))
            .append('\n');
      }
      b.append("# TYPE ").append(base).append(' ').append(type).append('\n');
      for (Map.Entry<String, Metric> m : members) {
        String labels = MetricNames.labelText(m.getKey());
        Metric metric = m.getValue();
        if (metric instanceof Counter c) {
          sample(b, base, labels, c.getCount());
        } else if (metric instanceof Meter mt) {
          sample(b, base, labels, mt.getCount());
        } else if (metric instanceof Gauge<?> g) {
          Object v = g.getValue();
          if (v instanceof Number n) {
            sample(b, base, labels, n.doubleValue());
          } else if (v instanceof Boolean bool) {
            sample(b, base, labels, bool ? 1 : 0);
          }
        } else if (metric instanceof Histogram h) {
          summary(b, base, labels, h.getSnapshot(), h.getCount(), base.endsWith("_seconds") ? 1e-9 : 1);
        } else if (metric instanceof Timer t) {
          summary(b, base, labels, t.getSnapshot(), t.getCount(), 1e-9);
        }
      }
    }
    return b.toString();
  }

  private static void summary(StringBuilder b, String base, String labels, Snapshot s, long count,
      double scale) {
    for (double q : QUANTILES) {
      String ql = (labels.isEmpty() ? "" : labels + ",") + "quantile=\"" + q + "\"";
      sample(b, base, ql, s.getValue(q) * scale);
    }
    sample(b, base + "_count", labels, count);
  }

  private static void sample(StringBuilder b, String name, String labels, double value) {
    b.append(name);
    if (!labels.isEmpty()) {
      b.append('{').append(labels).append('}');
    }
    b.append(' ').append(format(value)).append('\n');
  }

  static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
