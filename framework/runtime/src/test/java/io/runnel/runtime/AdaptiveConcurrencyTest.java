package io.runnel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.runnel.examples.iot.SensorReading;
import io.runnel.function.ConcurrencyPolicy;
import io.runnel.function.EventFunction;
import io.runnel.test.Await;
import io.runnel.test.CapacityLimitedDownstream;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Through a real broker: a function whose handler calls a downstream serving 50 calls at once keeps
 * the calls pending there near that capacity with the adaptive policy, and piles up its whole
 * {@code maxConcurrency} with the fixed one.
 */
@RunnelTest(properties = "runnel.test.suite=adaptive-concurrency")
class AdaptiveConcurrencyTest {

  private static final Logger LOG = LoggerFactory.getLogger(AdaptiveConcurrencyTest.class);
  private static final Duration GENEROUS = Duration.ofSeconds(120);
  private static final int BATCH = 5_000;

  /** Sends {@code count} readings with distinct keys, so that only the limit holds them back. */
  private static void send(RunnelTestKit kit, String topic, int from, int count) {
    List<Map.Entry<String, Object>> records = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) {
      records.add(Map.entry("k" + i, ExecutionEngineTest.reading("k" + i, i)));
    }
    kit.sendAll(topic, records);
  }

  private static double limit(MeterRegistry meters, String function) {
    return meters
        .get("runnel.function.concurrency.limit")
        .tag("function", function)
        .gauge()
        .value();
  }

  @Test
  void anAdaptiveFunctionKeepsASaturatedDownstreamNearItsCapacity(
      RunnelTestKit kit, ApplicationContext context) {
    MeterRegistry meters = context.getBean(MeterRegistry.class);
    AdaptiveFunction function = context.getBean(AdaptiveFunction.class);
    long started = System.nanoTime();
    int sent = 0;
    // Input keeps coming until the limit settled above its floor (a probe visits the floor).
    while (!(limit(meters, "adaptive") > 10 && limit(meters, "adaptive") < 150)) {
      int before = sent;
      send(kit, "ac.adaptive", sent, BATCH);
      sent += BATCH;
      Await.until(
          "half a batch handled",
          GENEROUS,
          () ->
              function.handled.get() >= before + BATCH / 2
                  || limit(meters, "adaptive") > 10 && limit(meters, "adaptive") < 150);
    }
    LOG.info(
        "Adaptive limit {} after {} ms of a saturated downstream",
        limit(meters, "adaptive"),
        (System.nanoTime() - started) / 1_000_000);
    int backlog = sent;
    Await.until("the backlog handled", GENEROUS, () -> function.handled.get() >= backlog - BATCH);
    function.downstream.peakCallsPending();
    send(kit, "ac.adaptive", backlog, 2 * BATCH);
    Await.until(
        "every reading handled", GENEROUS, () -> function.handled.get() >= backlog + 2 * BATCH);
    assertThat(function.downstream.peakCallsPending())
        .as("calls pending at a downstream of capacity 50, with up to 1,000 invocations allowed")
        .isLessThan(250);
  }

  @Test
  void aFixedFunctionPilesItsMaximumOntoTheDownstream(
      RunnelTestKit kit, ApplicationContext context) {
    FixedFunction function = context.getBean(FixedFunction.class);
    send(kit, "ac.fixed", 0, BATCH);
    Await.until("every reading handled", GENEROUS, () -> function.handled.get() >= BATCH);
    assertThat(function.downstream.peakCallsPending()).isGreaterThan(500);
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "adaptive-concurrency")
  static class AdaptiveFunction {
    final CapacityLimitedDownstream downstream =
        new CapacityLimitedDownstream(50, Duration.ofMillis(5));
    final AtomicInteger handled = new AtomicInteger();

    @EventFunction(
        name = "adaptive",
        topics = "ac.adaptive",
        concurrencyPolicy = ConcurrencyPolicy.ADAPTIVE)
    void handle(SensorReading reading) throws InterruptedException {
      downstream.call();
      handled.incrementAndGet();
    }
  }

  @Singleton
  @Requires(property = "runnel.test.suite", value = "adaptive-concurrency")
  static class FixedFunction {
    final CapacityLimitedDownstream downstream =
        new CapacityLimitedDownstream(50, Duration.ofMillis(5));
    final AtomicInteger handled = new AtomicInteger();

    @EventFunction(name = "fixed", topics = "ac.fixed", concurrencyPolicy = ConcurrencyPolicy.FIXED)
    void handle(SensorReading reading) throws InterruptedException {
      downstream.call();
      handled.incrementAndGet();
    }
  }
}
