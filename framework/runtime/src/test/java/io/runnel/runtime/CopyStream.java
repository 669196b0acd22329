package io.runnel.runtime;

import io.runnel.examples.iot.SensorReading;
import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SubjectNameStrategy;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.registry.serde.AvroSerializer;
import io.runnel.test.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The stream the fault tests push through {@link CrashTestApp}'s copying function: {@code events}
 * readings numbered 0..n-1 (in {@code temperatureC}) on {@code <prefix>.in}, over 1,000 keys
 * ({@code dev-<n % 1000>}), and what came out on {@code <prefix>.out}, read as a {@code
 * read_committed} consumer.
 */
record CopyStream(
    String bootstrapServers, SchemaRegistryClient registry, int events, String prefix) {

  private static final int KEYS = 1000;

  String input() {
    return prefix + ".in";
  }

  String output() {
    return prefix + ".out";
  }

  void produce() {
    AvroSerializer serializer =
        new AvroSerializer(registry, SubjectNameStrategy.TOPIC_NAME, true, false);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG,
                20),
            new StringSerializer(),
            new ByteArraySerializer())) {
      Instant now = Instant.now();
      for (int seq = 0; seq < events; seq++) {
        String device = "dev-" + (seq % KEYS);
        SensorReading reading =
            SensorReading.newBuilder()
                .setDeviceId(device)
                .setTimestamp(now)
                .setTemperatureC(seq)
                .build();
        producer.send(
            new ProducerRecord<>(input(), device, serializer.serialize(input(), reading)));
      }
      producer.flush();
    }
  }

  /** How many records the output topic holds (duplicates included). */
  long outputCount() {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      return consumer.endOffsets(outputPartitions(consumer)).values().stream()
          .mapToLong(Long::longValue)
          .sum();
    }
  }

  void awaitOutputs(long count, Duration timeout) {
    Await.until(count + " outputs", timeout, this::outputCount, outputs -> outputs >= count);
  }

  /**
   * Reads the output until every event was seen (fails when the timeout passes first), checking per
   * key that the events were handled in order: on a partition of the output each key's copies come
   * in the order they were handled, and each event's first copy must come after the first copies of
   * the key's earlier events; a copy of an event seen before (handled again after a crash or a
   * leave) is a duplicate, not a violation.
   */
  Outputs readUntilComplete(Duration timeout) {
    AvroDeserializer deserializer =
        AvroDeserializer.forSpecificClass(registry, SensorReading.class);
    BitSet seen = new BitSet(events);
    int[] latestByKey = new int[KEYS];
    Arrays.fill(latestByKey, -1);
    AtomicLong outputs = new AtomicLong();
    AtomicLong orderViolations = new AtomicLong();
    Map<String, Long> byProcess = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = outputPartitions(consumer);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Await.until(
          "all " + events + " events on " + output(),
          timeout,
          () -> {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
              int sequence =
                  (int)
                      ((SensorReading) deserializer.deserialize(record.topic(), record.value()))
                          .getTemperatureC();
              if (!seen.get(sequence)) {
                int key = sequence % KEYS;
                if (sequence < latestByKey[key]) {
                  orderViolations.incrementAndGet();
                }
                latestByKey[key] = Math.max(latestByKey[key], sequence);
                seen.set(sequence);
              }
              Header process = record.headers().lastHeader(CrashTestApp.PROCESS_HEADER);
              if (process != null) {
                byProcess.merge(new String(process.value(), StandardCharsets.UTF_8), 1L, Long::sum);
              }
              outputs.incrementAndGet();
            }
            return seen.cardinality();
          },
          distinct -> distinct == events);
    }
    return new Outputs(outputs.get(), seen.cardinality(), orderViolations.get(), byProcess);
  }

  /**
   * What the output topic held: records, distinct events among them, events whose first copy came
   * before an earlier event's of the same key, and records per handling process.
   */
  record Outputs(long records, int distinct, long orderViolations, Map<String, Long> byProcess) {
    long duplicates() {
      return records - distinct;
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            5000,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  private List<TopicPartition> outputPartitions(KafkaConsumer<byte[], byte[]> consumer) {
    return consumer.partitionsFor(output(), Duration.ofSeconds(30)).stream()
        .map(info -> new TopicPartition(info.topic(), info.partition()))
        .toList();
  }
}
