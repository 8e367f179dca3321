package dev.weft.sim.scenario;

import dev.weft.sim.engine.RoutingMode;
import dev.weft.sim.engine.SimConfig;
import java.util.List;

/**
 * A parsed scenario file.
 *
 * @param config the run configuration
 * @param description free text from the file
 * @param modes routing modes to run and compare, same seed each
 */
public record Scenario(SimConfig config, String description, List<RoutingMode> modes) {
  /** Copies the list. */
  public Scenario {
    modes = List.copyOf(modes);
  }
}
