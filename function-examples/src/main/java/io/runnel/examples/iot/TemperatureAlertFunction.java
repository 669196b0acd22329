package io.runnel.examples.iot;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import io.runnel.connectors.http.HttpTrigger;
import io.runnel.function.EventFunction;
import jakarta.inject.Singleton;

/**
 * Raises a {@link TemperatureAlert} on {@code iot.alerts} for every {@link SensorReading} on {@code
 * iot.telemetry} hotter than {@code runnel.examples.iot.alert-threshold} (80.0 °C by default).
 * Readings also come over HTTP: {@code POST /readings} with the reading as JSON, when the HTTP
 * gateway runs in the same application (dev mode).
 */
@Singleton
public class TemperatureAlertFunction {

  private final double threshold;

  public TemperatureAlertFunction(
      @Value("${runnel.examples.iot.alert-threshold:80.0}") double threshold) {
    if (!Double.isFinite(threshold)) {
      throw new ConfigurationException(
          "runnel.examples.iot.alert-threshold must be a finite number of degrees Celsius, was "
              + threshold);
    }
    this.threshold = threshold;
  }

  @EventFunction(
      name = "temperature-alert",
      topics = "iot.telemetry",
      group = "iot-temperature-alerts",
      outputTopic = "iot.alerts")
  @HttpTrigger(path = "/readings", key = "body.deviceId")
  public TemperatureAlert handle(SensorReading reading) {
    if (reading.getTemperatureC() <= threshold) {
      return null;
    }
    return TemperatureAlert.newBuilder()
        .setDeviceId(reading.getDeviceId())
        .setTimestamp(reading.getTimestamp())
        .setTemperatureC(reading.getTemperatureC())
        .setThreshold(threshold)
        .build();
  }
}
