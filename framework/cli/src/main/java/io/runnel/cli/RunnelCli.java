package io.runnel.cli;

import java.util.Arrays;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code runnel} command. Exit codes: 0 done, 1 failed (the reason on one line of standard
 * error), 2 bad usage (the option named, with the subcommand's usage).
 */
@Command(
    name = "runnel",
    mixinStandardHelpOptions = true,
    versionProvider = RunnelCli.Version.class,
    description = "Operates a Runnel installation: works on the topics and groups of a cluster.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:failed: the reason is printed on one line", "2:bad usage"},
    // Each subcommand of every issue is registered here, by its class.
    subcommands = {
      RunnelCli.DeadLetters.class,
      LagCommand.class,
      UsageCommand.class,
      TailCommand.class,
      ManifestsCommand.class
    })
public final class RunnelCli {

  /** {@code runnel dlq ...}: dead-letter topics. */
  @Command(
      name = "dlq",
      mixinStandardHelpOptions = true,
      header = "Works with dead-letter topics: dlq replay publishes dead letters again.",
      subcommands = ReplayCommand.class)
  static final class DeadLetters {}

  /** The version of the jar the command runs from. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = RunnelCli.class.getPackage().getImplementationVersion();
      return new String[] {"runnel " + (version == null ? "(development build)" : version)};
    }
  }

  public static void main(String[] args) {
    // slf4j-simple reads its level once, when the first logger (the Kafka client's) is made.
    boolean verbose = Arrays.asList(args).contains("--verbose");
    System.setProperty(
        "org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "off"));
    System.exit(commandLine().execute(args));
  }

  /** The command with its error handling: failures print what went wrong, not a stack trace. */
  static CommandLine commandLine() {
    return new CommandLine(new RunnelCli())
        .setExecutionExceptionHandler(
            (e, commandLine, parseResult) -> {
              Throwable cause = e;
              while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                  && cause.getCause() != null) {
                cause = cause.getCause();
              }
              commandLine.getErr().println("runnel: " + CommandFailure.describe(cause));
              if (commandLine.getParseResult().hasMatchedOption("--verbose")) {
                cause.printStackTrace(commandLine.getErr());
              }
              commandLine.getErr().flush();
              return 1;
            });
  }
}
