package io.runnel.benchmarks;

import io.runnel.examples.iot.SensorReading;
import io.runnel.examples.iot.TemperatureAlert;
import io.runnel.test.CapacityLimitedDownstream;
import java.time.Instant;
import org.HdrHistogram.Recorder;

/**
 * One benchmark workload: a pre-produced input topic of {@link SensorReading}s (sequence number in
 * {@code temperatureC}, key {@code dev-<n % keys>}) and the per-event work every contender does.
 *
 * @param downstream a saturable service each event calls, whose call times go to {@code latencies};
 *     or null
 */
record Workload(
    String name,
    String topic,
    int partitions,
    int events,
    int keys,
    long sleepMs,
    CapacityLimitedDownstream downstream,
    Recorder latencies) {

  Workload(String name, String topic, int partitions, int events, int keys, long sleepMs) {
    this(name, topic, partitions, events, keys, sleepMs, null, null);
  }

  /**
   * The same work for every contender: optionally wait (a remote call) or call the downstream, then
   * build the output.
   */
  TemperatureAlert handle(SensorReading reading) {
    if (downstream != null) {
      long start = System.nanoTime();
      try {
        downstream.call();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      latencies.recordValue(System.nanoTime() - start);
    } else if (sleepMs > 0) {
      try {
        Thread.sleep(sleepMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return TemperatureAlert.newBuilder()
        .setDeviceId(reading.getDeviceId())
        .setTimestamp(reading.getTimestamp())
        .setTemperatureC(reading.getTemperatureC())
        .setThreshold(0.0)
        .build();
  }

  SensorReading event(int sequence, Instant timestamp) {
    return SensorReading.newBuilder()
        .setDeviceId("dev-" + (sequence % keys))
        .setTimestamp(timestamp)
        .setTemperatureC(sequence)
        .build();
  }
}
