package io.runnel.cli;

import io.runnel.function.DesiredReplicas;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * How far one consumer group is behind, partition by partition.
 *
 * @param group the consumer group
 * @param partitions every partition of the topics the group reads, in topic and partition order
 */
record GroupLag(String group, List<PartitionLag> partitions) {

  /**
   * One partition's lag.
   *
   * @param committed the group's committed offset, or null when it has committed none (it starts
   *     from the log's start, as Runnel's consumers do)
   * @param logEnd the log end offset
   * @param lag records between the committed offset (or the log start) and the log end
   * @param age how old the record at the committed offset is (its timestamp to now), null when
   *     nothing is behind it
   */
  record PartitionLag(
      TopicPartition partition, Long committed, long logEnd, long lag, Duration age) {}

  long totalLag() {
    return partitions.stream().mapToLong(PartitionLag::lag).sum();
  }

  /** The age of the oldest record not committed yet, over all partitions; null when none is. */
  Duration oldest() {
    return partitions.stream()
        .map(PartitionLag::age)
        .filter(Objects::nonNull)
        .max(Duration::compareTo)
        .orElse(null);
  }

  /**
   * Replicas needed for each to have at most {@code targetLag} records behind: total lag ÷ target
   * lag, rounded up, at least 1 while anything is behind, at most one per partition (a group cannot
   * use more consumers than partitions); 0 when nothing is behind. The runtime's formula, {@link
   * DesiredReplicas}, without a minimum or maximum.
   */
  int desiredReplicas(long targetLag) {
    return DesiredReplicas.of(totalLag(), targetLag, 0, Integer.MAX_VALUE, partitions.size());
  }
}
