package io.runnel.runtime;

import io.micronaut.context.annotation.Requires;
import io.runnel.examples.iot.SensorReading;
import io.runnel.examples.iot.TemperatureAlert;
import io.runnel.function.EventContext;
import io.runnel.function.EventFunction;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.generic.GenericRecord;

/** Functions exercised by {@link FunctionRuntimeTest}; enabled only in its context. */
final class RuntimeTestFunctions {

  private RuntimeTestFunctions() {}

  static final String SUITE = "runnel.test.suite=runtime";

  @Singleton
  @Requires(property = "runnel.test.suite", value = "runtime")
  static class ConvertingFunction {
    @EventFunction(name = "convert", topics = "rt.readings", outputTopic = "rt.alerts")
    TemperatureAlert handle(SensorReading reading) {
      if (reading.getDeviceId().startsWith("skip")) {
        return null;
      }
      return TemperatureAlert.newBuilder()
          .setDeviceId(reading.getDeviceId())
          .setTimestamp(reading.getTimestamp())
          .setTemperatureC(reading.getTemperatureC())
          .setThreshold(0.0)
          .build();
    }
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "runtime")
  static class FailingFunction {
    final ConcurrentHashMap<String, AtomicInteger> attemptsByDevice = new ConcurrentHashMap<>();
    final List<String> handled = new CopyOnWriteArrayList<>();

    @EventFunction(name = "failing", topics = "rt.flaky", maxAttempts = 3, retryBackoffMs = 10)
    void handle(SensorReading reading) {
      attemptsByDevice
          .computeIfAbsent(reading.getDeviceId(), d -> new AtomicInteger())
          .incrementAndGet();
      if (reading.getDeviceId().equals("bad-device")) {
        throw new IllegalStateException("sensor " + reading.getDeviceId() + " is broken");
      }
      if (reading.getDeviceId().equals("flaky-device")
          && attemptsByDevice.get("flaky-device").get() < 2) {
        throw new IllegalStateException("transient");
      }
      handled.add(reading.getDeviceId());
    }
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "runtime")
  static class ContextFunction {
    @EventFunction(name = "with-context", topics = "rt.context")
    void handle(GenericRecord reading, EventContext context) {
      // Re-emits the reading with its coordinates, to a topic named in the event.
      context
          .emitter()
          .emit(
              "rt.context.out",
              context.key()
                  + "@"
                  + context.topic()
                  + "/"
                  + context.partition()
                  + "/"
                  + context.offset(),
              reading);
    }
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "runtime")
  static class BatchFunction {
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    final List<String> devices = new CopyOnWriteArrayList<>();

    @EventFunction(name = "batch", topics = "rt.batch")
    void handle(List<SensorReading> readings) {
      batchSizes.add(readings.size());
      readings.forEach(r -> devices.add(r.getDeviceId()));
    }
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "runtime")
  static class ReaderSchemaFunction {
    @EventFunction(
        name = "reader-schema",
        topics = "rt.versions",
        outputTopic = "rt.versions.read",
        readerSchema = "reader/reading-v1.avsc")
    GenericRecord handle(GenericRecord reading) {
      return reading;
    }
  }
}
