package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.RunnelHeaders;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * Keyed state on the real broker: a counting function's counts per key are exact when its
 * partitions move to a second instance and when an instance starts with nothing in memory (its
 * stores are restored from their changelogs); state that cannot be had sends the record to the
 * dead-letter topic saying why; a global table is read whole before the first record.
 */
@RunnelTest(startContext = false)
class KeyedStateTest {

  private static final int EVENTS = 20_000; // 20 per device

  @Test
  void countsPerKeyAreExactAfterARebalanceToASecondInstance(RunnelTestKit kit) throws Exception {
    CopyStream stream = stream(kit, "state.rebalance");
    createTopic(kit, stream.input(), 4, Map.of());
    stream.produce();
    Map<String, Object> properties = properties(kit, stream);
    ApplicationContext first = ApplicationContext.run(properties);
    ApplicationContext second = null;
    try {
      stream.awaitOutputs(EVENTS / 4, Duration.ofSeconds(120));
      second = ApplicationContext.run(properties);
      stream.awaitOutputs(EVENTS / 2, Duration.ofSeconds(120));
      first.close(); // its partitions move to the second instance, whose stores restore them
      CountedStream counted = new CountedStream(stream);
      counted.awaitConsumed(EVENTS);
      assertThat(counted.counts().last()).isEqualTo(CountedStream.every(EVENTS / 1000));
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  @Test
  void countsContinueAfterARestartWithNothingInMemory(RunnelTestKit kit) throws Exception {
    CopyStream stream = stream(kit, "state.restart");
    createTopic(kit, stream.input(), 2, Map.of());
    CountedStream counted = new CountedStream(stream);
    stream.produce();
    try (ApplicationContext first = ApplicationContext.run(properties(kit, stream))) {
      counted.awaitConsumed(EVENTS);
    }
    stream.produce(); // the same 20 readings per device again
    try (ApplicationContext restarted = ApplicationContext.run(properties(kit, stream))) {
      counted.awaitConsumed(2L * EVENTS);
      assertThat(counted.counts().last()).isEqualTo(CountedStream.every(2L * EVENTS / 1000));
    }
  }

  @Test
  void undecodableStoredValueSendsItsRecordsToTheDeadLetterTopicWithTheReason(RunnelTestKit kit)
      throws Exception {
    CopyStream stream =
        new CopyStream(
            kit.bootstrapServers(),
            new SchemaRegistryClient(kit.registryUrl()),
            2_000,
            "state.undecodable");
    createTopic(kit, stream.input(), 1, Map.of());
    createTopic(
        kit,
        "count-" + stream.input() + "-counts-changelog",
        1,
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    kit.sendRaw("count-" + stream.input() + "-counts-changelog", "dev-7", new byte[] {9, 9, 9});
    stream.produce();
    try (ApplicationContext context = ApplicationContext.run(properties(kit, stream))) {
      List<ReceivedRecord> deadLetters =
          kit.awaitRecords(stream.input() + ".dlq", 2, record -> true, Duration.ofSeconds(120));
      assertThat(deadLetters).extracting(ReceivedRecord::key).containsOnly("dev-7");
      assertThat(deadLetters.get(0).header(RunnelHeaders.ERROR_STAGE)).isEqualTo("decode");
      assertThat(deadLetters.get(0).header(RunnelHeaders.ERROR_EXCEPTION_MESSAGE))
          .contains("dev-7", "count-state.undecodable.in-counts-changelog", "does not decode");
      CountedStream counted = new CountedStream(stream);
      counted.awaitConsumed(2_000);
      Map<String, Long> expected = CountedStream.every(2);
      expected.remove("dev-7");
      assertThat(counted.counts().last()).isEqualTo(expected);
    }
  }

  @Test
  void undeclaredStoreSendsTheRecordToTheDeadLetterTopicNamingStoreAndFunction(RunnelTestKit kit) {
    Map<String, Object> properties = baseProperties(kit, "state-undeclared");
    properties.put("runnel.functions.undeclared.topics", "state.undeclared.in");
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      kit.send("state.undeclared.in", "d-1", reading("d-1"));
      ReceivedRecord deadLetter =
          kit.awaitRecords("state.undeclared.in.dlq", 1, record -> true, Duration.ofSeconds(60))
              .get(0);
      assertThat(deadLetter.header(RunnelHeaders.ERROR_EXCEPTION_MESSAGE))
          .contains("Function undeclared", "'totals'", "does not declare", "[counts]");
      assertThat(deadLetter.header(RunnelHeaders.ERROR_ATTEMPTS)).isEqualTo("1");
      assertThat(deadLetter.header(RunnelHeaders.ERROR_STAGE)).isEqualTo("invoke");
    }
  }

  @Test
  void globalTableIsReadWholeBeforeTheFirstRecordAndFollowed(RunnelTestKit kit) throws Exception {
    String table = "state.table.calibrations";
    createTopic(
        kit,
        table,
        2,
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    kit.send(table, "d-1", count("d-1", 7));
    kit.send(table, "d-1", count("d-1", 42)); // the latest value counts
    Map<String, Object> properties = baseProperties(kit, "state-table");
    properties.put("runnel.functions.enrich.topics", "state.table.in");
    properties.put("runnel.functions.enrich.output-topic", "state.table.out");
    properties.put("runnel.functions.enrich.global-tables", table);
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      kit.send("state.table.in", "d-1", reading("d-1"));
      kit.send("state.table.in", "d-2", reading("d-2"));
      assertThat(kit.awaitValues("state.table.out", SensorReading.class, 2))
          .extracting(SensorReading::getDeviceId, SensorReading::getHumidity)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("d-1", 42.0),
              org.assertj.core.groups.Tuple.tuple("d-2", -1.0));
      kit.send(table, "d-2", count("d-2", 5));
      kit.awaitValues(
          "state.table.out",
          SensorReading.class,
          1,
          reading -> {
            if (!reading.getDeviceId().equals("d-2")) {
              return false;
            }
            if (reading.getHumidity() == 5.0) {
              return true;
            }
            // Read before the update was followed: ask again, until it is.
            kit.send("state.table.in", "d-2", reading("d-2"));
            return false;
          });
    }
  }

  @Test
  void storesOfAnUnorderedFunctionStopStartUp() {
    Map<String, Object> properties =
        CountingTestApp.properties("localhost:1", "http://localhost:1", "in", "out", false);
    properties.put("runnel.functions.count.ordering", "UNORDERED");
    ConfigurationValidationTest.assertStartFails(
        properties, "runnel.functions.count.stores [counts]", "ordering KEY or PARTITION");
  }

  private static CopyStream stream(RunnelTestKit kit, String prefix) {
    return new CopyStream(
        kit.bootstrapServers(), new SchemaRegistryClient(kit.registryUrl()), EVENTS, prefix);
  }

  private static Map<String, Object> properties(RunnelTestKit kit, CopyStream stream) {
    return CountingTestApp.properties(
        kit.bootstrapServers(), kit.registryUrl(), stream.input(), stream.output(), false);
  }

  private static Map<String, Object> baseProperties(RunnelTestKit kit, String suite) {
    Map<String, Object> properties =
        CountingTestApp.properties(kit.bootstrapServers(), kit.registryUrl(), "-", "-", false);
    properties.keySet().removeIf(key -> key.startsWith("runnel.functions."));
    properties.put("runnel.test.suite", suite);
    return properties;
  }

  private static SensorReading reading(String device) {
    return SensorReading.newBuilder()
        .setDeviceId(device)
        .setTimestamp(Instant.now())
        .setTemperatureC(20)
        .build();
  }

  private static GenericRecord count(String device, long count) {
    GenericRecord record = new GenericData.Record(CountingTestApp.COUNT);
    record.put("deviceId", device);
    record.put("count", count);
    return record;
  }

  static void createTopic(
      RunnelTestKit kit, String topic, int partitions, Map<String, String> configs)
      throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers()))) {
      admin
          .createTopics(Set.of(new NewTopic(topic, partitions, (short) 1).configs(configs)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }
}
