package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.embedded.EmbeddedKafkaBroker;
import io.runnel.test.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

  @TempDir static Path dataDir;
  static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void start() {
    broker = EmbeddedKafkaBroker.start(dataDir, 0);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** Writes a dead letter the way Runnel does: original key and value, reason in headers. */
  static void deadLetter(
      String dlq, String key, String function, String exceptionClass, Instant failedAt)
      throws Exception {
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace-id", ("trace-" + key).getBytes(StandardCharsets.UTF_8));
    headers.add("runnel.error.original.topic", "orders".getBytes(StandardCharsets.UTF_8));
    headers.add("runnel.error.function", function.getBytes(StandardCharsets.UTF_8));
    headers.add("runnel.error.exception.class", exceptionClass.getBytes(StandardCharsets.UTF_8));
    headers.add("runnel.error.failed.at", failedAt.toString().getBytes(StandardCharsets.UTF_8));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(dlq, null, key.getBytes(), ("value-" + key).getBytes(), headers))
          .get();
    }
  }

  /** Runs the command with a timeout for a busy machine (the default is 10s). */
  static String run(String... args) {
    List<String> withTimeout = new ArrayList<>(List.of(args));
    withTimeout.addAll(List.of("--timeout", "60s"));
    CommandRun run = CommandRun.of(withTimeout.toArray(String[]::new));
    assertThat(run.exit()).as(run.err()).isZero();
    return run.out();
  }

  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      var infos = consumer.listTopics(Duration.ofSeconds(10)).get(topic);
      if (infos == null) {
        return List.of();
      }
      List<TopicPartition> partitions =
          infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  /**
   * Reads {@code topic} until it holds {@code count} committed records (commit markers land a
   * moment after a commit).
   */
  static List<ConsumerRecord<byte[], byte[]>> awaitRecords(String topic, int count) {
    return Await.until(
        count + " records on " + topic,
        Duration.ofSeconds(10),
        () -> readAll(topic),
        records -> records.size() >= count);
  }

  static List<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> new String(r.key())).toList();
  }

  @Test
  void replaysByFilterOnceAndNeverTwice() throws Exception {
    Instant yesterday = Instant.parse("2026-11-22T10:00:00Z");
    Instant today = Instant.parse("2026-11-23T10:00:00Z");
    deadLetter("orders.dlq", "a", "pricing", "java.lang.IllegalStateException", yesterday);
    deadLetter("orders.dlq", "b", "pricing", "java.net.SocketTimeoutException", today);
    deadLetter("orders.dlq", "c", "billing", "java.lang.IllegalStateException", today);

    String dryRun =
        run(
            "dlq",
            "replay",
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--dlq",
            "orders.dlq",
            "--function",
            "pricing",
            "--dry-run");
    assertThat(dryRun)
        .contains("2 dead letters match")
        .contains("orders.dlq/0/0")
        .contains("orders.dlq/0/1")
        .doesNotContain("orders.dlq/0/2");
    assertThat(readAll("orders")).isEmpty();

    String byClass =
        run(
            "dlq",
            "replay",
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--dlq",
            "orders.dlq",
            "--error-class",
            "IllegalStateException",
            "--from",
            "2026-11-23T00:00:00Z");
    assertThat(byClass).contains("Replayed 1 dead letters");
    List<ConsumerRecord<byte[], byte[]>> replayed = awaitRecords("orders", 1);
    assertThat(keys(replayed)).containsExactly("c");
    ConsumerRecord<byte[], byte[]> c = replayed.get(0);
    assertThat(new String(c.value())).isEqualTo("value-c");
    assertThat(new String(c.headers().lastHeader("trace-id").value())).isEqualTo("trace-c");
    assertThat(new String(c.headers().lastHeader("runnel.replay.of").value()))
        .isEqualTo("orders.dlq/0/2");
    assertThat(c.headers().lastHeader("runnel.error.function")).isNull();

    String all =
        run(
            "dlq",
            "replay",
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--dlq",
            "orders.dlq");
    assertThat(all)
        .contains("3 dead letters match, 1 of them replayed before")
        .contains("Replayed 2 dead letters");
    String again =
        run(
            "dlq",
            "replay",
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--dlq",
            "orders.dlq");
    assertThat(again)
        .contains("3 dead letters match, 3 of them replayed before")
        .contains("Replayed 0 dead letters");
    assertThat(keys(awaitRecords("orders", 3))).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void toTopicOverridesTheOriginalTopic() throws Exception {
    deadLetter("moved.dlq", "m", "pricing", "java.lang.RuntimeException", Instant.now());
    run(
        "dlq",
        "replay",
        "--bootstrap-servers",
        broker.bootstrapServers(),
        "--dlq",
        "moved.dlq",
        "--to",
        "orders.retried");
    assertThat(keys(awaitRecords("orders.retried", 1))).containsExactly("m");
  }

  @Test
  void aMissingDeadLetterTopicIsAnError() {
    CommandRun run =
        CommandRun.of(
            "dlq",
            "replay",
            "--bootstrap-server",
            broker.bootstrapServers(),
            "--dlq",
            "no.such.topic");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).doesNotContain("dead letters match");
    assertThat(run.err().strip())
        .isEqualTo("runnel: topic no.such.topic does not exist (--dlq names a dead-letter topic)");
  }

  @Test
  void badArgumentsAreRefusedWithTheOptionNamed() {
    CommandRun missing = CommandRun.of("dlq", "replay", "--bootstrap-servers", "localhost:1");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("--dlq");

    CommandRun badTime =
        CommandRun.of(
            "dlq",
            "replay",
            "--bootstrap-servers",
            "localhost:1",
            "--dlq",
            "x",
            "--from",
            "yesterday");
    assertThat(badTime.exit()).isEqualTo(2);
    assertThat(badTime.err()).contains("--from").contains("yesterday");
  }
}
