package io.runnel.runtime.internals;

import io.runnel.usage.UsageRecord;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one function did since its usage was last published (pay-per-use metering): counted on the
 * record path with {@link LongAdder}s, which a thousand handler threads add to without contention,
 * and taken out once a minute by the {@link UsagePublisher}. Apart from the metrics (which may be
 * off), so that usage is counted whatever the metrics settings. With metering off, {@link #NONE}
 * counts nothing.
 */
class UsageMeter {

  /** Counts nothing: metering is off. */
  static final UsageMeter NONE = new UsageMeter();

  private UsageMeter() {}

  /** A meter of {@code function} whose counts {@link #takeRecord} takes out. */
  static UsageMeter counting(String function) {
    return new Counting(function);
  }

  /** {@code records} taken from Kafka, {@code bytes} of keys and values. */
  void taken(int records, long bytes) {}

  /** An invocation ended (one record, or one batch) after {@code busyNanos} of handler time. */
  void invoked(boolean failed, long busyNanos) {}

  /** A record of {@code bytes} (key and value) emitted. */
  void emitted(int bytes) {}

  /**
   * The counts since the last call, reset to zero, as the usage record of {@code minuteStart}; null
   * when nothing was counted. Counts added meanwhile land in this record or the next, never in
   * both.
   */
  UsageRecord takeRecord(String instanceId, Instant minuteStart) {
    return null;
  }

  /** Adds back the counts of a record that could not be published, for the next one. */
  void putBack(UsageRecord record) {}

  private static final class Counting extends UsageMeter {
    private final String function;
    private final LongAdder invocations = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder busyNanos = new LongAdder();
    private final LongAdder recordsIn = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder recordsOut = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    Counting(String function) {
      this.function = function;
    }

    @Override
    void taken(int records, long bytes) {
      recordsIn.add(records);
      bytesIn.add(bytes);
    }

    @Override
    void invoked(boolean failed, long busyNanos) {
      invocations.increment();
      if (failed) {
        failures.increment();
      }
      this.busyNanos.add(busyNanos);
    }

    @Override
    void emitted(int bytes) {
      recordsOut.increment();
      bytesOut.add(bytes);
    }

    @Override
    UsageRecord takeRecord(String instanceId, Instant minuteStart) {
      // sumThenReset swaps each cell to zero: an add racing with it is kept for the next record.
      UsageRecord record =
          UsageRecord.newBuilder()
              .setFunction(function)
              .setInstanceId(instanceId)
              .setMinuteStart(minuteStart)
              .setInvocations(invocations.sumThenReset())
              .setFailures(failures.sumThenReset())
              .setBusyNanos(busyNanos.sumThenReset())
              .setRecordsIn(recordsIn.sumThenReset())
              .setBytesIn(bytesIn.sumThenReset())
              .setRecordsOut(recordsOut.sumThenReset())
              .setBytesOut(bytesOut.sumThenReset())
              .build();
      boolean nothing =
          record.getInvocations() == 0
              && record.getBusyNanos() == 0
              && record.getRecordsIn() == 0
              && record.getRecordsOut() == 0;
      return nothing ? null : record;
    }

    @Override
    void putBack(UsageRecord record) {
      invocations.add(record.getInvocations());
      failures.add(record.getFailures());
      busyNanos.add(record.getBusyNanos());
      recordsIn.add(record.getRecordsIn());
      bytesIn.add(record.getBytesIn());
      recordsOut.add(record.getRecordsOut());
      bytesOut.add(record.getBytesOut());
    }
  }
}
