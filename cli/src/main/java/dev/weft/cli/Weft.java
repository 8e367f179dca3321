package dev.weft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code weft} command. */
@Command(
    name = "weft",
    mixinStandardHelpOptions = true,
    versionProvider = Weft.Version.class,
    description = "weft: a self-healing libp2p/GossipSub mesh overlay for market data.",
    subcommands = {RunCommand.class, KeygenCommand.class, SimulateCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success", "1:runtime failure (see the error message)", "2:invalid arguments or configuration"
    })
public final class Weft implements Runnable {
  public static final String VERSION = "0.1.0";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (tests call this). */
  public static int execute(String... args) {
    return new CommandLine(new Weft())
        .setExecutionExceptionHandler((ex, cmd, parsed) -> {
          cmd.getErr().println("weft: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
          return ex instanceof IllegalArgumentException ? 2 : 1;
        })
        .execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"weft " + VERSION};
    }
  }
}
