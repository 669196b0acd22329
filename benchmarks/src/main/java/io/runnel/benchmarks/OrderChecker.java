package io.runnel.benchmarks;

import io.runnel.examples.iot.SensorReading;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Recorder;

/**
 * Counts records handled before an earlier record of the same key (per-key order violations), notes
 * when the first record was handled and, when given a recorder, the end-to-end latency of each
 * (from the event's timestamp, set when it was produced, to its handling).
 *
 * <p>A workload's event carries its sequence number, and its key is the sequence modulo the key
 * count, so the latest sequence per key fits an array: the check costs every contender the same few
 * nanoseconds, not a map update that would weigh on the fastest.
 */
final class OrderChecker {

  private final AtomicLongArray latestByKey;
  private final AtomicLong violations = new AtomicLong();
  private final AtomicLong firstHandledNanos = new AtomicLong();
  private final AtomicLong handled = new AtomicLong();
  private final Recorder endToEndMillis;

  OrderChecker(Workload workload) {
    this(workload, null);
  }

  /** A checker that also records each event's end-to-end latency in milliseconds. */
  OrderChecker(Workload workload, Recorder endToEndMillis) {
    latestByKey = new AtomicLongArray(workload.keys());
    this.endToEndMillis = endToEndMillis;
  }

  void handled(SensorReading reading) {
    firstHandledNanos.compareAndSet(0, System.nanoTime());
    handled.incrementAndGet();
    if (endToEndMillis != null) {
      endToEndMillis.recordValue(
          Math.max(0, System.currentTimeMillis() - reading.getTimestamp().toEpochMilli()));
    }
    long sequence = (long) reading.getTemperatureC();
    int key = (int) (sequence % latestByKey.length());
    long previous = latestByKey.getAndAccumulate(key, sequence + 1, Math::max);
    if (sequence + 1 < previous) {
      violations.incrementAndGet();
    }
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
