package io.runnel.test;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventFunction;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * A function process that {@link ProcessCrashTest} kills with SIGKILL: it copies every reading from
 * {@code crash.in} to {@code crash.out}. Arguments: bootstrap servers, registry URL.
 */
public final class CrashTestApp {

  private CrashTestApp() {}

  @Singleton
  @Requires(property = "runnel.test.suite", value = "crash")
  static class CopyingFunction {
    @EventFunction(name = "copy", topics = "crash.in", outputTopic = "crash.out")
    SensorReading handle(SensorReading reading) {
      return reading;
    }
  }

  public static void main(String[] args) throws InterruptedException {
    ApplicationContext.run(
        Map.of(
            "runnel.test.suite",
            "crash",
            "runnel.kafka.bootstrap-servers",
            args[0],
            "runnel.schema-registry.url",
            args[1],
            "runnel.runtime.commit-interval",
            "200ms",
            // A killed process never leaves its group: a short session lets the restarted one in
            // after 6 s instead of the default 45 s.
            "runnel.kafka.consumer.session.timeout.ms",
            "6000",
            "runnel.kafka.consumer.heartbeat.interval.ms",
            "1000"));
    Thread.currentThread().join();
  }
}
