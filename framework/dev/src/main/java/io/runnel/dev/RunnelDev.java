package io.runnel.dev;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code runnel dev}: starts Kafka, the schema registry, an MQTT broker, PostgreSQL and the
 * functions on the classpath with the connectors in one process, prints a ready line and a line
 * naming the MQTT and PostgreSQL addresses, and stops cleanly on Ctrl-C or SIGTERM.
 */
@Command(
    name = "runnel-dev",
    mixinStandardHelpOptions = true,
    description =
        "Runs an embedded Kafka broker, the dev schema registry, an MQTT broker, PostgreSQL and the"
            + " functions on the classpath with the connectors.")
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
      names = "--mqtt-port",
      description = "MQTT broker port; the next free one when taken (default: ${DEFAULT-VALUE}).")
  int mqttPort = DevOptions.defaults().mqtt().port();

  @Option(names = "--no-mqtt", description = "Run no MQTT broker, and no MQTT connector.")
  boolean noMqtt;

  @Option(
      names = "--postgres-port",
      description = "PostgreSQL port; the next free one when taken (default: ${DEFAULT-VALUE}).")
  int postgresPort = DevOptions.defaults().postgres().port();

  @Option(names = "--no-postgres", description = "Run no PostgreSQL, and no CDC connector.")
  boolean noPostgres;

  @Option(
      names = "--data-dir",
      description =
          "Where Kafka, the MQTT broker and PostgreSQL keep their data between runs (default:"
              + " ${DEFAULT-VALUE}).")
  Path dataDir = DevOptions.defaults().dataDir();

  @Option(
      names = "--clean",
      description =
          "Delete the data directory first: start with no topics, schemas, MQTT sessions or rows.")
  boolean clean;

  @Spec CommandSpec spec;

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
    DevEnvironment environment = DevEnvironment.start(options());
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
    environment.servicesLine().ifPresent(System.out::println);
    System.out.flush();
    LoggerFactory.getLogger(RunnelDev.class)
        .info(
            "Started in {} ms from JVM start (HTTP on port {})",
            System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime(),
            environment.httpPort());
    stopped.await();
    return 0;
  }

  /** The options as given, checked: a port in range, and none for a service turned off. */
  DevOptions options() {
    checkPort("--kafka-port", kafkaPort);
    checkPort("--registry-port", registryPort);
    checkPort("--http-port", httpPort);
    return new DevOptions(
        kafkaPort,
        registryPort,
        httpPort,
        service("mqtt", noMqtt, mqttPort),
        service("postgres", noPostgres, postgresPort),
        dataDir,
        clean);
  }

  private DevOptions.Service service(String name, boolean off, int port) {
    if (off) {
      if (spec.commandLine().getParseResult().hasMatchedOption("--" + name + "-port")) {
        throw new IllegalArgumentException(
            "--" + name + "-port and --no-" + name + " contradict each other: give one of them");
      }
      return DevOptions.Service.off();
    }
    checkPort("--" + name + "-port", port);
    return DevOptions.Service.on(port);
  }

  private static void checkPort(String option, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(option + " must be between 0 and 65535, was " + port);
    }
  }
}
