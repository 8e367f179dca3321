package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's --help renders cleanly: picocli warns on stderr about a stray '%' in a text. */
class HelpTextTest {
  @Test
  void everyCommandsHelpRendersWithoutPicocliWarnings() {
    PrintStream saved = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<String> commands = new ArrayList<>();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      walk(new CommandLine(new Weft()), commands);
    } finally {
      System.setErr(saved);
    }
    assertTrue(commands.size() > 10, "walked " + commands);
    assertEquals("", captured.toString(StandardCharsets.UTF_8), "stderr while rendering help");
  }

  private static void walk(CommandLine cl, List<String> seen) {
    StringWriter out = new StringWriter();
    cl.usage(new PrintWriter(out));
    assertTrue(out.toString().contains("Usage: weft"), cl.getCommandName() + ": " + out);
    seen.add(cl.getCommandSpec().qualifiedName());
    for (CommandLine sub : cl.getSubcommands().values()) {
      walk(sub, seen);
    }
  }
}
