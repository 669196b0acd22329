package io.runnel.runtime.internals;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads partitions from their beginning to the end they had when it started, the way a changelog or
 * a global table is loaded. With {@code read_committed} the end is the last stable offset, so
 * aborted and still open transactions are not read.
 */
final class TopicReplay {

  private TopicReplay() {}

  /**
   * Assigns {@code partitions} to {@code consumer} (replacing its assignment), hands each record to
   * {@code apply} in offset order, and returns how many there were.
   */
  static long readToEnd(
      org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
      Collection<TopicPartition> partitions,
      Consumer<ConsumerRecord<byte[], byte[]>> apply) {
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    Set<TopicPartition> remaining = new HashSet<>(partitions);
    long read = 0;
    while (true) {
      remaining.removeIf(partition -> consumer.position(partition) >= ends.get(partition));
      if (remaining.isEmpty()) {
        return read;
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        apply.accept(record);
        read++;
      }
    }
  }
}
