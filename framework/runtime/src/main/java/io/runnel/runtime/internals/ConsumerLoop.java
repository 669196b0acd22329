package io.runnel.runtime.internals;

import io.runnel.support.FunctionDescriptor;
import io.runnel.support.FunctionShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
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

  /**
   * While records are in flight the loop wakes up sooner, so a finished burst is committed within
   * milliseconds rather than a whole idle poll later.
   */
  private static final Duration BUSY_POLL_TIMEOUT = Duration.ofMillis(10);

  /**
   * While paused, the loop looks at the finished records often: handlers drain a full buffer in
   * tens of milliseconds, and resuming a poll timeout late leaves them idle until the next fetch.
   */
  private static final Duration PAUSED_POLL_TIMEOUT = Duration.ofMillis(1);

  private final FunctionDescriptor function;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final RecordProcessor processor;
  private final Duration commitInterval;
  private final Duration drainTimeout;
  private final OutputProducer transactions;
  private final AtomicBoolean transactionFailed = new AtomicBoolean();
  private final Map<TopicPartition, OffsetTracker> trackers = new HashMap<>();
  private boolean paused;
  private int buffered;
  private long lastCommitNanos = System.nanoTime();
  private volatile boolean running = true;

  ConsumerLoop(
      FunctionDescriptor function,
      KafkaConsumer<byte[], byte[]> consumer,
      RecordProcessor processor,
      Duration commitInterval,
      Duration drainTimeout,
      OutputProducer transactions) {
    this.function = function;
    this.transactions = transactions;
    this.consumer = consumer;
    this.processor = processor;
    this.commitInterval = commitInterval;
    this.drainTimeout = drainTimeout;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(RetryTopics.subscribedTopics(function), new Rebalances());
      while (running) {
        ConsumerRecords<byte[], byte[]> records =
            consumer.poll(
                paused ? PAUSED_POLL_TIMEOUT : buffered > 0 ? BUSY_POLL_TIMEOUT : POLL_TIMEOUT);
        take(records);
        applyBackpressure();
        // Commit at the interval, and at once when a burst is done (the input is quiet and every
        // record taken is finished), so its last records do not wait for the interval. Not on
        // every quiet poll: while records run, that would be a commit every busy poll timeout.
        if ((records.isEmpty() && buffered == 0)
            || System.nanoTime() - lastCommitNanos >= commitInterval.toNanos()) {
          commit(trackers.keySet(), false);
        }
      }
      awaitDrained(trackers.keySet());
      commitBeforeLeaving();
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
        RecordWork work =
            new RecordWork(record, transactions == null ? processor : this::failTransaction);
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
    buffered = 0;
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
    if (transactions != null) {
      commitTransaction();
      return;
    }
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
      } catch (WakeupException | RebalanceInProgressException e) {
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

  /**
   * The last commit on shutdown. A rebalance in progress (another instance joining) refuses commits
   * until this consumer rejoins, so poll to let it complete (the records polled are not handled,
   * and the revoke callback commits what moves) and try again, for as long as the drain timeout
   * allows.
   */
  private void commitBeforeLeaving() {
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    while (true) {
      try {
        commit(trackers.keySet(), true);
        return;
      } catch (RebalanceInProgressException e) {
        if (System.nanoTime() > deadline) {
          LOG.warn(
              "Function {}: a rebalance kept the last commit from happening; records not committed will be handled again",
              function.name());
          return;
        }
        consumer.poll(POLL_TIMEOUT);
      }
    }
  }

  /**
   * Exactly-once: once every record taken is finished (no new ones are taken meanwhile, as this
   * runs on the poll thread), commits their outputs and the offsets in one transaction. When a send
   * failed or records are still running at the drain timeout, aborts instead and goes back to the
   * last committed offsets.
   */
  private void commitTransaction() {
    lastCommitNanos = System.nanoTime();
    boolean drained = awaitDrained(trackers.keySet());
    if (!drained || transactionFailed.getAndSet(false)) {
      abortAndRewind();
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    trackers.forEach(
        (partition, tracker) ->
            tracker
                .committable()
                .ifPresent(offset -> offsets.put(partition, new OffsetAndMetadata(offset))));
    if (offsets.isEmpty()) {
      return; // no record finished since the last commit, so nothing was sent either
    }
    try {
      transactions.commitTransaction(offsets, consumer.groupMetadata());
      markCommitted(offsets);
    } catch (ProducerFencedException | InvalidProducerEpochException e) {
      throw e; // another instance took over this transactional id: stop
    } catch (KafkaException e) {
      LOG.warn(
          "Function {}: transaction commit failed, aborting and handling its records again: {}",
          function.name(),
          e.toString());
      abortAndRewind();
    }
  }

  private void abortAndRewind() {
    transactions.abortTransaction();
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(trackers.keySet());
    for (TopicPartition partition : trackers.keySet()) {
      OffsetAndMetadata offset = committed.get(partition);
      if (offset != null) {
        consumer.seek(partition, offset);
      } else {
        consumer.seekToBeginning(List.of(partition));
      }
    }
    trackers.clear();
  }

  private void failTransaction(RecordWork work, Exception sendFailure) {
    LOG.warn(
        "Function {}: an output of offset {} was not acknowledged ({}); the transaction will be aborted",
        function.name(),
        work.offset(),
        sendFailure.toString());
    transactionFailed.set(true);
    work.handled();
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
  private boolean awaitDrained(Collection<TopicPartition> partitions) {
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
            function.name(),
            tracker.buffered(),
            partition,
            drainTimeout);
      }
    }
    return drained;
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
      if (transactions != null) {
        commitTransaction(); // one transaction spans all partitions
      } else {
        awaitDrained(partitions);
        try {
          commit(partitions, true);
        } catch (RebalanceInProgressException e) {
          LOG.warn(
              "Function {}: commit on revoke refused by a rebalance; {} will be handled again from the last commit",
              function.name(),
              partitions);
        }
      }
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
