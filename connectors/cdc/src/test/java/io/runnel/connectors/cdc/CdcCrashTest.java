package io.runnel.connectors.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.test.Await;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills the connector process (a separate JVM, SIGKILL) while 50,000 changes stream through it,
 * restarts it, and checks that every change reached Kafka with its content, in commit order per
 * key. Also reports throughput and commit-to-Kafka latency of the run before the kill.
 */
@RunnelTest(startContext = false)
class CdcCrashTest {

  private static final Logger LOG = LoggerFactory.getLogger(CdcCrashTest.class);
  private static final int ROWS = 500;
  private static final int CHANGES = 50_000;
  private static final String TOPIC = "crash.public.counters";

  @Test
  void killingTheConnectorMidStreamLosesNoChange(RunnelTestKit kit) throws Exception {
    try (TestDatabase database = TestDatabase.start("logical")) {
      database.execute("CREATE TABLE counters (id int PRIMARY KEY, version int NOT NULL)");
      Path logs = Path.of("target", "crash-test");
      logs.toFile().mkdirs();
      Process first = start(kit, database, logs.resolve("run-1.log").toFile());
      awaitSlotActive(database);
      CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> write(database));
      List<ConsumerRecord<byte[], byte[]>> beforeKill = awaitCount(kit, CHANGES / 3);
      first.destroyForcibly().waitFor();
      long killedAtMs = System.currentTimeMillis();
      LOG.info("Killed the connector at {} records on {}", beforeKill.size(), TOPIC);
      Process second = start(kit, database, logs.resolve("run-2.log").toFile());
      try {
        writes.get();
        Map<Integer, List<Integer>> versionsByKey = readUntilComplete(kit);
        for (int id = 0; id < ROWS; id++) {
          List<Integer> versions = versionsByKey.get(id);
          int expected = id < CHANGES % ROWS ? CHANGES / ROWS + 1 : CHANGES / ROWS;
          // Replays after the crash repeat a suffix; the first time each version appears must be
          // in commit order, and every version must be there.
          List<Integer> firstSeen = versions.stream().distinct().toList();
          assertThat(firstSeen)
              .as("versions of key %d in the order first seen", id)
              .isSorted()
              .hasSize(expected)
              .startsWith(0);
        }
        report(kit, killedAtMs);
      } finally {
        second.destroy();
        second.waitFor();
      }
    }
  }

  /** 500 inserts, then updates round-robin over the keys, 100 per transaction: 50,000 changes. */
  private static void write(TestDatabase database) {
    try (Connection connection = database.connection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert =
              connection.prepareStatement("INSERT INTO counters VALUES (?, 0)");
          PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE counters SET version = version + 1 WHERE id = ?")) {
        for (int id = 0; id < ROWS; id++) {
          insert.setInt(1, id);
          insert.addBatch();
        }
        insert.executeBatch();
        connection.commit();
        for (int change = ROWS; change < CHANGES; change++) {
          update.setInt(1, change % ROWS);
          update.addBatch();
          if ((change + 1) % 100 == 0) {
            update.executeBatch();
            connection.commit();
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Process start(RunnelTestKit kit, TestDatabase database, File log)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
    Map<String, Object> properties = database.connectorProperties("crash", "public.counters");
    properties.put("runnel.kafka.bootstrap-servers", kit.bootstrapServers());
    properties.put("runnel.schema-registry.url", kit.registryUrl());
    properties.put("micronaut.server.port", "-1"); // /health on a free port, never dev mode's 8080
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), CdcMain.class.getName()));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .start();
  }

  private static void awaitSlotActive(TestDatabase database) throws Exception {
    try (Connection connection = database.connection();
        Statement statement = connection.createStatement()) {
      Await.until(
          "the connector's replication slot active",
          Duration.ofSeconds(60),
          () -> {
            try (ResultSet result =
                statement.executeQuery(
                    "SELECT active FROM pg_replication_slots WHERE slot_name = 'crash_slot'")) {
              return result.next() && result.getBoolean(1);
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          });
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(RunnelTestKit kit) {
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = List.of();
    while (partitions.isEmpty()) {
      partitions =
          consumer.partitionsFor(TOPIC, Duration.ofSeconds(5)).stream()
              .map(info -> new TopicPartition(TOPIC, info.partition()))
              .toList();
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  private static List<ConsumerRecord<byte[], byte[]>> awaitCount(RunnelTestKit kit, int count) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(kit)) {
      Await.until(
          count + " changes on " + TOPIC + " before the kill",
          Duration.ofSeconds(120),
          () -> {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            return records.size() >= count;
          });
    }
    return records;
  }

  /** Reads until every (key, version) is present; returns each key's versions in topic order. */
  private static Map<Integer, List<Integer>> readUntilComplete(RunnelTestKit kit) {
    Map<Integer, List<Integer>> versionsByKey = new HashMap<>();
    java.util.Set<Long> distinct = new java.util.HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(kit)) {
      Await.until(
          "all " + CHANGES + " distinct changes on " + TOPIC,
          Duration.ofSeconds(180),
          () -> {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
              GenericRecord row = kit.decode(record.value(), GenericRecord.class);
              int id = (Integer) row.get("id");
              int version = (Integer) row.get("version");
              versionsByKey.computeIfAbsent(id, k -> new ArrayList<>()).add(version);
              distinct.add(((long) id << 32) | version);
            }
            return distinct.size();
          },
          changes -> changes == CHANGES);
    }
    return versionsByKey;
  }

  /** Logs changes/s and commit-to-Kafka latency of the changes streamed before the kill. */
  private static void report(RunnelTestKit kit, long killedAtMs) {
    List<Long> latencies = new ArrayList<>();
    long firstMs = Long.MAX_VALUE;
    long lastMs = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(kit)) {
      List<ConsumerRecord<byte[], byte[]>> batch;
      do {
        batch = new ArrayList<>();
        consumer.poll(Duration.ofMillis(500)).forEach(batch::add);
        for (ConsumerRecord<byte[], byte[]> record : batch) {
          if (record.timestamp() >= killedAtMs) {
            continue;
          }
          GenericRecord row = kit.decode(record.value(), GenericRecord.class);
          latencies.add(record.timestamp() - (Long) row.get("__ts_ms"));
          firstMs = Math.min(firstMs, record.timestamp());
          lastMs = Math.max(lastMs, record.timestamp());
        }
      } while (!batch.isEmpty());
    }
    latencies.sort(null);
    LOG.info(
        "CDC before the kill: {} changes at {} changes/s; commit-to-Kafka latency p50 {} ms, p99 {} ms",
        latencies.size(),
        Math.round(latencies.size() * 1000.0 / Math.max(1, lastMs - firstMs)),
        latencies.get(latencies.size() / 2),
        latencies.get((int) (latencies.size() * 0.99)));
  }
}
