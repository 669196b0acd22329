package io.runnel.benchmarks;

import io.runnel.examples.iot.SensorReading;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts records handled before an earlier record of the same key (per-key order violations), and
 * notes when the first record was handled.
 */
final class OrderChecker {

  private final Map<String, Double> lastByKey = new ConcurrentHashMap<>();
  private final AtomicLong violations = new AtomicLong();
  private final AtomicLong firstHandledNanos = new AtomicLong();
  private final AtomicLong handled = new AtomicLong();

  void handled(SensorReading reading) {
    firstHandledNanos.compareAndSet(0, System.nanoTime());
    handled.incrementAndGet();
    lastByKey.merge(
        reading.getDeviceId(),
        reading.getTemperatureC(),
        (previous, current) -> {
          if (current < previous) {
            violations.incrementAndGet();
          }
          return Math.max(previous, current);
        });
  }

  /**
   * When the first event was handled: runs are timed from here, so start-up and group join do not
   * count.
   */
  long firstHandledNanos() {
    return firstHandledNanos.get();
  }

  /** Records handled so far (a record handled again counts again). */
  long handled() {
    return handled.get();
  }

  long violations() {
    return violations.get();
  }
}
