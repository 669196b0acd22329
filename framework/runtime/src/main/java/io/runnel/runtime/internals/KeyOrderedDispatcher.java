package io.runnel.runtime.internals;

import io.runnel.function.Ordering;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs record tasks on virtual threads with at most as many running at once as its {@link
 * ConcurrencyLimiter} allows, while tasks with the same ordering key run one after another in the
 * order they were dispatched.
 *
 * <p>Each ordering key in flight has a lane: the queue of its tasks, drained in order by one
 * virtual thread, so consecutive records of a busy key follow each other without a thread handoff.
 * The lane is removed (in the same atomic map operation that finds it empty) when its last task is
 * done, so memory grows with the keys in flight, not with all keys ever seen.
 */
final class KeyOrderedDispatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KeyOrderedDispatcher.class);

  private final Ordering ordering;
  private final ConcurrencyLimiter limiter;
  private final ExecutorService threads;
  private final Map<Object, ArrayDeque<Runnable>> lanes = new ConcurrentHashMap<>();

  /** Virtual threads are all named {@code threadName}: numbering each would cost a string. */
  KeyOrderedDispatcher(Ordering ordering, ConcurrencyLimiter limiter, String threadName) {
    this.ordering = ordering;
    this.limiter = limiter;
    this.threads =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadName).factory());
  }

  /** The key whose tasks must not overlap, by the ordering mode; null when any task may overlap. */
  Object orderingKey(ConsumerRecord<byte[], byte[]> record) {
    return switch (ordering) {
      case UNORDERED -> null;
      case PARTITION -> new TopicPartition(record.topic(), record.partition());
      case KEY ->
          record.key() == null
              ? new TopicPartition(record.topic(), record.partition())
              : new RecordKey(record.topic(), record.partition(), record.key());
    };
  }

  /**
   * Runs {@code task} after every task dispatched earlier with the same key (any thread may call
   * this). The task must not throw: it handles its own failures.
   */
  void dispatch(Object key, Runnable task) {
    dispatch(key, 0, task);
  }

  /**
   * Like {@link #dispatch(Object, Runnable)}, but the task starts no earlier than {@code
   * notBeforeMillis} (epoch ms); it waits without holding a concurrency permit.
   */
  void dispatch(Object key, long notBeforeMillis, Runnable task) {
    Runnable limited =
        () -> {
          if (waitUntil(notBeforeMillis)) {
            runWithPermit(task);
          }
        };
    if (key == null) {
      threads.execute(limited);
      return;
    }
    boolean[] idle = new boolean[1];
    lanes.compute(
        key,
        (k, lane) -> {
          if (lane == null) {
            lane = new ArrayDeque<>();
            idle[0] = true;
          }
          lane.addLast(limited);
          return lane;
        });
    if (idle[0]) {
      threads.execute(() -> drain(key, limited));
    }
  }

  /**
   * Runs the key's tasks in order, starting with {@code first}, until its lane is empty, then
   * forgets the key. The running task stays at the head of the lane, so a task dispatched meanwhile
   * queues behind it instead of starting a second drainer.
   */
  private void drain(Object key, Runnable first) {
    Runnable[] next = {first};
    while (next[0] != null) {
      next[0].run();
      lanes.computeIfPresent(
          key,
          (k, lane) -> {
            lane.pollFirst();
            next[0] = lane.peekFirst();
            return next[0] == null ? null : lane;
          });
    }
  }

  private static boolean waitUntil(long epochMillis) {
    long wait = epochMillis - System.currentTimeMillis();
    if (wait <= 0) {
      return true;
    }
    try {
      Thread.sleep(wait);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void runWithPermit(Runnable task) {
    long enteredAt;
    try {
      enteredAt = limiter.enter();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      // A task failing here is a bug; keep its key's later tasks running all the same.
      LOG.error("Record task failed unexpectedly", e);
    } finally {
      limiter.exit(enteredAt);
    }
  }

  /**
   * Sleeps without the calling task's concurrency permit, taking it back before returning (also
   * when interrupted). Only for tasks this dispatcher runs: they hold a permit.
   */
  void sleepWithoutPermit(long millis) throws InterruptedException {
    limiter.suspend();
    try {
      Thread.sleep(millis);
    } finally {
      limiter.resume();
    }
  }

  /** Keys with tasks running or waiting. */
  int keysInFlight() {
    return lanes.size();
  }

  @Override
  public void close() {
    threads.shutdown();
    try {
      threads.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    threads.shutdownNow();
  }

  /**
   * A record key within its partition; keys compare by content. The hash is computed once: the
   * lanes map looks a key up at least twice.
   */
  private static final class RecordKey {
    private final String topic;
    private final int partition;
    private final byte[] key;
    private final int hash;

    RecordKey(String topic, int partition, byte[] key) {
      this.topic = topic;
      this.partition = partition;
      this.key = key;
      this.hash = (topic.hashCode() * 31 + partition) * 31 + Arrays.hashCode(key);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof RecordKey that
          && hash == that.hash
          && partition == that.partition
          && topic.equals(that.topic)
          && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return topic + "-" + partition + ":" + Arrays.toString(key);
    }
  }
}
