package io.runnel.runtime.internals;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.runnel.function.InvocationTimeoutException;
import io.runnel.runtime.internals.DeadLetterPublisher.Stage;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

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

  /** {@code count} records of {@code topic} taken from Kafka. */
  void taken(String topic, int count) {}

  /** An invocation (one record, or one batch) ended after {@code nanos}, retries included. */
  void invoked(Invocation.Outcome outcome, long nanos) {}

  /** A failed invocation attempted again, in the process or through a retry topic. */
  void retried(int count) {}

  void deadLettered(Stage stage) {}

  /** An invocation starts ({@code +1}) or ends ({@code -1}). */
  void inFlight(int change) {}

  /** Records taken and not yet finished, as the consumer loop last counted them. */
  void buffered(int records) {}

  /** Exports the function's concurrency limit, read when scraped. */
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
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger buffered = new AtomicInteger();

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
              .register(registry);
      retries =
          Counter.builder("runnel.function.retries")
              .description("Failed invocations attempted again")
              .tag("function", function)
              .register(registry);
      decodeDeadLetters = deadLetters(Stage.DECODE);
      invokeDeadLetters = deadLetters(Stage.INVOKE);
      Gauge.builder("runnel.function.in.flight", inFlight, AtomicInteger::get)
          .description("Invocations running now")
          .tag("function", function)
          .register(registry);
      Gauge.builder("runnel.function.buffered", buffered, AtomicInteger::get)
          .description("Records taken from Kafka and not yet finished")
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
    void taken(String topic, int count) {
      recordsByTopic
          .computeIfAbsent(
              topic,
              t ->
                  Counter.builder("runnel.function.records")
                      .description("Records taken from Kafka")
                      .tags("function", function, "topic", t)
                      .register(registry))
          .increment(count);
    }

    @Override
    void invoked(Invocation.Outcome outcome, long nanos) {
      invocation.record(nanos, TimeUnit.NANOSECONDS);
      if (outcome.succeeded()) {
        successes.increment();
      } else if (outcome.failure() instanceof InvocationTimeoutException) {
        timeouts.increment();
      } else {
        failures.increment();
      }
    }

    @Override
    void retried(int count) {
      retries.increment(count);
    }

    @Override
    void deadLettered(Stage stage) {
      (stage == Stage.DECODE ? decodeDeadLetters : invokeDeadLetters).increment();
    }

    @Override
    void inFlight(int change) {
      inFlight.addAndGet(change);
    }

    @Override
    void buffered(int records) {
      buffered.set(records);
    }

    @Override
    void concurrencyLimit(IntSupplier limit) {
      Gauge.builder("runnel.function.concurrency.limit", limit::getAsInt)
          .description("Invocations allowed at once now")
          .tag("function", function)
          .register(registry);
    }
  }
}
