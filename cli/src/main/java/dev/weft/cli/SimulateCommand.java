package dev.weft.cli;

import dev.weft.sim.engine.RoutingMode;
import dev.weft.sim.engine.SimResult;
import dev.weft.sim.report.HtmlReport;
import dev.weft.sim.report.JsonReport;
import dev.weft.sim.scenario.Scenario;
import dev.weft.sim.scenario.ScenarioException;
import dev.weft.sim.scenario.ScenarioParser;
import dev.weft.sim.scenario.ScenarioRunner;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weft simulate}: runs a scenario in the deterministic simulator (once per routing mode,
 * same seed) and writes report.json and report.html.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Run a simulator scenario (topology-configs/sim/*.yaml) and write JSON and HTML"
        + " reports comparing plain GossipSub with weft's adaptive paths.")
final class SimulateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "<scenario.yaml>", description = "Scenario file.")
  Path file;

  @Option(names = "--seed", description = "Override the scenario's seed.")
  Long seed;

  @Option(names = "--nodes", description = "Override the number of honest nodes.")
  Integer nodes;

  @Option(names = "--out", description = "Directory for report.json and report.html"
      + " (default: ${DEFAULT-VALUE}).", defaultValue = "sim-report")
  Path out;

  @Option(names = "--modes", split = ",", paramLabel = "<mode>", description = "Routing modes"
      + " to run instead of the scenario's: plain, adaptive.")
  List<String> modes;

  @Option(names = "--no-progress", description = "Do not draw the progress bar.")
  boolean noProgress;

  @Override
  public Integer call() throws Exception {
    Scenario s;
    try (InputStream in = Files.newInputStream(file)) {
      s = ScenarioParser.parse(in, file.toString());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("scenario file not found: " + file);
    } catch (ScenarioException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (nodes != null) {
      if (nodes < 2) {
        throw new IllegalArgumentException("--nodes must be >= 2");
      }
      s = new Scenario(s.config().withNodes(nodes), s.description(), s.modes());
    }
    if (modes != null && !modes.isEmpty()) {
      List<RoutingMode> ms = new java.util.ArrayList<>();
      for (String m : modes) {
        try {
          ms.add(RoutingMode.valueOf(m.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--modes: unknown mode '" + m
              + "', expected plain or adaptive");
        }
      }
      s = new Scenario(s.config(), s.description(), ms);
    }
    if (seed != null) {
      s = new Scenario(s.config().withSeed(seed), s.description(), s.modes());
    }
    Progress bar = new Progress(System.err, !noProgress);
    long t0 = System.nanoTime();
    List<SimResult> results = ScenarioRunner.run(s, bar::update);
    bar.finish();
    double wall = (System.nanoTime() - t0) / 1e9;
    Files.createDirectories(out);
    Files.writeString(out.resolve("report.json"), JsonReport.of(results), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("report.html"), HtmlReport.of(results, s.description()),
        StandardCharsets.UTF_8);
    PrintStream o = System.out;
    o.printf(Locale.ROOT, "%s: %d honest nodes, %d attackers, seed %d, %.1f s wall%n",
        s.config().name(), results.get(0).honestNodes(), results.get(0).attackers(),
        s.config().seed(), wall);
    for (SimResult r : results) {
      o.printf(Locale.ROOT, "  %-8s delivery %.4f  within deadline %.4f  p50 %.1f ms  p99 %.1f ms"
              + "  stretch p99 %.2f  copies/node/msg %.2f%s%n",
          r.mode().name().toLowerCase(Locale.ROOT) + (r.modeAvailable() ? "" : "*"),
          r.deliveryRatio(), r.withinDeadlineRatio(), r.latencyMs().p50(), r.latencyMs().p99(),
          r.stretch().p99(), r.copiesPerNodePerMessage(),
          r.quarantine() == null ? "" : String.format(Locale.ROOT,
              "  quarantine precision %.3f recall %.3f", r.quarantine().precision(),
              r.quarantine().recall()));
    }
    if (results.stream().anyMatch(r -> !r.modeAvailable())) {
      o.println("  * adaptive routing is not in this build: that run forwarded like plain GossipSub");
    }
    o.println("  reports: " + out.resolve("report.json") + ", " + out.resolve("report.html"));
    return 0;
  }

  /** A one-line progress bar with an ETA, redrawn at most every 200 ms of wall time. */
  static final class Progress {
    private final PrintStream err;
    private final boolean enabled;
    private final long startNs = System.nanoTime();
    private long lastDrawNs;
    private boolean drawn;

    Progress(PrintStream err, boolean enabled) {
      this.err = err;
      this.enabled = enabled;
    }

    void update(int run, int runs, RoutingMode mode, long nowNs, long endNs,
        long events) {
      long wall = System.nanoTime();
      if (!enabled || wall - lastDrawNs < 200_000_000L && nowNs < endNs) {
        return;
      }
      lastDrawNs = wall;
      double f = (run + Math.min(1.0, (double) nowNs / Math.max(1, endNs))) / runs;
      err.print("\r" + line(f, run, runs, mode.name().toLowerCase(Locale.ROOT), nowNs, endNs,
          events, (wall - startNs) / 1e9));
      err.flush();
      drawn = true;
    }

    static String line(double f, int run, int runs, String mode, long nowNs, long endNs,
        long events, double elapsedS) {
      int width = 30;
      int full = (int) Math.round(f * width);
      String eta = f <= 0 ? "--:--" : clock(elapsedS * (1 - f) / f);
      return String.format(Locale.ROOT, "[%s%s] %3d%%  run %d/%d %-8s  virtual %.1f/%.1f s"
              + "  %,d events  elapsed %s  ETA %s ",
          "#".repeat(full), ".".repeat(width - full), Math.round(f * 100), run + 1, runs, mode,
          nowNs / 1e9, endNs / 1e9, events, clock(elapsedS), eta);
    }

    static String clock(double s) {
      long t = Math.round(s);
      return String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }

    void finish() {
      if (drawn) {
        err.println();
      }
    }
  }
}
