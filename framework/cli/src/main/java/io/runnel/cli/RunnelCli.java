package io.runnel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code runnel} command. */
@Command(
    name = "runnel",
    mixinStandardHelpOptions = true,
    description = "Operates a Runnel installation.",
    subcommands = {RunnelCli.DeadLetters.class, UsageCommand.class})
public final class RunnelCli {

  /** {@code runnel dlq ...}: dead-letter topics. */
  @Command(
      name = "dlq",
      mixinStandardHelpOptions = true,
      description = "Works with dead-letter topics.",
      subcommands = ReplayCommand.class)
  static final class DeadLetters {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command with its error handling: failures print what went wrong, not a stack trace. */
  static CommandLine commandLine() {
    return new CommandLine(new RunnelCli())
        .setExecutionExceptionHandler(
            (e, commandLine, parseResult) -> {
              commandLine.getErr().println("runnel: " + e.getMessage());
              return 1;
            });
  }
}
