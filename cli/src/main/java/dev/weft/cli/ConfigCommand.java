package dev.weft.cli;

import dev.weft.cli.topology.Topology;
import dev.weft.cli.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code weft config validate <file>...}: checks topology files (docs/topology.md). */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Topology configuration files.",
    subcommands = ConfigCommand.Validate.class)
final class ConfigCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (validate)");
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Load and check topology files; errors name the file, line, column and field. "
          + "Exit 0 if all are valid, 2 otherwise.")
  static final class Validate implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "<file>") List<Path> files;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      int bad = 0;
      for (Path f : files) {
        try {
          Topology t = TopologyLoader.load(f);
          spec.commandLine().getOut().println(f + ": ok (" + t.name() + ", " + t.nodes().size()
              + " nodes, " + t.scenario().size() + " scenario steps)");
        } catch (IllegalArgumentException e) {
          spec.commandLine().getErr().println(e.getMessage());
          bad++;
        }
      }
      spec.commandLine().getOut().flush();
      spec.commandLine().getErr().flush();
      return bad == 0 ? 0 : 2;
    }
  }
}
