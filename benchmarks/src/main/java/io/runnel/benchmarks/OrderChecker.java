package io.runnel.benchmarks;

import io.runnel.examples.iot.SensorReading;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts records handled before an earlier record of the same key (per-key order violations). */
final class OrderChecker {

  private final Map<String, Double> lastByKey = new ConcurrentHashMap<>();
  private final AtomicLong violations = new AtomicLong();

  void handled(SensorReading reading) {
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

  long violations() {
    return violations.get();
  }
}
