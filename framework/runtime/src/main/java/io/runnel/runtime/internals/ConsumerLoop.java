package io.runnel.runtime.internals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer thread of one function: polls, hands each record to the {@link RecordProcessor}
 * (which runs it on a virtual thread in key order), keeps an {@link OffsetTracker} per partition,
 * and commits each partition's finished prefix periodically, on revoke and on shutdown.
 *
 * <p>When more than {@code maxBufferedRecords} records are held, the assigned partitions are paused
 * (polling goes on, so the consumer stays in its group) and resumed once half are done.
 */
final class ConsumerLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

  private final FunctionDefinition function;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final RecordProcessor processor;
  private final Duration commitInterval;
  private final Duration drainTimeout;
  private final Map<TopicPartition, OffsetTracker> trackers = new HashMap<>();
  private boolean paused;
  private long lastCommitNanos = System.nanoTime();
  private volatile boolean running = true;

  ConsumerLoop(
      FunctionDefinition function,
      KafkaConsumer<byte[], byte[]> consumer,
      RecordProcessor processor,
      Duration commitInterval,
      Duration drainTimeout) {
    this.function = function;
    this.consumer = consumer;
    this.processor = processor;
    this.commitInterval = commitInterval;
    this.drainTimeout = drainTimeout;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(function.topics(), new Rebalances());
      while (running) {
        take(consumer.poll(POLL_TIMEOUT));
        applyBackpressure();
        if (System.nanoTime() - lastCommitNanos >= commitInterval.toNanos()) {
          commit(trackers.keySet(), false);
        }
      }
      awaitDrained(trackers.keySet());
      commit(trackers.keySet(), true);
    } catch (WakeupException e) {
      LOG.warn("Function {} aborted; records not committed will be handled again", function.name());
    } catch (KafkaException e) {
      LOG.error("Function {} stopped consuming: {}", function.name(), e.toString(), e);
    } finally {
      consumer.close(Duration.ofSeconds(10));
    }
  }

  private void take(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      OffsetTracker tracker = trackers.computeIfAbsent(partition, p -> new OffsetTracker());
      List<ConsumerRecord<byte[], byte[]>> polled = records.records(partition);
      List<RecordWork> works = new ArrayList<>(polled.size());
      for (ConsumerRecord<byte[], byte[]> record : polled) {
        RecordWork work = new RecordWork(record, processor);
        tracker.taken(work);
        works.add(work);
      }
      if (function.shape() == FunctionShape.BATCH) {
        processor.submitBatch(works);
      } else {
        works.forEach(processor::submit);
      }
    }
  }

  private void applyBackpressure() {
    int buffered = 0;
    for (OffsetTracker tracker : trackers.values()) {
      tracker.committable();
      buffered += tracker.buffered();
    }
    if (!paused && buffered >= function.maxBufferedRecords()) {
      consumer.pause(consumer.assignment());
      paused = true;
      LOG.debug("Function {} holds {} records: partitions paused", function.name(), buffered);
    } else if (paused && buffered <= function.maxBufferedRecords() / 2) {
      consumer.resume(consumer.paused());
      paused = false;
      LOG.debug("Function {} holds {} records: partitions resumed", function.name(), buffered);
    }
  }

  /** Commits the finished prefix of each partition that moved since its last commit. */
  private void commit(Collection<TopicPartition> partitions, boolean sync) {
    lastCommitNanos = System.nanoTime();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : partitions) {
      OffsetTracker tracker = trackers.get(partition);
      OptionalLong next = tracker == null ? OptionalLong.empty() : tracker.committable();
      next.ifPresent(offset -> offsets.put(partition, new OffsetAndMetadata(offset)));
    }
    if (offsets.isEmpty()) {
      return;
    }
    if (sync) {
      try {
        consumer.commitSync(offsets);
        markCommitted(offsets);
      } catch (WakeupException e) {
        throw e;
      } catch (KafkaException e) {
        LOG.warn(
            "Function {}: commit of {} failed; those records will be handled again: {}",
            function.name(),
            offsets,
            e.toString());
      }
    } else {
      consumer.commitAsync(
          offsets,
          (committed, failure) -> {
            if (failure == null) {
              markCommitted(committed);
            } else {
              LOG.debug(
                  "Function {}: commit failed, retried at the next interval: {}",
                  function.name(),
                  failure.toString());
            }
          });
    }
  }

  private void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach(
        (partition, offset) -> {
          OffsetTracker tracker = trackers.get(partition);
          if (tracker != null) {
            tracker.committed(offset.offset());
          }
        });
  }

  /**
   * Waits until every record taken from {@code partitions} is finished, or the drain timeout
   * passes.
   */
  private void awaitDrained(Collection<TopicPartition> partitions) {
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    for (TopicPartition partition : List.copyOf(partitions)) {
      OffsetTracker tracker = trackers.get(partition);
      while (tracker != null && !tracker.drained() && System.nanoTime() < deadline) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (tracker != null && !tracker.drained()) {
        LOG.warn(
            "Function {}: {} records of {} still running after {}; they will be handled again by the next owner",
            function.name(),
            tracker.buffered(),
            partition,
            drainTimeout);
      }
    }
  }

  /**
   * Asks the loop to stop: it stops polling, waits for the records it holds, commits and leaves the
   * group.
   */
  void stop() {
    running = false;
  }

  /** Interrupts a blocking consumer call; records not committed yet are handled again later. */
  void abort() {
    running = false;
    consumer.wakeup();
  }

  /**
   * On revoke: finish and commit the revoked partitions' records before they move to another
   * consumer.
   */
  private final class Rebalances implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      LOG.info("Function {} assigned {}", function.name(), partitions);
      if (paused) {
        consumer.pause(partitions);
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      LOG.info("Function {} revoked {}", function.name(), partitions);
      awaitDrained(partitions);
      commit(partitions, true);
      partitions.forEach(trackers::remove);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      LOG.warn(
          "Function {} lost {}; records not committed will be handled again",
          function.name(),
          partitions);
      partitions.forEach(trackers::remove);
    }
  }
}
