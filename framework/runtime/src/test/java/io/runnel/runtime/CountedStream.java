package io.runnel.runtime;

import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.test.Await;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What {@link CountingTestApp}'s function made of a {@link CopyStream}'s input: waits until its
 * group committed the whole input, then reads the counts it emitted (as a {@code read_committed}
 * consumer), the last one of each device being the device's count in the store.
 */
record CountedStream(CopyStream stream) {

  /** The counts emitted: the last of each device, and how many there were in all. */
  record Counts(Map<String, Long> last, long emitted) {}

  String group() {
    return "count-" + stream.input();
  }

  /** Waits until the counting function committed offsets up to {@code events} input records. */
  void awaitConsumed(long events) {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stream.bootstrapServers()))) {
      Await.until(
          events + " input records committed by " + group(),
          Duration.ofSeconds(180),
          () -> committed(admin),
          committed -> committed >= events);
    }
  }

  private long committed(Admin admin) {
    Map<TopicPartition, OffsetAndMetadata> offsets;
    try {
      offsets = admin.listConsumerGroupOffsets(group()).partitionsToOffsetAndMetadata().get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("Cannot read the offsets of " + group(), e);
    }
    return offsets.values().stream()
        .filter(offset -> offset != null)
        .mapToLong(OffsetAndMetadata::offset)
        .sum();
  }

  /** Reads the output topic to its end. */
  Counts counts() {
    AvroDeserializer deserializer =
        new AvroDeserializer(stream.registry(), CountingTestApp.COUNT, false);
    Map<String, Long> last = new HashMap<>();
    long emitted = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stream.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(stream.output(), Duration.ofSeconds(30)).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          GenericRecord count =
              (GenericRecord) deserializer.deserialize(record.topic(), record.value());
          last.put(count.get("deviceId").toString(), (Long) count.get("count"));
          emitted++;
        }
      }
    }
    return new Counts(last, emitted);
  }

  /** Each of the stream's 1,000 devices with {@code count}. */
  static Map<String, Long> every(long count) {
    Map<String, Long> counts = new HashMap<>();
    for (int device = 0; device < 1000; device++) {
      counts.put("dev-" + device, count);
    }
    return counts;
  }
}
