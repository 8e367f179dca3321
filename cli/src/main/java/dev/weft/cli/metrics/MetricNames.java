package dev.weft.cli.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dropwizard metric names carrying Prometheus labels: {@code base{k="v",...}}. The registry keys
 * metrics by this string; {@link PrometheusText} splits it back into name and labels.
 */
public final class MetricNames {
  private MetricNames() {}

  /** {@code base} with label pairs {@code k1, v1, k2, v2, ...}. */
  public static String of(String base, String... labels) {
    if (labels.length % 2 != 0) {
      throw new IllegalArgumentException("labels come in key/value pairs");
    }
    if (labels.length == 0) {
      return base;
    }
    StringBuilder b = new StringBuilder(base).append('{');
    for (int i = 0; i < labels.length; i += 2) {
      b.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(escape(labels[i + 1]))
          .append('"');
    }
    return b.append('}').toString();
  }

  /** The part before the labels. */
  public static String base(String name) {
    int i = name.indexOf('{');
    return i < 0 ? name : name.substring(0, i);
  }

  /** The label text inside the braces (escaped as in the exposition format), or "". */
  public static String labelText(String name) {
    int i = name.indexOf('{');
    return i < 0 ? "" : name.substring(i + 1, name.length() - 1);
  }

  /** Parses the labels back (for tests and the demo's summary). */
  public static Map<String, String> labels(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    String text = labelText(name);
    int i = 0;
    while (i < text.length()) {
      int eq = text.indexOf("=\"", i);
      String key = text.substring(i, eq);
      StringBuilder v = new StringBuilder();
      int j = eq + 2;
      for (; text.charAt(j) != '"'; j++) {
        char c = text.charAt(j);
        if (c == '\\') {
          char n = text.charAt(++j);
          v.append(n == 'n' ? '\n' : n);
        } else {
          v.append(c);
        }
      }
      out.put(key, v.toString());
      i = j + 2; // skip closing quote and comma
    }
    return out;
  }

  static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
