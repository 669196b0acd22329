package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.management.health.indicator.HealthResult;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.RunnelHeaders;
import io.runnel.streams.fixtures.DeviceStatistics;
import io.runnel.streams.fixtures.DeviceStatisticsTopology;
import io.runnel.support.KafkaSettings;
import io.runnel.test.HealthProbe;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The device statistics topology run by Runnel against the real broker and the dev registry: its
 * windows reach the output topic, an undecodable reading goes to {@code iot.telemetry.dlq} with the
 * {@code runnel.error.*} headers, and {@code /health} shows it UP.
 */
@RunnelTest(startContext = false)
class DeviceStatisticsOnKafkaTest {

  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final String HEALTH = "streams-device-stats";
  private static ApplicationContext context;

  @BeforeAll
  static void startTopology(RunnelTestKit kit) throws Exception {
    // Kafka Streams needs its source topic before it starts; one partition, so one reading moves
    // the stream time of every device on.
    // (Another test class of this JVM's broker may have made them already.)
    KafkaSettings kafka = new KafkaSettings();
    kafka.setBootstrapServers(kit.bootstrapServers());
    kafka.createTopicsIfMissing(
        List.of(
            new NewTopic(DeviceStatisticsTopology.INPUT, Optional.of(1), Optional.empty()),
            new NewTopic(DeviceStatisticsTopology.OUTPUT, Optional.of(1), Optional.empty())));
    context =
        ApplicationContext.run(
            Map.of(
                "runnel.kafka.bootstrap-servers", kit.bootstrapServers(),
                "runnel.schema-registry.url", kit.registryUrl(),
                "test.topology", "device-stats",
                "runnel.streams.device-stats.state.dir",
                    Files.createTempDirectory("device-stats").toString(),
                "runnel.streams.device-stats.commit.interval.ms", "100"));
  }

  @AfterAll
  static void stopTopology() {
    if (context != null) {
      context.close();
    }
  }

  @Test
  void theTopologyIsUpInHealthWithItsStateAndItsMetricsAreRegistered() {
    HealthResult health = HealthProbe.await(context, HEALTH, "UP", PATIENCE);
    assertThat(((Map<?, ?>) health.getDetails()).get("state")).isIn("RUNNING", "REBALANCING");
    assertThat(
            context.getBean(MeterRegistry.class).getMeters().stream()
                .filter(meter -> meter.getId().getName().startsWith("kafka.stream"))
                .filter(meter -> "device-stats".equals(meter.getId().getTag("topology"))))
        .isNotEmpty();
  }

  @Test
  void aMinutesStatisticsReachTheOutputTopicOnceTheMinuteCloses(RunnelTestKit kit) {
    Instant minute = Instant.parse("2026-11-30T10:00:00Z");
    kit.send(DeviceStatisticsTopology.INPUT, "d-1", reading("d-1", minute.plusSeconds(1), 20.0));
    kit.send(DeviceStatisticsTopology.INPUT, "d-1", reading("d-1", minute.plusSeconds(40), 26.0));
    kit.send(DeviceStatisticsTopology.INPUT, "d-1", reading("d-1", minute.plusSeconds(90), 30.0));

    DeviceStatistics statistics =
        kit.awaitRecords(
                DeviceStatisticsTopology.OUTPUT,
                1,
                record -> record.value(DeviceStatistics.class).getWindowStart().equals(minute),
                PATIENCE)
            .get(0)
            .value(DeviceStatistics.class);
    assertThat(statistics.getDeviceId()).isEqualTo("d-1");
    assertThat(statistics.getCount()).isEqualTo(2);
    assertThat(statistics.getMinTemperatureC()).isEqualTo(20.0);
    assertThat(statistics.getMaxTemperatureC()).isEqualTo(26.0);
    assertThat(statistics.getAvgTemperatureC()).isCloseTo(23.0, within(1e-9));
  }

  @Test
  void anUndecodableReadingGoesToTheDeadLetterTopicWithTheReason(RunnelTestKit kit) {
    kit.sendRaw(
        DeviceStatisticsTopology.INPUT,
        "broken",
        "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8));

    ReceivedRecord deadLetter =
        kit.awaitRecords(
                DeviceStatisticsTopology.INPUT + ".dlq",
                1,
                record -> "broken".equals(record.key()),
                PATIENCE)
            .get(0);
    assertThat(deadLetter.header(RunnelHeaders.ERROR_STAGE)).isEqualTo("decode");
    assertThat(deadLetter.header(RunnelHeaders.ERROR_ORIGINAL_TOPIC))
        .isEqualTo(DeviceStatisticsTopology.INPUT);
    assertThat(deadLetter.header(RunnelHeaders.ERROR_FUNCTION)).isEqualTo("device-stats");
    assertThat(deadLetter.header(RunnelHeaders.ERROR_CONSUMER_GROUP))
        .isEqualTo("runnel-device-stats");
    assertThat(deadLetter.header(RunnelHeaders.ERROR_EXCEPTION_MESSAGE)).contains("magic byte");
    assertThat(
            context
                .getBean(MeterRegistry.class)
                .counter(
                    "runnel.streams.dead.letters", "topology", "device-stats", "stage", "decode")
                .count())
        .isEqualTo(1.0);
    HealthResult health = HealthProbe.await(context, HEALTH, "UP", PATIENCE);
    assertThat(((Map<?, ?>) health.getDetails()).get("deadLetters")).isEqualTo(1L);
  }

  private static SensorReading reading(String device, Instant at, double temperatureC) {
    return SensorReading.newBuilder()
        .setDeviceId(device)
        .setTimestamp(at)
        .setTemperatureC(temperatureC)
        .build();
  }
}
