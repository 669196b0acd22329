package io.runnel.runtime;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventFunction;
import io.runnel.function.Output;
import io.runnel.test.RunnelTestKit;
import jakarta.inject.Singleton;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A function process the fault tests kill and restart: it copies every reading from an input to an
 * output topic, each copy with the handling process's id in the header {@value #PROCESS_HEADER}.
 * Arguments: bootstrap servers, registry URL, input topic, output topic, and {@code exactly-once}
 * or {@code at-least-once}. On SIGTERM it closes its context: finishes, commits and leaves the
 * group.
 */
public final class CrashTestApp {

  /** The header naming the process that handled a record. */
  static final String PROCESS_HEADER = "runnel-test.process";

  private CrashTestApp() {}

  @Singleton
  @Requires(property = "runnel.test.suite", value = "crash")
  static class CopyingFunction {
    private static final String PROCESS = String.valueOf(ProcessHandle.current().pid());
    final AtomicLong handled = new AtomicLong();
    private final Duration handlerTime;
    private final Path slowWhile;

    /**
     * @param handlerTime {@code runnel.test.handler-time}: how long each copy waits first, a remote
     *     call's time, so a process's throughput is bound by its concurrency, not the shared CPU
     * @param slowWhile {@code runnel.test.slow-while}: while this file exists each copy waits 1 s
     *     ms instead, so a test can keep a backlog while a process starts, however long that takes
     */
    CopyingFunction(
        @Value("${runnel.test.handler-time:0ms}") Duration handlerTime,
        @Value("${runnel.test.slow-while:}") String slowWhile) {
      this.handlerTime = handlerTime;
      this.slowWhile = slowWhile.isEmpty() ? null : Path.of(slowWhile);
    }

    @EventFunction(name = "copy", topics = "unset", outputTopic = "unset")
    Output handle(SensorReading reading) throws InterruptedException {
      Duration wait =
          slowWhile != null && Files.exists(slowWhile) ? Duration.ofSeconds(1) : handlerTime;
      if (wait.isPositive()) {
        Thread.sleep(wait);
      }
      handled.incrementAndGet();
      return Output.of(reading).withHeader(PROCESS_HEADER, PROCESS);
    }
  }

  /** The consumer group of the copying function on {@code input}. */
  static String group(String input) {
    return "copy-" + input;
  }

  /** The configuration of a copying function between two topics. */
  static Map<String, Object> properties(
      String bootstrapServers,
      String registryUrl,
      String input,
      String output,
      boolean exactlyOnce) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("runnel.test.suite", "crash");
    properties.put("runnel.kafka.bootstrap-servers", bootstrapServers);
    properties.put("runnel.schema-registry.url", registryUrl);
    properties.put("runnel.functions.copy.topics", input);
    properties.put("runnel.functions.copy.output-topic", output);
    properties.put("runnel.functions.copy.group", group(input));
    properties.put("runnel.functions.copy.exactly-once", String.valueOf(exactlyOnce));
    properties.put("runnel.runtime.instance-id", "crash-test-app");
    properties.put("runnel.runtime.commit-interval", "200ms");
    // A killed process never leaves its group: a short session lets the restarted one in after
    // 6 s instead of the default 45 s.
    properties.put("runnel.kafka.consumer.session.timeout.ms", "6000");
    properties.put("runnel.kafka.consumer.heartbeat.interval.ms", "1000");
    return properties;
  }

  /**
   * Starts {@code app} (this app or another with the same arguments) in a JVM of its own, on this
   * JVM's classpath, on {@code stream} with the given system properties (further settings), its
   * output into {@code log}.
   */
  static Process startProcess(
      Class<?> app,
      RunnelTestKit kit,
      CopyStream stream,
      boolean exactlyOnce,
      File log,
      Map<String, String> systemProperties)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    systemProperties.forEach((name, value) -> command.add("-D" + name + "=" + value));
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            app.getName(),
            kit.bootstrapServers(),
            kit.registryUrl(),
            stream.input(),
            stream.output(),
            exactlyOnce ? "exactly-once" : "at-least-once"));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
  }

  public static void main(String[] args) throws InterruptedException {
    ApplicationContext context =
        ApplicationContext.run(
            properties(args[0], args[1], args[2], args[3], args[4].equals("exactly-once")));
    Runtime.getRuntime().addShutdownHook(new Thread(context::close));
    Thread.currentThread().join();
  }
}
