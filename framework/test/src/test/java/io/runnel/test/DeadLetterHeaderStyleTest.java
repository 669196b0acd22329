package io.runnel.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.annotation.Requires;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventFunction;
import jakarta.inject.Singleton;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@RunnelTest(
    properties = {
      "runnel.test.suite=spring-style",
      "runnel.runtime.dead-letter-header-style=SPRING"
    })
class DeadLetterHeaderStyleTest {

  @Singleton
  @Requires(property = "runnel.test.suite", value = "spring-style")
  static class RejectingFunction {
    @EventFunction(name = "rejecting", topics = "style.in", maxAttempts = 1)
    void handle(SensorReading reading) {
      throw new IllegalArgumentException("rejected " + reading.getDeviceId());
    }
  }

  @Test
  void deadLettersCarrySpringKafkaHeadersWhenAsked(RunnelTestKit kit) {
    kit.send(
        "style.in",
        "d",
        SensorReading.newBuilder()
            .setDeviceId("d")
            .setTimestamp(Instant.now())
            .setTemperatureC(1)
            .build());
    ReceivedRecord dead = kit.awaitRecords("style.in.dlq", 1, r -> true).get(0);
    assertThat(dead.header("kafka_dlt-exception-fqcn"))
        .isEqualTo(IllegalArgumentException.class.getName());
    assertThat(dead.header("kafka_dlt-exception-message")).isEqualTo("rejected d");
    assertThat(dead.header("kafka_dlt-original-topic")).isEqualTo("style.in");
    assertThat(dead.header("kafka_dlt-original-consumer-group")).isEqualTo("runnel-rejecting");
    assertThat(dead.rawHeader("kafka_dlt-original-partition")).containsExactly(0, 0, 0, 0);
    assertThat(dead.rawHeader("kafka_dlt-original-offset")).hasSize(8);
    assertThat(dead.headers())
        .noneSatisfy((name, value) -> assertThat(name).startsWith("runnel.error."));
  }
}
