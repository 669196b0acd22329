package io.runnel.runtime.internals;

/**
 * Where the record path reports what it did, once for both observers: the function's {@link
 * FunctionMetrics} and its {@link UsageMeter} (either may be off). A poll's bytes are summed once,
 * and the end of an invocation is one report.
 */
record RecordMeters(FunctionMetrics metrics, UsageMeter usage) {

  /** Counts nothing: metrics and metering are off. */
  static final RecordMeters NONE = new RecordMeters(FunctionMetrics.NONE, UsageMeter.NONE);

  /** {@code count} records of {@code topic} taken from Kafka, {@code bytes} of keys and values. */
  void taken(String topic, int count, long bytes) {
    metrics.taken(topic, count, bytes);
    usage.taken(count, bytes);
  }

  /** An invocation starts; it ends with {@link #ended} or {@link #abandoned}. */
  void started() {
    metrics.started();
  }

  /**
   * An invocation (one record, or one batch) ended after {@code nanos}, retries and their pauses
   * included, of which the handler ran {@code busyNanos}.
   */
  void ended(Invocation.Outcome outcome, long nanos, long busyNanos) {
    metrics.invoked(outcome, nanos, busyNanos);
    usage.invoked(!outcome.succeeded(), busyNanos);
  }

  /** An invocation stopped by shutdown: its record is handled again, so it is not counted. */
  void abandoned() {
    metrics.abandoned();
  }
}
