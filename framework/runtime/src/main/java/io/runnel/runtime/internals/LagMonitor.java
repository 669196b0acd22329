package io.runnel.runtime.internals;

import io.runnel.support.FunctionScaling;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far behind one function is, read by its consumer loop every interval: the end offsets of all
 * the partitions its consumer holds come from one list-offsets request ({@code endOffsets}, at the
 * consumer's isolation level, so an exactly-once function counts up to the last stable offset); the
 * rest is what the loop already knows. Only the poll thread calls it.
 *
 * <p>A partition's lag runs from the offset the function commits (its first unfinished record, or
 * the consumer's position when every record taken is finished) to the end offset. The age of the
 * oldest unfinished record, the rates and the replicas the lag calls for look at the input topics
 * only: a record on a retry topic waits for its delay on purpose.
 */
final class LagMonitor {

  /**
   * One reading.
   *
   * @param lagRecords per partition held (retry topics included)
   * @param lagSeconds age of the oldest record of an input topic taken and not finished, by its
   *     timestamp; 0 when none
   * @param arrivalRate records/s appended to the input partitions held since the last reading
   * @param completionRate records/s of the input partitions held finished since the last reading
   * @param desiredReplicas what the input topics' lag calls for, by the function's scaling
   */
  record Reading(
      Map<TopicPartition, Long> lagRecords,
      double lagSeconds,
      double arrivalRate,
      double completionRate,
      int desiredReplicas) {

    /** Before the first reading. */
    static final Reading NONE = new Reading(Map.of(), 0, 0, 0, 0);
  }

  private static final Logger LOG = LoggerFactory.getLogger(LagMonitor.class);

  /** The longest the loop waits for end offsets; a slower answer skips one reading. */
  private static final Duration MAX_REQUEST_WAIT = Duration.ofSeconds(1);

  private final String functionName;
  private final Set<String> inputTopics;
  private final FunctionScaling scaling;
  private final Duration interval;
  private final Consumer<byte[], byte[]> consumer;
  private final PartitionOffsets offsets;
  private final FunctionMetrics metrics;
  private long lastReadNanos = System.nanoTime();
  private Map<TopicPartition, Long> lastEnds = Map.of();
  private Map<TopicPartition, Long> lastCommitPoints = Map.of();

  LagMonitor(
      String functionName,
      Collection<String> inputTopics,
      FunctionScaling scaling,
      Duration interval,
      Consumer<byte[], byte[]> consumer,
      PartitionOffsets offsets,
      FunctionMetrics metrics) {
    this.functionName = functionName;
    this.inputTopics = Set.copyOf(inputTopics);
    this.scaling = scaling;
    this.interval = interval;
    this.consumer = consumer;
    this.offsets = offsets;
    this.metrics = metrics;
  }

  /**
   * Reads the lag when an interval has passed since the last reading; never with metrics off, as
   * nothing would show it.
   */
  void readIfDue() {
    long now = System.nanoTime();
    if (metrics.counting() && now - lastReadNanos >= interval.toNanos()) {
      Reading reading = read(now);
      if (reading != null) {
        metrics.lag(reading);
      }
    }
  }

  /** Partitions the consumer no longer holds: their lag is not reported any more. */
  void forget(Collection<TopicPartition> partitions) {
    metrics.lagForgotten(partitions);
  }

  /** One reading, or null when Kafka did not answer in time (the last one stays). */
  private Reading read(long now) {
    double elapsedSeconds = (now - lastReadNanos) / 1e9;
    lastReadNanos = now;
    Map<TopicPartition, Long> ends;
    int inputPartitions = 0;
    try {
      Set<TopicPartition> held = consumer.assignment();
      ends = held.isEmpty() ? Map.of() : consumer.endOffsets(held, requestWait());
      for (String topic : inputTopics) {
        inputPartitions += consumer.partitionsFor(topic, requestWait()).size();
      }
    } catch (WakeupException | InterruptException e) {
      throw e;
    } catch (KafkaException e) {
      LOG.debug("Function {}: lag not read this time: {}", functionName, e.toString());
      return null;
    }
    Map<TopicPartition, Long> lagRecords = new HashMap<>();
    Map<TopicPartition, Long> commitPoints = new HashMap<>();
    long inputLag = 0;
    long oldestTimestamp = Long.MAX_VALUE;
    long arrived = 0;
    long completed = 0;
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      TopicPartition partition = end.getKey();
      RecordWork firstUnfinished = offsets.firstUnfinished(partition);
      long commitPoint;
      if (firstUnfinished != null) {
        commitPoint = firstUnfinished.offset();
      } else {
        try {
          commitPoint = consumer.position(partition, Duration.ZERO);
        } catch (TimeoutException e) {
          continue; // no position yet (just assigned): its lag is read next time
        }
      }
      long lag = Math.max(0, end.getValue() - commitPoint);
      lagRecords.put(partition, lag);
      commitPoints.put(partition, commitPoint);
      if (inputTopics.contains(partition.topic())) {
        inputLag += lag;
        if (firstUnfinished != null && firstUnfinished.record().timestamp() >= 0) {
          oldestTimestamp = Math.min(oldestTimestamp, firstUnfinished.record().timestamp());
        }
        arrived += growth(lastEnds, partition, end.getValue());
        completed += growth(lastCommitPoints, partition, commitPoint);
      }
    }
    lastEnds = ends;
    lastCommitPoints = commitPoints;
    double lagSeconds =
        oldestTimestamp == Long.MAX_VALUE
            ? 0
            : Math.max(0, System.currentTimeMillis() - oldestTimestamp) / 1000.0;
    return new Reading(
        lagRecords,
        lagSeconds,
        arrived / elapsedSeconds,
        completed / elapsedSeconds,
        scaling.desiredReplicas(inputLag, inputPartitions));
  }

  private Duration requestWait() {
    return interval.compareTo(MAX_REQUEST_WAIT) < 0 ? interval : MAX_REQUEST_WAIT;
  }

  /**
   * How far an offset moved since the last reading; 0 for a partition not held then, or one that
   * moved back (a rewind after an aborted transaction).
   */
  private static long growth(Map<TopicPartition, Long> last, TopicPartition partition, long now) {
    Long before = last.get(partition);
    return before == null ? 0 : Math.max(0, now - before);
  }
}
