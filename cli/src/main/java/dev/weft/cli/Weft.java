package dev.weft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code weft} command. */
@Command(
    name = "weft",
    mixinStandardHelpOptions = true,
    versionProvider = Weft.Version.class,
    description = "weft: a self-healing libp2p/GossipSub mesh overlay for market data.",
    subcommands = {RunCommand.class, KeygenCommand.class,
      NodeCommands.Peers.class, NodeCommands.Topics.class, NodeCommands.Mesh.class,
      NodeCommands.Routes.class, NodeCommands.Scores.class, NodeCommands.Health.class,
      NodeCommands.Quarantine.class, NodeCommands.Publish.class, NodeCommands.Subscribe.class,
      NodeCommands.Stats.class, NodeCommands.Connect.class,
      ConfigCommand.class, dev.weft.cli.demo.DemoCommand.class, SimulateCommand.class,
      NodeCommands.Completion.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success", "1:runtime failure (node unreachable, refused, not authorized; see the message)",
      "2:invalid arguments or configuration (also: the node rejected the input as bad, 4xx)"
    })
public final class Weft implements Runnable {
  public static final String VERSION = "0.1.0";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--log-format", paramLabel = "<format>", scope = CommandLine.ScopeType.INHERIT,
      description = "Log format on stderr: text or json (one JSON object per line). Default: "
          + "$WEFT_LOG_FORMAT or text.")
  void logFormat(String format) {
    if (!format.equals("text") && !format.equals("json")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--log-format must be text or json");
    }
  }

  public static void main(String[] args) {
    // the log format must be known before logback starts, i.e. before any command class loads
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = a.startsWith("--log-format=") ? a.substring("--log-format=".length())
          : a.equals("--log-format") && i + 1 < args.length ? args[i + 1] : null;
      if ("json".equals(v) || "text".equals(v)) {
        System.setProperty("WEFT_LOG_FORMAT", v);
      }
    }
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (tests call this). */
  public static int execute(String... args) {
    return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs the command line with the given output streams (tests capture them). */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Weft());
    cl.setOut(out);
    cl.setErr(err);
    // usage after every argument error, with picocli's suggestions when it has some
    cl.setParameterExceptionHandler((ex, unused) -> {
      CommandLine c = ex.getCommandLine();
      java.io.PrintWriter w = c.getErr();
      w.println(ex.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(ex, w);
      c.usage(w, c.getColorScheme());
      w.flush();
      return c.getCommandSpec().exitCodeOnInvalidInput();
    });
    int rc = cl
        .setExecutionExceptionHandler((ex, cmd, parsed) -> {
          cmd.getErr().println("weft: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
          cmd.getErr().flush();
          if (ex instanceof ApiClient.ApiError e) {
            return e.exitCode();
          }
          return ex instanceof IllegalArgumentException ? 2 : 1;
        })
        .execute(args);
    // picocli prints usage with print(), which autoflush does not cover: flush before exit
    out.flush();
    err.flush();
    return rc;
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
