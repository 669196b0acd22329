package io.runnel.cli;

import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.usage.UsageRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads the usage topic: the records of the minutes that start in a time range, found by timestamp
 * ({@code offsetsForTimes}) rather than by reading the topic from its beginning, and decoded with
 * their writer's schema from the registry.
 */
final class UsageTopicReader implements AutoCloseable {

  /**
   * A minute's record is published once the minute ends, so it is stamped after the minute's start;
   * reading from this much earlier also finds records from instances whose clocks run behind.
   */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final KafkaOptions kafka;
  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroDeserializer deserializer;

  /** Fails in one line, within {@code --timeout}, when Kafka does not answer. */
  UsageTopicReader(KafkaOptions kafka, String registryUrl, String topic) {
    this.kafka = kafka;
    this.topic = topic;
    kafka.admin().close(); // the cluster answers, or the command stops here with the reason
    this.deserializer =
        AvroDeserializer.forSpecificClass(
            new SchemaRegistryClient(registryUrl, kafka.timeout, null), UsageRecord.class);
    this.consumer = kafka.consumer("read_uncommitted");
  }

  /**
   * Passes each usage record whose minute starts in [{@code since}, {@code until}) to {@code each}.
   */
  void read(Instant since, Instant until, Consumer<UsageRecord> each) {
    List<TopicPartition> partitions = partitions();
    Map<TopicPartition, Long> from = new HashMap<>();
    long searchFrom = since.minus(CLOCK_SKEW).toEpochMilli();
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(partition -> times.put(partition, searchFrom));
    Map<TopicPartition, OffsetAndTimestamp> found = call(() -> consumer.offsetsForTimes(times));
    Map<TopicPartition, Long> end = call(() -> consumer.endOffsets(partitions));
    // No record stamped that late: the partition has nothing to read.
    found.forEach(
        (partition, offset) ->
            from.put(partition, offset == null ? end.get(partition) : offset.offset()));
    scan(
        from,
        end,
        record -> {
          UsageRecord usage =
              (UsageRecord) deserializer.deserialize(record.topic(), record.value());
          if (!usage.getMinuteStart().isBefore(since) && usage.getMinuteStart().isBefore(until)) {
            each.accept(usage);
          }
        });
  }

  /**
   * Whether any instance ever published usage of {@code function}: the whole topic's keys, which
   * are function names, are looked at.
   */
  boolean everPublished(String function) {
    byte[] key = function.getBytes(StandardCharsets.UTF_8);
    List<TopicPartition> partitions = partitions();
    boolean[] seen = {false};
    scan(
        call(() -> consumer.beginningOffsets(partitions)),
        call(() -> consumer.endOffsets(partitions)),
        record -> seen[0] |= java.util.Arrays.equals(record.key(), key));
    return seen[0];
  }

  private List<TopicPartition> partitions() {
    return call(() -> consumer.listTopics(kafka.timeout)).getOrDefault(topic, List.of()).stream()
        .map(info -> new TopicPartition(topic, info.partition()))
        .toList();
  }

  /** Reads each partition from its offset in {@code from} to its offset in {@code end}. */
  private void scan(
      Map<TopicPartition, Long> from,
      Map<TopicPartition, Long> end,
      Consumer<ConsumerRecord<byte[], byte[]>> each) {
    consumer.assign(from.keySet());
    from.forEach(consumer::seek);
    long deadline = System.nanoTime() + kafka.timeout.toNanos();
    while (from.keySet().stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
      var records = consumer.poll(Duration.ofMillis(200));
      if (!records.isEmpty()) {
        deadline = System.nanoTime() + kafka.timeout.toNanos();
      } else if (System.nanoTime() > deadline) {
        throw kafka.unreachable(new TimeoutException("no records"));
      }
      for (ConsumerRecord<byte[], byte[]> record : records) {
        if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
          each.accept(record);
        }
      }
    }
  }

  private interface Call<T> {
    T run();
  }

  /** Runs a call to Kafka; a timeout becomes a message saying which cluster did not answer. */
  private <T> T call(Call<T> call) {
    try {
      return call.run();
    } catch (TimeoutException e) {
      throw kafka.unreachable(e);
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ZERO);
  }
}
