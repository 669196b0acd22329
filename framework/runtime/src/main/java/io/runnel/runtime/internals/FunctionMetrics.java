package io.runnel.runtime.internals;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.pause.NoPauseDetector;
import io.runnel.function.InvocationTimeoutException;
import io.runnel.runtime.internals.DeadLetterPublisher.Stage;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * The meters of one function (named {@code runnel.function.*}, tagged {@code function}), looked up
 * once so that counting a record costs an increment, not a registry lookup. Without a {@link
 * MeterRegistry} (metrics off) {@link #NONE} counts nothing.
 */
class FunctionMetrics {

  /** Counts nothing: metrics are off. */
  static final FunctionMetrics NONE = new FunctionMetrics();

  private FunctionMetrics() {}

  /** The meters of {@code function} in {@code registry}, or {@link #NONE} without a registry. */
  static FunctionMetrics of(MeterRegistry registry, String function) {
    return registry == null ? NONE : new Metered(registry, function);
  }

  /** Whether these meters count anything; with metrics off nothing is worth measuring. */
  boolean counting() {
    return false;
  }

  /** {@code count} records of {@code topic} taken from Kafka, {@code bytes} of keys and values. */
  void taken(String topic, int count, long bytes) {}

  /** An invocation starts; it is in flight until {@link #invoked} or {@link #abandoned}. */
  void started() {}

  /**
   * An invocation (one record, or one batch) ended after {@code nanos}, retries and their pauses
   * included, of which the handler ran {@code busyNanos}.
   */
  void invoked(Invocation.Outcome outcome, long nanos, long busyNanos) {}

  /** An invocation was stopped by shutdown: no longer in flight, and not counted. */
  void abandoned() {}

  /** A failed invocation attempted again, in the process or through a retry topic. */
  void retried(int count) {}

  void deadLettered(Stage stage) {}

  /** Records taken and not yet finished, as the consumer loop last counted them. */
  void buffered(int records) {}

  /** {@code bytes} of keys and values of an output, retry record or dead letter Kafka stored. */
  void bytesOut(long bytes) {}

  /** What the {@link LagMonitor} read last. */
  void lag(LagMonitor.Reading reading) {}

  /** Partitions this instance no longer holds: their lag is no longer its to report. */
  void lagForgotten(Collection<TopicPartition> partitions) {}

  /** Exports the concurrency limit of the function's current consumer loop, read when scraped. */
  void concurrencyLimit(IntSupplier limit) {}

  private static final class Metered extends FunctionMetrics {
    private final MeterRegistry registry;
    private final String function;
    private final Map<String, Counter> recordsByTopic = new ConcurrentHashMap<>();
    private final Counter successes;
    private final Counter failures;
    private final Counter timeouts;
    private final Timer invocation;
    private final Counter retries;
    private final Counter decodeDeadLetters;
    private final Counter invokeDeadLetters;
    // In flight = started - ended: one striped update per invocation, since the end is counted
    // anyway (by the timer, or here for the few invocations shutdown stops).
    private final LongAdder started = new LongAdder();
    private final LongAdder abandoned = new LongAdder();
    private final AtomicInteger buffered = new AtomicInteger();
    private volatile IntSupplier concurrencyLimit;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter busy;
    // Only the poll thread changes the partitions; a scrape reads the gauges' values.
    private final Map<TopicPartition, PartitionLag> lagByPartition = new HashMap<>();
    private volatile LagMonitor.Reading lag = LagMonitor.Reading.NONE;

    Metered(MeterRegistry registry, String function) {
      this.registry = registry;
      this.function = function;
      successes = invocations("success");
      failures = invocations("failure");
      timeouts = invocations("timeout");
      invocation =
          Timer.builder("runnel.function.invocation")
              .description("Time an invocation took, retries included")
              .tag("function", function)
              .publishPercentileHistogram()
              // Micrometer's default pause detector adds a contended update and a clock read to
              // every recording, and samples made up after a pause, which would make the count
              // differ from the invocations.
              .pauseDetector(new NoPauseDetector())
              .register(registry);
      retries =
          Counter.builder("runnel.function.retries")
              .description("Failed invocations attempted again")
              .tag("function", function)
              .register(registry);
      decodeDeadLetters = deadLetters(Stage.DECODE);
      invokeDeadLetters = deadLetters(Stage.INVOKE);
      Gauge.builder("runnel.function.in.flight", this, Metered::inFlight)
          .description("Invocations running now")
          .tag("function", function)
          .register(registry);
      Gauge.builder("runnel.function.buffered", buffered, AtomicInteger::get)
          .description("Records taken from Kafka and not yet finished")
          .tag("function", function)
          .register(registry);
      bytesIn = counter("runnel.function.bytes.in", "Bytes of keys and values taken from Kafka");
      bytesOut =
          counter(
              "runnel.function.bytes.out",
              "Bytes of keys and values of outputs, retry records and dead letters sent");
      busy = counter("runnel.function.busy.seconds", "Time the handler ran, summed");
      lagGauge(
          "runnel.function.lag.seconds",
          "Age of the oldest record taken and not finished, by its timestamp",
          LagMonitor.Reading::lagSeconds);
      lagGauge(
          "runnel.function.arrival.rate",
          "Records/s arriving on the input partitions held, over the last lag interval",
          LagMonitor.Reading::arrivalRate);
      lagGauge(
          "runnel.function.completion.rate",
          "Records/s finished on the input partitions held, over the last lag interval",
          LagMonitor.Reading::completionRate);
      lagGauge(
          "runnel.function.desired.replicas",
          "Replicas the lag calls for: lag over the target lag per replica, capped",
          LagMonitor.Reading::desiredReplicas);
    }

    private Counter counter(String name, String description) {
      return Counter.builder(name)
          .description(description)
          .tag("function", function)
          .register(registry);
    }

    private void lagGauge(
        String name, String description, ToDoubleFunction<LagMonitor.Reading> value) {
      Gauge.builder(name, this, metered -> value.applyAsDouble(metered.lag))
          .description(description)
          .tag("function", function)
          .register(registry);
    }

    private Counter invocations(String outcome) {
      return Counter.builder("runnel.function.invocations")
          .description("Invocations ended, by outcome")
          .tags("function", function, "outcome", outcome)
          .register(registry);
    }

    private Counter deadLetters(Stage stage) {
      return Counter.builder("runnel.function.dead.letters")
          .description("Records sent to the dead-letter topic, by the stage that failed")
          .tags("function", function, "stage", stage.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }

    @Override
    boolean counting() {
      return true;
    }

    private double inFlight() {
      // Ended first: the started read after it is at least as recent, so never below it.
      long ended = invocation.count() + abandoned.sum();
      return started.sum() - ended;
    }

    @Override
    void taken(String topic, int count, long bytes) {
      recordsByTopic
          .computeIfAbsent(
              topic,
              t ->
                  Counter.builder("runnel.function.records")
                      .description("Records taken from Kafka")
                      .tags("function", function, "topic", t)
                      .register(registry))
          .increment(count);
      bytesIn.increment(bytes);
    }

    @Override
    void started() {
      started.increment();
    }

    @Override
    void invoked(Invocation.Outcome outcome, long nanos, long busyNanos) {
      invocation.record(nanos, TimeUnit.NANOSECONDS);
      busy.increment(busyNanos / 1e9);
      retried(outcome.attempts() - 1);
      if (outcome.succeeded()) {
        successes.increment();
      } else if (outcome.failure() instanceof InvocationTimeoutException) {
        timeouts.increment();
      } else {
        failures.increment();
      }
    }

    @Override
    void abandoned() {
      abandoned.increment();
    }

    @Override
    void retried(int count) {
      if (count > 0) { // most invocations succeed at once: no update for them
        retries.increment(count);
      }
    }

    @Override
    void deadLettered(Stage stage) {
      (stage == Stage.DECODE ? decodeDeadLetters : invokeDeadLetters).increment();
    }

    @Override
    void buffered(int records) {
      buffered.set(records);
    }

    @Override
    void bytesOut(long bytes) {
      bytesOut.increment(bytes);
    }

    @Override
    void lag(LagMonitor.Reading reading) {
      lag = reading;
      lagForgotten(
          lagByPartition.keySet().stream()
              .filter(partition -> !reading.lagRecords().containsKey(partition))
              .toList());
      reading
          .lagRecords()
          .forEach(
              (partition, records) ->
                  lagByPartition
                      .computeIfAbsent(partition, this::partitionLag)
                      .records()
                      .set(records));
    }

    private PartitionLag partitionLag(TopicPartition partition) {
      AtomicLong records = new AtomicLong();
      Gauge gauge =
          Gauge.builder("runnel.function.lag.records", records, AtomicLong::get)
              .description("Log end offset minus the offset the function commits, per partition")
              .tags(
                  "function",
                  function,
                  "topic",
                  partition.topic(),
                  "partition",
                  String.valueOf(partition.partition()))
              .register(registry);
      return new PartitionLag(records, gauge);
    }

    @Override
    void lagForgotten(Collection<TopicPartition> partitions) {
      for (TopicPartition partition : partitions) {
        PartitionLag forgotten = lagByPartition.remove(partition);
        if (forgotten != null) {
          registry.remove(forgotten.gauge());
        }
      }
    }

    /** The lag gauge of one partition and the value it reports. */
    private record PartitionLag(AtomicLong records, Gauge gauge) {}

    @Override
    void concurrencyLimit(IntSupplier limit) {
      // Registered once: a restarted consumer loop brings a new limiter, which the gauge reads.
      if (concurrencyLimit == null) {
        Gauge.builder("runnel.function.concurrency.limit", () -> concurrencyLimit.getAsInt())
            .description("Invocations allowed at once now")
            .tag("function", function)
            .register(registry);
      }
      concurrencyLimit = limit;
    }
  }
}
