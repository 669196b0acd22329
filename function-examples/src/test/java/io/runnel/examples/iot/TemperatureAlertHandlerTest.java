package io.runnel.examples.iot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The handler as a plain method call: no broker, no registry, no context. What runs on Kafka is
 * tested in {@link TemperatureAlertFunctionTest}.
 */
class TemperatureAlertHandlerTest {

  private final TemperatureAlertFunction function = new TemperatureAlertFunction(80.0);

  private static SensorReading reading(double temperatureC) {
    return SensorReading.newBuilder()
        .setDeviceId("d-1")
        .setTimestamp(Instant.ofEpochMilli(1_700_000_000_000L))
        .setTemperatureC(temperatureC)
        .build();
  }

  @Test
  void aReadingAboveTheThresholdBecomesAnAlertCarryingIt() {
    TemperatureAlert alert = function.handle(reading(85.5));
    assertThat(alert.getDeviceId()).isEqualTo("d-1");
    assertThat(alert.getTimestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(alert.getTemperatureC()).isEqualTo(85.5);
    assertThat(alert.getThreshold()).isEqualTo(80.0);
  }

  @Test
  void aReadingAtOrBelowTheThresholdRaisesNothing() {
    assertThat(function.handle(reading(80.0))).isNull();
    assertThat(function.handle(reading(20.0))).isNull();
  }
}
