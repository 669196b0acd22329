package io.runnel.runtime.internals;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@link MockConsumer} that remembers every offset committed, also for partitions no longer
 * assigned and after it was closed (where {@code MockConsumer.committed} reports 0 or throws).
 */
class CommitRecordingConsumer extends MockConsumer<byte[], byte[]> {

  private final Map<TopicPartition, Long> committedOffsets = new HashMap<>();

  CommitRecordingConsumer() {
    super("earliest");
  }

  /** The last offset committed for {@code partition}, or null. */
  synchronized Long lastCommitted(TopicPartition partition) {
    return committedOffsets.get(partition);
  }

  @Override
  public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    super.commitSync(offsets);
    offsets.forEach((partition, offset) -> committedOffsets.put(partition, offset.offset()));
  }

  @Override
  public synchronized void commitAsync(
      Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
    offsets.forEach((partition, offset) -> committedOffsets.put(partition, offset.offset()));
    super.commitAsync(offsets, callback);
  }
}
