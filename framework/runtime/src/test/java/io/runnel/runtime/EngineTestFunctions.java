package io.runnel.runtime;

import io.micronaut.context.annotation.Requires;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.EventFunction;
import io.runnel.function.Ordering;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Functions exercised by {@link ExecutionEngineTest}; enabled only in its context. */
final class EngineTestFunctions {

  private EngineTestFunctions() {}

  static final String SUITE = "runnel.test.suite=engine";

  /** Counts invocations running at the same time. */
  static final class Concurrency {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();

    void enter() {
      max.accumulateAndGet(running.incrementAndGet(), Math::max);
    }

    void exit() {
      running.decrementAndGet();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "engine")
  static class OrderedFunction {
    final Map<String, List<Double>> sequenceByDevice = new ConcurrentHashMap<>();
    final Concurrency concurrency = new Concurrency();

    @EventFunction(name = "ordered", topics = "eng.ordered")
    void handle(SensorReading reading) {
      concurrency.enter();
      try {
        sleep(ThreadLocalRandom.current().nextInt(3));
        sequenceByDevice
            .computeIfAbsent(reading.getDeviceId(), d -> new CopyOnWriteArrayList<>())
            .add(reading.getTemperatureC());
      } finally {
        concurrency.exit();
      }
    }
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "engine")
  static class HangingFunction {
    final List<String> handled = new CopyOnWriteArrayList<>();
    final AtomicInteger hangs = new AtomicInteger();

    @EventFunction(
        name = "hanging",
        topics = "eng.hang",
        timeoutMs = 300,
        maxAttempts = 2,
        retryBackoffMs = 10)
    void handle(SensorReading reading) throws InterruptedException {
      if (reading.getDeviceId().equals("hangs")) {
        hangs.incrementAndGet();
        Thread.sleep(600_000);
      }
      handled.add(reading.getDeviceId());
    }
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "engine")
  static class BoundedFunction {
    final Concurrency concurrency = new Concurrency();
    final AtomicInteger handled = new AtomicInteger();

    @EventFunction(
        name = "bounded",
        topics = "eng.bounded",
        ordering = Ordering.UNORDERED,
        maxBufferedRecords = 20)
    void handle(SensorReading reading) {
      concurrency.enter();
      try {
        sleep(20);
        handled.incrementAndGet();
      } finally {
        concurrency.exit();
      }
    }
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "engine")
  static class RetryingFunction {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final Map<String, Long> handledAtMillis = new ConcurrentHashMap<>();

    @EventFunction(
        name = "retrying",
        topics = "eng.retry",
        maxAttempts = 1,
        retryTopicDelaysMs = {300, 300})
    void handle(SensorReading reading) {
      String device = reading.getDeviceId();
      int call = calls.computeIfAbsent(device, d -> new AtomicInteger()).incrementAndGet();
      if (device.equals("always") || (device.equals("twice") && call <= 2)) {
        throw new IllegalStateException(device + " failed call " + call);
      }
      handledAtMillis.put(device, System.currentTimeMillis());
    }
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "engine")
  static class BackingOffFunction {
    final Map<String, Long> handledAtMillis = new ConcurrentHashMap<>();
    final AtomicInteger failures = new AtomicInteger();

    @EventFunction(
        name = "backing-off",
        topics = "eng.backoff",
        maxConcurrency = 1,
        maxAttempts = 2,
        retryBackoffMs = 3_000,
        retryJitter = 0)
    void handle(SensorReading reading) {
      if (reading.getDeviceId().equals("fails-once") && failures.getAndIncrement() == 0) {
        throw new IllegalStateException("first call fails");
      }
      handledAtMillis.put(reading.getDeviceId(), System.currentTimeMillis());
    }
  }
}
