package io.runnel.runtime.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.function.Ordering;
import io.runnel.test.Await;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class KeyOrderedDispatcherTest {

  static ConsumerRecord<byte[], byte[]> record(int partition, long offset, String key) {
    return new ConsumerRecord<>(
        "t", partition, offset, key == null ? null : key.getBytes(), new byte[0]);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Dispatches {@code keys x perKey} records whose tasks sleep a little, and records what ran when.
   */
  static final class Run {
    final Map<String, List<Long>> offsetsByKey = new ConcurrentHashMap<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();

    Run(Ordering ordering, int maxConcurrency, int keys, int perKey) throws InterruptedException {
      CountDownLatch done = new CountDownLatch(keys * perKey);
      try (KeyOrderedDispatcher dispatcher =
          new KeyOrderedDispatcher(ordering, ConcurrencyLimiter.fixed(maxConcurrency), "test")) {
        long offset = 0;
        for (int i = 0; i < perKey; i++) {
          for (int k = 0; k < keys; k++) {
            ConsumerRecord<byte[], byte[]> record = record(0, offset++, "key-" + k);
            dispatcher.dispatch(
                dispatcher.orderingKey(record),
                () -> {
                  maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                  sleep(1);
                  offsetsByKey
                      .computeIfAbsent(new String(record.key()), x -> new CopyOnWriteArrayList<>())
                      .add(record.offset());
                  running.decrementAndGet();
                  done.countDown();
                });
          }
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(dispatcher.keysInFlight()).isLessThanOrEqualTo(keys);
        // Once every task is done, no key is remembered.
        Await.until("no key in flight", () -> dispatcher.keysInFlight() == 0);
      }
    }
  }

  @Test
  void recordsOfOneKeyRunInOffsetOrderWhileKeysRunConcurrently() throws Exception {
    Run run = new Run(Ordering.KEY, 1000, 50, 20);
    run.offsetsByKey.values().forEach(offsets -> assertThat(offsets).isSorted().hasSize(20));
    assertThat(run.maxRunning.get()).isGreaterThan(1).isLessThanOrEqualTo(50);
  }

  @Test
  void concurrencyNeverExceedsTheLimit() throws Exception {
    Run run = new Run(Ordering.UNORDERED, 7, 50, 10);
    assertThat(run.maxRunning.get()).isEqualTo(7);
  }

  @Test
  void partitionOrderingRunsOnePartitionsRecordsOneAtATime() throws Exception {
    Run run = new Run(Ordering.PARTITION, 1000, 10, 10);
    assertThat(run.maxRunning.get()).isEqualTo(1);
  }

  @Test
  void recordsWithoutKeyAreOrderedByPartitionAndKeysCompareByContent() {
    try (KeyOrderedDispatcher dispatcher =
        new KeyOrderedDispatcher(Ordering.KEY, ConcurrencyLimiter.fixed(10), "test")) {
      assertThat(dispatcher.orderingKey(record(0, 0, null)))
          .isEqualTo(dispatcher.orderingKey(record(0, 1, null)));
      assertThat(dispatcher.orderingKey(record(0, 0, null)))
          .isNotEqualTo(dispatcher.orderingKey(record(1, 1, null)));
      assertThat(dispatcher.orderingKey(record(0, 0, "a")))
          .isEqualTo(dispatcher.orderingKey(record(0, 9, "a")));
      assertThat(dispatcher.orderingKey(record(0, 0, "a")))
          .isNotEqualTo(dispatcher.orderingKey(record(0, 0, "b")));
    }
  }

  @Test
  void aFailingTaskDoesNotStopItsKey() throws Exception {
    List<Integer> ran = new CopyOnWriteArrayList<>();
    try (KeyOrderedDispatcher dispatcher =
        new KeyOrderedDispatcher(Ordering.KEY, ConcurrencyLimiter.fixed(10), "test")) {
      Object key = dispatcher.orderingKey(record(0, 0, "k"));
      dispatcher.dispatch(
          key,
          () -> {
            ran.add(1);
            throw new IllegalStateException("bug in a task");
          });
      CountDownLatch second = new CountDownLatch(1);
      dispatcher.dispatch(
          key,
          () -> {
            ran.add(2);
            second.countDown();
          });
      assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(ran).containsExactly(1, 2);
  }

  @Test
  void aTaskSleepingWithoutItsPermitLetsAnotherKeyRunAndTakesThePermitBack() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    try (KeyOrderedDispatcher dispatcher =
        new KeyOrderedDispatcher(Ordering.KEY, ConcurrencyLimiter.fixed(1), "test")) {
      CountDownLatch sleeping = new CountDownLatch(1);
      CountDownLatch bothDone = new CountDownLatch(2);
      dispatcher.dispatch(
          dispatcher.orderingKey(record(0, 0, "waits")),
          () -> {
            sleeping.countDown();
            try {
              dispatcher.sleepWithoutPermit(2_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            ran.add("waits");
            bothDone.countDown();
          });
      assertThat(sleeping.await(5, TimeUnit.SECONDS)).isTrue();
      dispatcher.dispatch(
          dispatcher.orderingKey(record(0, 1, "other")),
          () -> {
            ran.add("other");
            bothDone.countDown();
          });
      assertThat(bothDone.await(5, TimeUnit.SECONDS)).isTrue();
      // With the only permit held through the sleep, "other" would run after "waits".
      assertThat(ran).containsExactly("other", "waits");
      // The permit came back, once: two more keys still run one at a time.
      AtomicInteger running = new AtomicInteger();
      AtomicInteger maxRunning = new AtomicInteger();
      CountDownLatch twoMore = new CountDownLatch(2);
      for (String key : List.of("a", "b")) {
        dispatcher.dispatch(
            dispatcher.orderingKey(record(0, 2, key)),
            () -> {
              maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
              sleep(100);
              running.decrementAndGet();
              twoMore.countDown();
            });
      }
      assertThat(twoMore.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(maxRunning.get()).isEqualTo(1);
    }
  }
}
