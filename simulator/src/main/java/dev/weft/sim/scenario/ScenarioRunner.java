package dev.weft.sim.scenario;

import dev.weft.sim.engine.RoutingMode;
import dev.weft.sim.engine.SimResult;
import dev.weft.sim.engine.Simulation;
import java.util.ArrayList;
import java.util.List;

/** Runs a scenario once per routing mode, same seed each time. */
public final class ScenarioRunner {
  private ScenarioRunner() {}

  /** Progress of the whole scenario. */
  @FunctionalInterface
  public interface Listener {
    /**
     * Called every few thousand events.
     *
     * @param run index of the current run
     * @param runs number of runs
     * @param mode the current run's mode
     * @param nowNs virtual time reached
     * @param endNs virtual time at which the run ends
     * @param events events processed in this run
     */
    void progress(int run, int runs, RoutingMode mode, long nowNs, long endNs, long events);
  }

  /** Runs every mode of {@code s} in order and returns the results in the same order. */
  public static List<SimResult> run(Scenario s, Listener listener) {
    List<SimResult> out = new ArrayList<>();
    List<RoutingMode> modes = s.modes();
    for (int i = 0; i < modes.size(); i++) {
      int run = i;
      RoutingMode mode = modes.get(i);
      Simulation sim = new Simulation(s.config(), mode);
      out.add(sim.run((now, end, ev) -> listener.progress(run, modes.size(), mode, now, end, ev)));
    }
    return out;
  }
}
