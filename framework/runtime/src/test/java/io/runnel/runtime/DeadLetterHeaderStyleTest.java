package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventFunction;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each {@link DeadLetterHeaderStyle} names the reason of a dead letter as its framework does, and
 * carries none of the other styles' headers. One context per style, each on its own topic.
 */
@RunnelTest(startContext = false)
class DeadLetterHeaderStyleTest {

  /** The first header name of each style: a dead letter carries its style's and no other. */
  private static final Map<DeadLetterHeaderStyle, String> PREFIXES =
      Map.of(
          DeadLetterHeaderStyle.RUNNEL, "runnel.error.",
          DeadLetterHeaderStyle.SPRING, "kafka_dlt-",
          DeadLetterHeaderStyle.SMALLRYE, "dead-letter-",
          DeadLetterHeaderStyle.CONNECT, "__connect.errors.");

  @Singleton
  @Requires(property = "runnel.test.suite", value = "header-styles")
  static class RejectingFunction {
    @EventFunction(name = "rejecting", topics = "unset", maxAttempts = 1)
    void handle(SensorReading reading) {
      throw new IllegalArgumentException(
          "rejected " + reading.getDeviceId(), new IllegalStateException("sensor offline"));
    }
  }

  @ParameterizedTest
  @EnumSource(DeadLetterHeaderStyle.class)
  void deadLettersCarryTheHeadersOfTheConfiguredStyle(
      DeadLetterHeaderStyle style, RunnelTestKit kit) {
    String name = style.name().toLowerCase(Locale.ROOT);
    String topic = "style." + name + ".in";
    String group = "style-" + name;
    ReceivedRecord dead;
    try (ApplicationContext context =
        ApplicationContext.builder()
            .environments("test")
            .properties(
                Map.of(
                    "runnel.test.suite",
                    "header-styles",
                    "runnel.kafka.bootstrap-servers",
                    kit.bootstrapServers(),
                    "runnel.schema-registry.url",
                    kit.registryUrl(),
                    "runnel.runtime.dead-letter-header-style",
                    style.name(),
                    "runnel.functions.rejecting.topics",
                    topic,
                    "runnel.functions.rejecting.group",
                    group))
            .start()) {
      kit.send(
          topic,
          "d",
          SensorReading.newBuilder()
              .setDeviceId("d")
              .setTimestamp(Instant.now())
              .setTemperatureC(1)
              .build());
      dead = kit.awaitRecords(topic + ".dlq", 1, r -> true).get(0);
    }
    assertThat(dead.key()).isEqualTo("d");
    assertThat(dead.value(SensorReading.class).getDeviceId()).hasToString("d");
    switch (style) {
      case RUNNEL -> {
        assertThat(dead.header("runnel.error.exception.class"))
            .isEqualTo(IllegalArgumentException.class.getName());
        assertThat(dead.header("runnel.error.exception.message")).isEqualTo("rejected d");
        assertThat(dead.header("runnel.error.stage")).isEqualTo("invoke");
        assertThat(dead.header("runnel.error.original.topic")).isEqualTo(topic);
        assertThat(dead.header("runnel.error.original.partition")).isEqualTo("0");
        assertThat(dead.header("runnel.error.original.offset")).isEqualTo("0");
        assertThat(dead.header("runnel.error.consumer.group")).isEqualTo(group);
        assertThat(dead.header("runnel.error.function")).isEqualTo("rejecting");
        assertThat(dead.header("runnel.error.attempts")).isEqualTo("1");
      }
      case SPRING -> {
        assertThat(dead.header("kafka_dlt-exception-fqcn"))
            .isEqualTo(IllegalArgumentException.class.getName());
        assertThat(dead.header("kafka_dlt-exception-cause-fqcn"))
            .isEqualTo(IllegalStateException.class.getName());
        assertThat(dead.header("kafka_dlt-exception-message")).isEqualTo("rejected d");
        assertThat(dead.header("kafka_dlt-exception-stacktrace"))
            .contains("RejectingFunction.handle");
        assertThat(dead.header("kafka_dlt-original-topic")).isEqualTo(topic);
        assertThat(dead.header("kafka_dlt-original-consumer-group")).isEqualTo(group);
        assertThat(dead.rawHeader("kafka_dlt-original-partition")).containsExactly(0, 0, 0, 0);
        assertThat(dead.rawHeader("kafka_dlt-original-offset"))
            .containsExactly(0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(dead.rawHeader("kafka_dlt-original-timestamp")).hasSize(8);
      }
      case SMALLRYE -> {
        assertThat(dead.header("dead-letter-exception-class-name"))
            .isEqualTo(IllegalArgumentException.class.getName());
        assertThat(dead.header("dead-letter-reason")).isEqualTo("rejected d");
        assertThat(dead.header("dead-letter-cause-class-name"))
            .isEqualTo(IllegalStateException.class.getName());
        assertThat(dead.header("dead-letter-cause")).isEqualTo("sensor offline");
        assertThat(dead.header("dead-letter-topic")).isEqualTo(topic);
        assertThat(dead.header("dead-letter-partition")).isEqualTo("0");
        assertThat(dead.header("dead-letter-offset")).isEqualTo("0");
      }
      case CONNECT -> {
        assertThat(dead.header("__connect.errors.topic")).isEqualTo(topic);
        assertThat(dead.header("__connect.errors.partition")).isEqualTo("0");
        assertThat(dead.header("__connect.errors.offset")).isEqualTo("0");
        assertThat(dead.header("__connect.errors.connector.name")).isEqualTo("rejecting");
        assertThat(dead.header("__connect.errors.task.id")).isEqualTo("0");
        assertThat(dead.header("__connect.errors.stage")).isEqualTo("TASK_PUT");
        assertThat(dead.header("__connect.errors.class.name"))
            .isEqualTo(RejectingFunction.class.getName());
        assertThat(dead.header("__connect.errors.exception.class.name"))
            .isEqualTo(IllegalArgumentException.class.getName());
        assertThat(dead.header("__connect.errors.exception.message")).isEqualTo("rejected d");
        assertThat(dead.header("__connect.errors.exception.stacktrace"))
            .contains("RejectingFunction.handle");
      }
    }
    List<String> otherPrefixes =
        PREFIXES.entrySet().stream()
            .filter(entry -> entry.getKey() != style)
            .map(Map.Entry::getValue)
            .toList();
    assertThat(dead.headers().keySet())
        .noneMatch(header -> otherPrefixes.stream().anyMatch(header::startsWith));
  }
}
