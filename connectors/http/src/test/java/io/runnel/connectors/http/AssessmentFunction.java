package io.runnel.connectors.http;

import io.runnel.examples.iot.SensorReading;
import io.runnel.examples.iot.TemperatureAlert;
import io.runnel.function.EventFunction;
import jakarta.inject.Singleton;

/** A request-reply function for the gateway tests: answers with the reading against a threshold. */
@Singleton
class AssessmentFunction {

  @EventFunction(name = "assess", topics = "http.assess", group = "http-assess")
  @HttpTrigger(
      path = "/assess",
      key = "body.deviceId",
      mode = HttpTrigger.Mode.REQUEST_REPLY,
      replyTimeoutMs = 1_500)
  TemperatureAlert assess(SensorReading reading) {
    if (reading.getDeviceId().equals("silent")) {
      return null; // no reply: the caller gets 504
    }
    return TemperatureAlert.newBuilder()
        .setDeviceId(reading.getDeviceId())
        .setTimestamp(reading.getTimestamp())
        .setTemperatureC(reading.getTemperatureC())
        .setThreshold(reading.getTemperatureC() > 80 ? 80.0 : 0.0)
        .build();
  }
}
