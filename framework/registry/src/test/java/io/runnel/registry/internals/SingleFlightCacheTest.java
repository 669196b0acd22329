package io.runnel.registry.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SingleFlightCacheTest {

  private final SingleFlightCache<String, Integer> cache = new SingleFlightCache<>();
  private final AtomicInteger computations = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);

  private Integer slowly(String key, boolean fail) {
    computations.incrementAndGet();
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (fail) {
      throw new IllegalStateException("registry unreachable");
    }
    return key.length();
  }

  /** Starts callers, waits until every one is blocked (computing or waiting), then releases. */
  private Map<Integer, Object> callConcurrently(int callers, boolean fail) throws Exception {
    Map<Integer, Object> results = new ConcurrentHashMap<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      int caller = i;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      results.put(caller, cache.get("schema", k -> slowly(k, fail)));
                    } catch (RuntimeException e) {
                      results.put(caller, e);
                    }
                  }));
    }
    while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
      Thread.sleep(1);
    }
    release.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    return results;
  }

  @Test
  void concurrentCallersShareOneComputation() throws Exception {
    Map<Integer, Object> results = callConcurrently(20, false);
    assertThat(results.values()).hasSize(20).containsOnly(6);
    assertThat(computations).hasValue(1);
    assertThat(cache.get("schema", k -> -1)).isEqualTo(6);
  }

  @Test
  void waitersShareAFailureWhichIsNotKept() throws Exception {
    Map<Integer, Object> results = callConcurrently(20, true);
    assertThat(results.values())
        .hasSize(20)
        .allSatisfy(r -> assertThat(r).isInstanceOf(IllegalStateException.class));
    assertThat(results.values().stream().distinct()).hasSize(1);
    assertThat(computations).hasValue(1);
    assertThat(cache.get("schema", k -> 42)).isEqualTo(42);
  }

  @Test
  void aValueLearntElsewhereIsUsed() {
    cache.putIfAbsent("schema", 7);
    assertThat(cache.get("schema", k -> slowly(k, true))).isEqualTo(7);
    assertThat(computations).hasValue(0);
  }
}
