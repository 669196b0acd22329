package io.runnel.streams.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.RunnelHeaders;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.streams.AvroSerdes;
import io.runnel.support.ComponentStatus;
import io.runnel.support.CounterFamily;
import io.runnel.support.KafkaSettings;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Runnel's dead-letter handlers in a topology on {@link TopologyTestDriver}, configured as Runnel
 * configures a running topology: what cannot be read or written goes to the dead-letter topic with
 * the {@code runnel.error.*} headers, and the records after it go on.
 */
@RunnelTest(startContext = false)
class DeadLetterHandlersTest {

  @Test
  void anUndecodableRecordGoesToTheSourcesDeadLetterTopicAndTheNextIsRead(RunnelTestKit kit) {
    AvroSerdes serdes = serdes(kit);
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("readings", Consumed.with(Serdes.String(), serdes.value(SensorReading.class)))
        .mapValues(reading -> reading.getDeviceId())
        .to("devices", Produced.with(Serdes.String(), Serdes.String()));
    ComponentStatus<KafkaStreams.State> status = RunningTopology.newStatus("decoding");
    try (TopologyTestDriver driver =
        new TopologyTestDriver(builder.build(), config("decoding", null, status))) {
      TestInputTopic<String, byte[]> raw =
          driver.createInputTopic(
              "readings", Serdes.String().serializer(), new ByteArraySerializer());
      TestInputTopic<String, SensorReading> readings =
          driver.createInputTopic(
              "readings",
              Serdes.String().serializer(),
              serdes.value(SensorReading.class).serializer());

      raw.pipeInput(
          new TestRecord<>(
              "d-1", "not avro".getBytes(StandardCharsets.UTF_8), Instant.ofEpochMilli(1000)));
      readings.pipeInput("d-2", reading("d-2"));

      assertThat(
              outputs(driver, "devices").readValuesToList().stream()
                  .map(value -> new String(value, StandardCharsets.UTF_8)))
          .as("the record after the bad one")
          .containsExactly("d-2");
      TestRecord<byte[], byte[]> deadLetter = outputs(driver, "readings.dlq").readRecord();
      assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
      assertThat(new String(deadLetter.key(), StandardCharsets.UTF_8)).isEqualTo("d-1");
      Headers headers = deadLetter.headers();
      assertThat(header(headers, RunnelHeaders.ERROR_STAGE)).isEqualTo("decode");
      assertThat(header(headers, RunnelHeaders.ERROR_ORIGINAL_TOPIC)).isEqualTo("readings");
      assertThat(header(headers, RunnelHeaders.ERROR_ORIGINAL_PARTITION)).isEqualTo("0");
      assertThat(header(headers, RunnelHeaders.ERROR_ORIGINAL_OFFSET)).isEqualTo("0");
      assertThat(header(headers, RunnelHeaders.ERROR_ORIGINAL_TIMESTAMP)).isEqualTo("1000");
      assertThat(header(headers, RunnelHeaders.ERROR_FUNCTION)).isEqualTo("decoding");
      assertThat(header(headers, RunnelHeaders.ERROR_CONSUMER_GROUP)).isEqualTo("runnel-decoding");
      assertThat(header(headers, RunnelHeaders.ERROR_ATTEMPTS)).isEqualTo("0");
      assertThat(header(headers, RunnelHeaders.ERROR_EXCEPTION_CLASS))
          .isEqualTo(SerializationException.class.getName());
      assertThat(header(headers, RunnelHeaders.ERROR_EXCEPTION_MESSAGE)).contains("magic byte");
      assertThat(header(headers, RunnelHeaders.ERROR_FAILED_AT)).isNotBlank();
      assertThat(status.read().counter(DeadLetters.COUNTER)).isEqualTo(1);
    }
  }

  @Test
  void anOutputThatDoesNotSerializeSendsItsSourceRecordToTheConfiguredDeadLetterTopic() {
    Serializer<String> refusing =
        (topic, value) -> {
          if (value.startsWith("bad")) {
            throw new SerializationException("cannot write " + value);
          }
          return value.getBytes(StandardCharsets.UTF_8);
        };
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("words", Consumed.with(Serdes.String(), Serdes.String()))
        .to(
            "copies",
            Produced.with(
                Serdes.String(), Serdes.serdeFrom(refusing, Serdes.String().deserializer())));
    ComponentStatus<KafkaStreams.State> status = RunningTopology.newStatus("copying");
    try (TopologyTestDriver driver =
        new TopologyTestDriver(builder.build(), config("copying", "copying.dead", status))) {
      TestInputTopic<String, String> words =
          driver.createInputTopic(
              "words", Serdes.String().serializer(), Serdes.String().serializer());
      words.pipeInput("k", "bad word");
      words.pipeInput("k", "good word");

      assertThat(outputs(driver, "copies").readValuesToList()).hasSize(1);
      TestRecord<byte[], byte[]> deadLetter = outputs(driver, "copying.dead").readRecord();
      assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("bad word");
      Headers headers = deadLetter.headers();
      assertThat(header(headers, RunnelHeaders.ERROR_STAGE)).isEqualTo("encode");
      assertThat(header(headers, RunnelHeaders.ERROR_TARGET_TOPIC)).isEqualTo("copies");
      assertThat(header(headers, RunnelHeaders.ERROR_ORIGINAL_TOPIC)).isEqualTo("words");
      assertThat(header(headers, RunnelHeaders.ERROR_ATTEMPTS)).isEqualTo("1");
      assertThat(header(headers, RunnelHeaders.ERROR_EXCEPTION_MESSAGE))
          .isEqualTo("cannot write bad word");
    }
  }

  /** The configuration Runnel gives topology {@code name}, with no cluster to reach. */
  private static java.util.Properties config(
      String name, String deadLetterTopic, ComponentStatus<KafkaStreams.State> status) {
    Map<String, Object> properties =
        deadLetterTopic == null
            ? Map.of()
            : Map.of("runnel.streams." + name + ".dead-letter-topic", deadLetterTopic);
    TopologySettings settings =
        TopologySettings.read(
            new PropertySourcePropertyResolver(PropertySource.of("test", properties)), name);
    KafkaSettings kafka = new KafkaSettings();
    kafka.setBootstrapServers("unused:9092");
    return settings.streamsConfig(
        kafka,
        new DeadLetters(
            name,
            settings.applicationId(),
            settings.deadLetterTopic(),
            CounterFamily.of(null, "unused", "unused", "topology", "stage"),
            status));
  }

  private static TestOutputTopic<byte[], byte[]> outputs(TopologyTestDriver driver, String topic) {
    return driver.createOutputTopic(
        topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static String header(Headers headers, String name) {
    return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static AvroSerdes serdes(RunnelTestKit kit) {
    return new AvroSerdes(
        new SchemaRegistryClient(kit.registryUrl(), Duration.ofSeconds(60), null), true);
  }

  private static SensorReading reading(String device) {
    return SensorReading.newBuilder()
        .setDeviceId(device)
        .setTimestamp(Instant.ofEpochMilli(2000))
        .setTemperatureC(21.5)
        .build();
  }
}
