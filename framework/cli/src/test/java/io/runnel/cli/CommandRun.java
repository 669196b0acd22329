package io.runnel.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the {@code runnel} command in this JVM: its exit code and what it printed. */
record CommandRun(int exit, String out, String err) {

  static CommandRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        RunnelCli.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new CommandRun(exit, out.toString(), err.toString());
  }
}
