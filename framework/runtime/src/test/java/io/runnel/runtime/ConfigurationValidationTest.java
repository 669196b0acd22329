package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.runnel.support.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A wrong or missing setting stops start-up with a message naming it. */
class ConfigurationValidationTest {

  static Map<String, Object> valid() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("runnel.test.suite", "runtime");
    properties.put("runnel.kafka.bootstrap-servers", "localhost:1");
    properties.put("runnel.schema-registry.url", "http://localhost:1");
    return properties;
  }

  static void assertStartFails(Map<String, Object> properties, String... expectedInMessage) {
    assertThatThrownBy(() -> ApplicationContext.run(properties).close())
        .satisfies(
            e -> {
              StringBuilder messages = new StringBuilder();
              for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
              }
              org.assertj.core.api.Assertions.assertThat(messages.toString())
                  .contains(expectedInMessage);
            });
  }

  @Test
  void missingBootstrapServersIsNamed() {
    Map<String, Object> properties = valid();
    properties.remove("runnel.kafka.bootstrap-servers");
    assertStartFails(properties, "runnel.kafka.bootstrap-servers is not set");
  }

  @Test
  void malformedBootstrapServersIsNamed() {
    Map<String, Object> properties = valid();
    properties.put("runnel.kafka.bootstrap-servers", "localhost:9092,kafka-without-port");
    assertStartFails(
        properties, "runnel.kafka.bootstrap-servers", "kafka-without-port", "host:port");
  }

  @Test
  void missingOrMalformedRegistryUrlIsNamed() {
    Map<String, Object> properties = valid();
    properties.remove("runnel.schema-registry.url");
    assertStartFails(properties, "runnel.schema-registry.url is not set");
    properties.put("runnel.schema-registry.url", "localhost:8081");
    assertStartFails(properties, "runnel.schema-registry.url", "localhost:8081");
  }

  @Test
  void negativeRegistryWaitsAreNamed() {
    Map<String, Object> properties = valid();
    properties.put("runnel.schema-registry.unreachable-wait", "-1s");
    assertStartFails(properties, "runnel.schema-registry.unreachable-wait must not be negative");
    properties = valid();
    properties.put("runnel.schema-registry.request-timeout", "0s");
    assertStartFails(properties, "runnel.schema-registry.request-timeout must be positive");
  }

  @Test
  void badRestartBackoffsAreNamed() {
    Map<String, Object> properties = valid();
    properties.put("runnel.runtime.restart-backoff.initial", "0s");
    assertStartFails(properties, "runnel.runtime.restart-backoff.initial must be positive");
    properties = valid();
    properties.put("runnel.runtime.restart-backoff.initial", "10s");
    properties.put("runnel.runtime.restart-backoff.max", "5s");
    assertStartFails(
        properties,
        "runnel.runtime.restart-backoff.max must not be shorter than"
            + " runnel.runtime.restart-backoff.initial");
  }

  @Test
  void badHealthCheckTimesAreNamed() {
    Map<String, Object> properties = valid();
    properties.put("runnel.runtime.health.check-interval", "-1s");
    assertStartFails(properties, "runnel.runtime.health.check-interval must be positive");
  }

  @Test
  void aScalingIntervalThatIsNotPositiveIsNamed() {
    Map<String, Object> properties = valid();
    properties.put("runnel.scaling.interval", "0s");
    assertStartFails(properties, "runnel.scaling.interval must be positive");
  }

  @Test
  void aScalingSettingOutOfRangeIsNamed() {
    Map<String, Object> properties = valid();
    properties.put("runnel.functions.convert.scaling.target-lag", "0");
    assertStartFails(properties, "runnel.functions.convert.scaling.target-lag must be at least 1");
  }

  @Test
  void overrideForAnUnknownFunctionIsNamed() {
    Map<String, Object> properties = valid();
    properties.put("runnel.functions.no-such-function.max-attempts", "2");
    assertStartFails(properties, "runnel.functions.no-such-function", "convert");
  }

  @Test
  void invalidOverrideValueIsNamed() {
    Map<String, Object> properties = valid();
    properties.put("runnel.functions.failing.max-attempts", "0");
    assertStartFails(properties, "runnel.functions.failing.max-attempts must be at least 1");
  }

  @Test
  void invalidConcurrencySettingsAreNamed() {
    Map<String, Object> properties = valid();
    properties.put("runnel.functions.failing.min-concurrency", "0");
    assertStartFails(properties, "runnel.functions.failing.min-concurrency must be at least 1");
    properties = valid();
    properties.put("runnel.functions.failing.latency-tolerance", "1.0");
    assertStartFails(properties, "runnel.functions.failing.latency-tolerance must be above 1");
    properties = valid();
    properties.put("runnel.functions.failing.concurrency-policy", "SOMETIMES");
    assertStartFails(properties, "runnel.functions.failing.concurrency-policy must be");
  }

  @Test
  void aGroupProtocolThatIsNotClassicOrConsumerIsNamed() {
    Map<String, Object> properties = valid();
    properties.put("runnel.runtime.group-protocol", "eager");
    assertStartFails(properties, "runnel.runtime.group-protocol");
  }

  @Test
  void consumerSettingsThatContradictTheGroupProtocolAreNamed() {
    Map<String, Object> properties = valid();
    properties.put("runnel.runtime.group-protocol", "consumer");
    properties.put("runnel.kafka.consumer.group.protocol", "classic");
    assertStartFails(
        properties,
        "runnel.kafka.consumer.group.protocol is classic but runnel.runtime.group-protocol is"
            + " consumer");
    properties.remove("runnel.kafka.consumer.group.protocol");
    properties.put("runnel.kafka.consumer.session.timeout.ms", "6000");
    assertStartFails(
        properties,
        "runnel.kafka.consumer.session.timeout.ms does not apply with"
            + " runnel.runtime.group-protocol=consumer");
  }

  @Test
  void aReaderSchemaForAFunctionOfAGeneratedClassIsNamed() {
    Map<String, Object> properties = valid();
    properties.put("runnel.functions.convert.reader-schema", "reader/reading-v1.avsc");
    assertStartFails(
        properties,
        "runnel.functions.convert.reader-schema is for GenericRecord functions",
        "io.runnel.examples.iot.SensorReading");
  }

  @Test
  void kafkaClientPropertiesArePassedThroughWithTheirDottedNames() {
    Map<String, Object> properties = valid();
    properties.put("runnel.runtime.enabled", "false");
    properties.put("runnel.kafka.consumer.max.poll.records", "10");
    properties.put("runnel.kafka.consumer.group.instance.id", "instance-1");
    properties.put("runnel.kafka.producer.compression.type", "zstd");
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      KafkaSettings kafka = context.getBean(KafkaSettings.class);
      org.assertj.core.api.Assertions.assertThat(kafka.getConsumer())
          .containsEntry("max.poll.records", "10")
          .containsEntry("group.instance.id", "instance-1");
      org.assertj.core.api.Assertions.assertThat(kafka.getProducer())
          .containsEntry("compression.type", "zstd");
    }
  }
}
