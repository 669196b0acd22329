package io.runnel.runtime.internals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer thread of one function: polls, hands the records of each partition to the {@link
 * Handler} (which runs them on virtual threads in key order), tracks them in {@link
 * PartitionOffsets}, and asks its {@link CommitStrategy} to commit periodically, on revoke and on
 * shutdown, and its {@link LagMonitor} to read the lag at its interval.
 *
 * <p>When more than {@code maxBufferedRecords} records are held, the assigned partitions are paused
 * (polling goes on, so the consumer stays in its group) and resumed once half are done.
 *
 * <p>An error (a {@code KafkaException}, a fenced client, any unexpected {@code RuntimeException})
 * ends {@link #run()} by throwing it, once the consumer is closed: the {@link
 * ConsumerLoopSupervisor} starts a new loop. Its first poll marks the {@link ConsumerLoopStatus}
 * POLLING.
 */
final class ConsumerLoop implements Runnable {

  /** Where the loop hands the records of one poll of one partition, in offset order. */
  @FunctionalInterface
  interface Handler {
    void submitPolled(List<RecordWork> polled);
  }

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
  static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

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

  private final String functionName;
  private final List<String> topics;
  private final int maxBufferedRecords;
  private final Duration commitInterval;
  private final Consumer<byte[], byte[]> consumer;
  private final PartitionOffsets offsets;
  private final CommitStrategy commits;
  private final Handler handler;
  private final RecordWork.SendFailures sendFailures;
  private final RecordMeters meters;
  private final LagMonitor lag;
  private final ConsumerLoopStatus status;
  private final AssignedState state;
  private boolean polled;
  private boolean paused;
  private int buffered;
  private long lastCommitNanos = System.nanoTime();
  private volatile boolean running = true;

  /**
   * @param topics the topics to subscribe to, retry topics included
   * @param sendFailures what happens to a record whose output was not acknowledged
   */
  ConsumerLoop(
      String functionName,
      List<String> topics,
      int maxBufferedRecords,
      Duration commitInterval,
      Consumer<byte[], byte[]> consumer,
      PartitionOffsets offsets,
      CommitStrategy commits,
      Handler handler,
      RecordWork.SendFailures sendFailures,
      RecordMeters meters,
      LagMonitor lag,
      ConsumerLoopStatus status,
      AssignedState state) {
    this.functionName = functionName;
    this.topics = topics;
    this.maxBufferedRecords = maxBufferedRecords;
    this.commitInterval = commitInterval;
    this.consumer = consumer;
    this.offsets = offsets;
    this.commits = commits;
    this.handler = handler;
    this.sendFailures = sendFailures;
    this.meters = meters;
    this.lag = lag;
    this.status = status;
    this.state = state;
  }

  @Override
  public void run() {
    try {
      subscribe();
      while (running) {
        pollOnce();
      }
      commits.commitBeforeLeaving();
    } catch (WakeupException e) {
      LOG.warn("Function {} aborted; records not committed will be handled again", functionName);
    } finally {
      consumer.close(Duration.ofSeconds(10));
    }
  }

  void subscribe() {
    consumer.subscribe(topics, new Rebalances());
  }

  /** One turn of the loop: poll, take what came, pause or resume, and commit when it is time. */
  void pollOnce() {
    ConsumerRecords<byte[], byte[]> records =
        consumer.poll(
            paused ? PAUSED_POLL_TIMEOUT : buffered > 0 ? BUSY_POLL_TIMEOUT : POLL_TIMEOUT);
    if (!polled) {
      polled = true;
      status.polling();
    }
    take(records);
    applyBackpressure();
    // Commit at the interval, and at once when a burst is done (the input is quiet and every
    // record taken is finished), so its last records do not wait for the interval. Not on
    // every quiet poll: while records run, that would be a commit every busy poll timeout.
    if ((records.isEmpty() && buffered == 0)
        || System.nanoTime() - lastCommitNanos >= commitInterval.toNanos()) {
      lastCommitNanos = System.nanoTime();
      commits.commit();
    }
    lag.readIfDue();
  }

  private void take(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> polled = records.records(partition);
      List<RecordWork> works = new ArrayList<>(polled.size());
      long bytes = 0;
      for (ConsumerRecord<byte[], byte[]> record : polled) {
        RecordWork work = new RecordWork(record, sendFailures, meters.metrics());
        offsets.taken(partition, work);
        works.add(work);
        // -1 for a null key or value
        bytes +=
            Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
      }
      meters.taken(partition.topic(), works.size(), bytes);
      handler.submitPolled(works);
    }
  }

  private void applyBackpressure() {
    buffered = offsets.buffered();
    meters.metrics().buffered(buffered);
    if (!paused && buffered >= maxBufferedRecords) {
      consumer.pause(consumer.assignment());
      paused = true;
      LOG.debug("Function {} holds {} records: partitions paused", functionName, buffered);
    } else if (paused && buffered <= maxBufferedRecords / 2) {
      consumer.resume(consumer.paused());
      paused = false;
      LOG.debug("Function {} holds {} records: partitions resumed", functionName, buffered);
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
   * On assignment: load the partitions' state (its {@link AssignedState}) before {@code poll}
   * returns their records. On revoke: finish and commit the revoked partitions' records before they
   * move to another consumer, then drop their state. Partitions assigned while paused start paused.
   */
  private final class Rebalances implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      LOG.info("Function {} assigned {}", functionName, partitions);
      status.assigned(consumer.assignment().size());
      state.assigned(partitions);
      if (paused) {
        consumer.pause(partitions);
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      LOG.info("Function {} revoked {}", functionName, partitions);
      commits.commitRevoked(partitions);
      offsets.forget(partitions);
      state.dropped(partitions);
      lag.forget(partitions);
      status.assigned(held(partitions));
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      LOG.warn(
          "Function {} lost {}; records not committed will be handled again",
          functionName,
          partitions);
      offsets.forget(partitions);
      state.dropped(partitions);
      lag.forget(partitions);
      status.assigned(held(partitions));
    }

    /** The partitions held once {@code leaving} are gone. */
    private int held(Collection<TopicPartition> leaving) {
      Set<TopicPartition> held = new HashSet<>(consumer.assignment());
      held.removeAll(leaving);
      return held.size();
    }
  }
}
