package io.runnel.streams.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import io.micronaut.context.exceptions.ConfigurationException;
import io.runnel.support.CounterFamily;
import io.runnel.support.KafkaSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** {@code runnel.streams.<name>.*}: Runnel's settings, Kafka's passed through, both checked. */
class TopologySettingsTest {

  @Test
  void defaultsGiveTheApplicationIdRunnelDashNameAndRunnelsHandlers() {
    TopologySettings settings = read(Map.of());
    assertThat(settings.enabled()).isTrue();
    assertThat(settings.closeTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.deadLetterTopic()).isNull();

    Properties config =
        config(settings, Map.of("security.protocol", "SSL"), Map.of("linger.ms", "7"));
    assertThat(config)
        .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "runnel-device-stats")
        .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092")
        .containsEntry(
            StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            DeadLetterDeserializationHandler.class.getName())
        .containsEntry(
            StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
            DeadLetterProductionHandler.class.getName())
        .containsEntry("consumer.security.protocol", "SSL")
        .containsEntry("admin.security.protocol", "SSL")
        .containsEntry("producer.linger.ms", "7");
  }

  @Test
  void anyKafkaStreamsOrClientPropertyIsPassedThroughAndWins() {
    TopologySettings settings =
        read(
            Map.of(
                "runnel.streams.device-stats.application.id", "stats-v2",
                "runnel.streams.device-stats.num.stream.threads", 3,
                "runnel.streams.device-stats.processing.guarantee", "exactly_once_v2",
                "runnel.streams.device-stats.max.poll.records", "50",
                "runnel.streams.device-stats.producer.compression.type", "zstd",
                "runnel.streams.device-stats.close-timeout", "5s",
                "runnel.streams.device-stats.dead-letter-topic", "stats.dlq"));
    assertThat(settings.applicationId()).isEqualTo("stats-v2");
    assertThat(settings.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.deadLetterTopic()).isEqualTo("stats.dlq");
    assertThat(config(settings, Map.of(), Map.of()))
        .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "stats-v2")
        .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "3")
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2")
        .containsEntry("max.poll.records", "50")
        .containsEntry("producer.compression.type", "zstd")
        .doesNotContainKey("close-timeout");
  }

  @Test
  void aPropertyKafkaDoesNotKnowFailsNamingTheSetting() {
    assertThatThrownBy(() -> read(Map.of("runnel.streams.device-stats.num.stream.thread", "2")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("runnel.streams.device-stats.num.stream.thread is neither");
  }

  @Test
  void aValueKafkaRefusesFailsNamingTheSetting() {
    assertThatThrownBy(() -> read(Map.of("runnel.streams.device-stats.num.stream.threads", "many")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("runnel.streams.device-stats.num.stream.threads")
        .hasMessageContaining("many");
    assertThatThrownBy(
            () -> read(Map.of("runnel.streams.device-stats.processing.guarantee", "twice")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("runnel.streams.device-stats.processing.guarantee");
    assertThatThrownBy(() -> read(Map.of("runnel.streams.device-stats.close-timeout", "soon")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("runnel.streams.device-stats.close-timeout");
  }

  @Test
  void anEntryThatNamesNoTopologyFailsNamingIt() {
    assertThatThrownBy(
            () ->
                TopologySettings.rejectUnknownNames(
                    resolver(Map.of("runnel.streams.device-stat.enabled", "false")),
                    java.util.Set.of("device-stats")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("runnel.streams.device-stat configures no known topology")
        .hasMessageContaining("device-stats");
  }

  private static TopologySettings read(Map<String, Object> properties) {
    return TopologySettings.read(resolver(properties), "device-stats");
  }

  private static PropertySourcePropertyResolver resolver(Map<String, Object> properties) {
    return new PropertySourcePropertyResolver(PropertySource.of("test", properties));
  }

  private static Properties config(
      TopologySettings settings, Map<String, String> consumer, Map<String, String> producer) {
    KafkaSettings kafka = new KafkaSettings();
    kafka.setBootstrapServers("kafka:9092");
    kafka.setConsumer(consumer);
    kafka.setProducer(producer);
    return settings.streamsConfig(
        kafka,
        new DeadLetters(
            settings.name(),
            settings.applicationId(),
            settings.deadLetterTopic(),
            CounterFamily.of(null, "unused", "unused", "topology", "stage"),
            RunningTopology.newStatus(settings.name())));
  }
}
