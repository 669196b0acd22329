package io.runnel.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.examples.iot.SensorReading;
import io.runnel.examples.iot.TemperatureAlert;
import io.runnel.function.EventContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A handler that takes an {@link EventContext}, called directly with a {@link TestEventContext}.
 */
class TestEventContextTest {

  /** Fans a hot reading out to two topics, the second keyed by the reading's site header. */
  static final class FanOutHandler {
    void handle(SensorReading reading, EventContext context) {
      if (reading.getTemperatureC() <= 80) {
        return;
      }
      TemperatureAlert alert =
          TemperatureAlert.newBuilder()
              .setDeviceId(context.key())
              .setTimestamp(context.timestamp())
              .setTemperatureC(reading.getTemperatureC())
              .setThreshold(80)
              .build();
      context.emitter().emit("iot.alerts", alert);
      String site =
          new String(context.headers().lastHeader("site").value(), StandardCharsets.UTF_8);
      context.emitter().emit("alerts." + context.functionName(), site, alert);
    }
  }

  static SensorReading reading(double temperatureC) {
    return SensorReading.newBuilder()
        .setDeviceId("d-1")
        .setTimestamp(Instant.EPOCH)
        .setTemperatureC(temperatureC)
        .build();
  }

  @Test
  void whatAHandlerEmitsIsRecordedInOrderWithTopicsAndKeys() {
    Instant time = Instant.parse("2026-11-30T12:00:00Z");
    TestEventContext context =
        TestEventContext.forKey("d-1")
            .withTopic("iot.telemetry")
            .withTimestamp(time)
            .withFunctionName("fan-out")
            .withHeader("site", "roof");

    new FanOutHandler().handle(reading(85.5), context);

    assertThat(context.emitted())
        .extracting(TestEventContext.Emitted::topic, TestEventContext.Emitted::key)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple("iot.alerts", "d-1"),
            org.assertj.core.api.Assertions.tuple("alerts.fan-out", "roof"));
    TemperatureAlert alert = context.emittedValues("iot.alerts", TemperatureAlert.class).get(0);
    assertThat(alert.getDeviceId()).isEqualTo("d-1");
    assertThat(alert.getTimestamp()).isEqualTo(time);
    assertThat(alert.getTemperatureC()).isEqualTo(85.5);
  }

  @Test
  void aHandlerThatEmitsNothingLeavesNothingRecorded() {
    TestEventContext context = TestEventContext.forKey("d-1").withHeader("site", "roof");
    new FanOutHandler().handle(reading(20), context);
    assertThat(context.emitted()).isEmpty();
  }

  @Test
  void theContextDescribesTheRecordItWasGiven() {
    TestEventContext context =
        TestEventContext.forKey("d-1").withTopic("t").withPartition(3).withOffset(42);
    assertThat(context.key()).isEqualTo("d-1");
    assertThat(context.rawKey()).isEqualTo("d-1".getBytes(StandardCharsets.UTF_8));
    assertThat(context.topic()).isEqualTo("t");
    assertThat(context.partition()).isEqualTo(3);
    assertThat(context.offset()).isEqualTo(42);
    assertThat(TestEventContext.forKey(null).rawKey()).isNull();
  }

  @Test
  void readingAnEmittedValueAsAnotherTypeFailsNamingBoth() {
    TestEventContext context = TestEventContext.forKey("d-1");
    context.emitter().emit("out", reading(1));
    assertThatThrownBy(() -> context.emittedValues("out", TemperatureAlert.class))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(SensorReading.class.getName())
        .hasMessageContaining(TemperatureAlert.class.getName());
  }
}
