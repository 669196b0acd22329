package io.runnel.runtime;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventFunction;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;

/**
 * A function process the fault tests kill and restart: it copies every reading from an input to an
 * output topic. Arguments: bootstrap servers, registry URL, input topic, output topic, and {@code
 * exactly-once} or {@code at-least-once}.
 */
public final class CrashTestApp {

  private CrashTestApp() {}

  @Singleton
  @Requires(property = "runnel.test.suite", value = "crash")
  static class CopyingFunction {
    final java.util.concurrent.atomic.AtomicLong handled =
        new java.util.concurrent.atomic.AtomicLong();

    @EventFunction(name = "copy", topics = "unset", outputTopic = "unset")
    SensorReading handle(SensorReading reading) {
      handled.incrementAndGet();
      return reading;
    }
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
    properties.put("runnel.functions.copy.group", "copy-" + input);
    properties.put("runnel.functions.copy.exactly-once", String.valueOf(exactlyOnce));
    properties.put("runnel.runtime.instance-id", "crash-test-app");
    properties.put("runnel.runtime.commit-interval", "200ms");
    // A killed process never leaves its group: a short session lets the restarted one in after
    // 6 s instead of the default 45 s.
    properties.put("runnel.kafka.consumer.session.timeout.ms", "6000");
    properties.put("runnel.kafka.consumer.heartbeat.interval.ms", "1000");
    return properties;
  }

  public static void main(String[] args) throws InterruptedException {
    ApplicationContext.run(
        properties(args[0], args[1], args[2], args[3], args[4].equals("exactly-once")));
    Thread.currentThread().join();
  }
}
