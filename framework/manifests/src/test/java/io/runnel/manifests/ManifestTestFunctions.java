package io.runnel.manifests;

import io.micronaut.context.annotation.Requires;
import io.runnel.examples.iot.DeviceCommand;
import io.runnel.examples.iot.SensorReading;
import io.runnel.examples.iot.TemperatureAlert;
import io.runnel.function.EventContext;
import io.runnel.function.EventFunction;
import jakarta.inject.Singleton;

/** The function app the manifests tests generate for: one function of each delivery guarantee. */
final class ManifestTestFunctions {

  private ManifestTestFunctions() {}

  /** At-least-once, with an output topic and two retry topics. */
  @Singleton
  static class TemperatureAlerts {
    @EventFunction(
        name = "temperature-alert",
        topics = "iot.telemetry",
        outputTopic = "iot.alerts",
        retryTopicDelaysMs = {1000, 10000})
    TemperatureAlert alert(SensorReading reading) {
      return null;
    }
  }

  /** Exactly-once, reading two topics, in its own group, with a configured dead-letter topic. */
  @Singleton
  static class DeviceCommands {
    @EventFunction(
        name = "device-commands",
        topics = {"iot.alerts", "iot.manual"},
        group = "commands",
        outputTopic = "iot.commands",
        deadLetterTopic = "iot.commands.failed",
        exactlyOnce = true)
    DeviceCommand command(TemperatureAlert alert) {
      return null;
    }
  }

  /**
   * Keeps a keyed store and reads a global table; only where a test enables it ({@code
   * runnel.functions.device-counts.enabled}).
   */
  @Singleton
  @Requires(property = "runnel.functions.device-counts.enabled", value = "true")
  static class DeviceCounts {
    @EventFunction(
        name = "device-counts",
        topics = "iot.telemetry",
        stores = "counts",
        globalTables = "iot.devices")
    void count(SensorReading reading, EventContext context) {}
  }
}
