package dev.weft.cli.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.UniformReservoir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The exposition format, label round trips, and the Grafana dashboard naming only real metrics. */
class DashboardAndTextTest {
  @Test
  void dashboardUsesOnlyExportedMetrics() throws Exception {
    String json = Files.readString(Path.of("..", "docs", "grafana", "weft.json"));
    Matcher m = Pattern.compile("weft_[a-z_]+").matcher(json);
    Set<String> used = new TreeSet<>();
    while (m.find()) {
      used.add(m.group());
    }
    assertTrue(used.size() > 15, used.toString());
    for (String name : used) {
      assertTrue(NodeMetrics.HELP.containsKey(name), "dashboard uses unknown metric " + name);
    }
  }

  @Test
  void textFormatWithLabelsTypesAndSummaries() {
    MetricRegistry r = new MetricRegistry();
    r.counter(MetricNames.of("weft_x_total", "topic", "a\"b")).inc(3);
    r.counter(MetricNames.of("weft_x_total", "topic", "c")).inc();
    r.gauge("weft_g", () -> () -> 2.5);
    Histogram h = r.histogram(MetricNames.of("weft_delivery_latency_seconds", "topic", "q"),
        () -> new Histogram(new UniformReservoir()));
    h.update(2_000_000); // 2 ms in ns
    String text = PrometheusText.write(r, Map.of("weft_x_total", "Things."));
    assertTrue(text.contains("# HELP weft_x_total Things.\n# TYPE weft_x_total counter\n"), text);
    assertTrue(text.contains("weft_x_total{topic=\"a\\\"b\"} 3\n"), text);
    assertTrue(text.contains("weft_x_total{topic=\"c\"} 1\n"), text);
    assertTrue(text.contains("# TYPE weft_g gauge\nweft_g 2.5\n"), text);
    assertTrue(text.contains("# TYPE weft_delivery_latency_seconds summary\n"), text);
    assertTrue(text.contains("weft_delivery_latency_seconds{topic=\"q\",quantile=\"0.5\"} 0.002\n"), text);
    assertTrue(text.contains("weft_delivery_latency_seconds_count{topic=\"q\"} 1\n"), text);
    assertEquals(Map.of("topic", "a\"b", "peer", "x"),
        MetricNames.labels(MetricNames.of("b", "topic", "a\"b", "peer", "x")));
  }
}
