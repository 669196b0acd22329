package io.runnel.dev;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runnel dev}: starts Kafka, the schema registry and the functions on the classpath in one
 * process, prints a ready line, and stops cleanly on Ctrl-C or SIGTERM.
 */
@Command(
    name = "runnel-dev",
    mixinStandardHelpOptions = true,
    description =
        "Runs an embedded Kafka broker, the dev schema registry and the functions on the classpath.")
public final class RunnelDev implements Callable<Integer> {

  @Option(names = "--kafka-port", description = "Kafka client port (default: ${DEFAULT-VALUE}).")
  int kafkaPort = DevOptions.defaults().kafkaPort();

  @Option(
      names = "--registry-port",
      description = "Schema registry port (default: ${DEFAULT-VALUE}).")
  int registryPort = DevOptions.defaults().registryPort();

  @Option(
      names = "--http-port",
      description = "HTTP port for health and connectors (default: ${DEFAULT-VALUE}).")
  int httpPort = DevOptions.defaults().httpPort();

  @Option(
      names = "--data-dir",
      description = "Where the broker keeps its data between runs (default: ${DEFAULT-VALUE}).")
  Path dataDir = DevOptions.defaults().dataDir();

  @Option(
      names = "--clean",
      description = "Delete the data directory first: start with no topics and no schemas.")
  boolean clean;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command with its error handling: a failure to start prints what went wrong, not a stack
   * trace.
   */
  static CommandLine commandLine() {
    return new CommandLine(new RunnelDev())
        .setExecutionExceptionHandler(
            (e, commandLine, parseResult) -> {
              commandLine.getErr().println("Runnel dev could not start: " + e.getMessage());
              return 1;
            });
  }

  @Override
  public Integer call() throws InterruptedException {
    checkPort("--kafka-port", kafkaPort);
    checkPort("--registry-port", registryPort);
    checkPort("--http-port", httpPort);
    DevEnvironment environment =
        DevEnvironment.start(new DevOptions(kafkaPort, registryPort, httpPort, dataDir, clean));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Runnel dev stopping");
                  environment.close();
                  stopped.countDown();
                },
                "runnel-dev-shutdown"));
    System.out.println(environment.readyLine());
    System.out.flush();
    LoggerFactory.getLogger(RunnelDev.class)
        .info(
            "Started in {} ms from JVM start (HTTP on port {})",
            System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime(),
            environment.httpPort());
    stopped.await();
    return 0;
  }

  private static void checkPort(String option, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(option + " must be between 0 and 65535, was " + port);
    }
  }
}
