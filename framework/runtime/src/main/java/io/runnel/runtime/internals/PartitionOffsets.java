package io.runnel.runtime.internals;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link OffsetTracker} of each partition a function's consumer took records from: what is
 * held, what may be committed, and waiting for held records to finish. Only the poll thread calls
 * it.
 */
final class PartitionOffsets {

  private static final Logger LOG = LoggerFactory.getLogger(PartitionOffsets.class);

  private final String functionName;
  private final Duration drainTimeout;
  private final Map<TopicPartition, OffsetTracker> trackers = new HashMap<>();

  PartitionOffsets(String functionName, Duration drainTimeout) {
    this.functionName = functionName;
    this.drainTimeout = drainTimeout;
  }

  /** Adds a record taken from {@code partition}; records come in increasing offset order. */
  void taken(TopicPartition partition, RecordWork work) {
    trackers.computeIfAbsent(partition, p -> new OffsetTracker()).taken(work);
  }

  /** Records held over all partitions: unfinished ones and finished ones behind them. */
  int buffered() {
    int buffered = 0;
    for (OffsetTracker tracker : trackers.values()) {
      tracker.committable(); // forgets the finished prefix, so it no longer counts
      buffered += tracker.buffered();
    }
    return buffered;
  }

  /**
   * The first record taken from {@code partition} and not finished (the offset a commit stops at),
   * or null when there is none.
   */
  RecordWork firstUnfinished(TopicPartition partition) {
    OffsetTracker tracker = trackers.get(partition);
    return tracker == null ? null : tracker.firstUnfinished();
  }

  /** The partitions records were taken from and not forgotten since. */
  Set<TopicPartition> partitions() {
    return trackers.keySet();
  }

  /** The offset to commit of each of {@code partitions} that moved since its last commit. */
  Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : partitions) {
      OffsetTracker tracker = trackers.get(partition);
      if (tracker != null) {
        tracker
            .committable()
            .ifPresent(offset -> offsets.put(partition, new OffsetAndMetadata(offset)));
      }
    }
    return offsets;
  }

  /** Records that {@code offsets} were committed. */
  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach(
        (partition, offset) -> {
          OffsetTracker tracker = trackers.get(partition);
          if (tracker != null) {
            tracker.committed(offset.offset());
          }
        });
  }

  /** Forgets the records of partitions this consumer no longer owns. */
  void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(trackers::remove);
  }

  /** Forgets every record held: they will be polled again. */
  void forgetAll() {
    trackers.clear();
  }

  /**
   * Waits until every record taken from {@code partitions} is finished, or the drain timeout
   * passes; false (and a warning naming what still runs) when one is not.
   */
  boolean awaitDrained(Collection<TopicPartition> partitions) {
    boolean drained = true;
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    for (TopicPartition partition : List.copyOf(partitions)) {
      OffsetTracker tracker = trackers.get(partition);
      while (tracker != null && !tracker.drained() && System.nanoTime() < deadline) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      if (tracker != null && !tracker.drained()) {
        drained = false;
        LOG.warn(
            "Function {}: {} records of {} still running after {}; they will be handled again",
            functionName,
            tracker.buffered(),
            partition,
            drainTimeout);
      }
    }
    return drained;
  }
}
