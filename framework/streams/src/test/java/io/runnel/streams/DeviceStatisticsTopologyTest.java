package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.runnel.examples.iot.SensorReading;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.streams.fixtures.DeviceStatistics;
import io.runnel.streams.fixtures.DeviceStatisticsTopology;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-device one-minute statistics, on Kafka Streams' {@link TopologyTestDriver} (no broker;
 * the dev registry for the Avro serdes): windows by the readings' time, closed after their grace.
 */
@RunnelTest(startContext = false)
class DeviceStatisticsTopologyTest {

  private static final Instant MINUTE = Instant.parse("2026-11-30T10:00:00Z");

  private TopologyTestDriver driver;
  private TestInputTopic<String, SensorReading> readings;
  private TestOutputTopic<String, DeviceStatistics> statistics;

  @BeforeEach
  void startDriver(RunnelTestKit kit) {
    AvroSerdes serdes =
        new AvroSerdes(
            new SchemaRegistryClient(kit.registryUrl(), Duration.ofSeconds(60), null), true);
    StreamsBuilder builder = new StreamsBuilder();
    new DeviceStatisticsTopology(serdes).build(builder);
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "device-stats-test");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(builder.build(), config);
    readings =
        driver.createInputTopic(
            DeviceStatisticsTopology.INPUT,
            Serdes.String().serializer(),
            serdes.value(SensorReading.class).serializer());
    statistics =
        driver.createOutputTopic(
            DeviceStatisticsTopology.OUTPUT,
            Serdes.String().deserializer(),
            serdes.value(DeviceStatistics.class).deserializer());
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  void eachDeviceGetsMinMaxMeanAndCountOfItsMinuteOnceTheWindowCloses() {
    read("d-1", 0, 20.0);
    read("d-2", 5, 30.0);
    read("d-1", 30, 24.0);
    read("d-1", 59, 19.0);
    assertThat(statistics.isEmpty()).as("nothing before the window closes").isTrue();

    // A reading past the minute and its grace moves stream time on: the first minute closes.
    read("d-2", 60 + 11, 31.0);

    Map<String, DeviceStatistics> byDevice =
        statistics.readValuesToList().stream()
            .collect(Collectors.toMap(DeviceStatistics::getDeviceId, Function.identity()));
    assertThat(byDevice).containsOnlyKeys("d-1", "d-2");
    DeviceStatistics first = byDevice.get("d-1");
    assertThat(first.getCount()).isEqualTo(3);
    assertThat(first.getMinTemperatureC()).isEqualTo(19.0);
    assertThat(first.getMaxTemperatureC()).isEqualTo(24.0);
    assertThat(first.getAvgTemperatureC()).isCloseTo(21.0, within(1e-9));
    assertThat(first.getWindowStart()).isEqualTo(MINUTE);
    assertThat(first.getWindowEnd()).isEqualTo(MINUTE.plus(DeviceStatisticsTopology.WINDOW));
    DeviceStatistics second = byDevice.get("d-2");
    assertThat(second.getCount()).isEqualTo(1);
    assertThat(second.getAvgTemperatureC()).isEqualTo(30.0);
  }

  @Test
  void aLateReadingWithinTheGraceCountsInItsMinute() {
    read("d-1", 10, 20.0);
    read("d-1", 65, 22.0);
    read("d-1", 50, 26.0); // late, but within the ten seconds of grace
    read("d-1", 60 + 11, 23.0);

    DeviceStatistics first = statistics.readValue();
    assertThat(first.getWindowStart()).isEqualTo(MINUTE);
    assertThat(first.getCount()).isEqualTo(2);
    assertThat(first.getMaxTemperatureC()).isEqualTo(26.0);
  }

  private void read(String device, int second, double temperatureC) {
    Instant at = MINUTE.plusSeconds(second);
    readings.pipeInput(
        device,
        SensorReading.newBuilder()
            .setDeviceId(device)
            .setTimestamp(at)
            .setTemperatureC(temperatureC)
            .build(),
        // The record's own timestamp is a minute off: the topology windows by the reading's.
        at.plusSeconds(60));
  }
}
