package io.runnel.runtime.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.test.Await;
import io.runnel.test.CapacityLimitedDownstream;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limiter with real virtual threads and a real clock: 1,000 tasks keep calling a downstream
 * that serves 50 calls at once, as the handlers of a busy function would.
 */
class ConcurrencyLimiterTest {

  private static final Logger LOG = LoggerFactory.getLogger(ConcurrencyLimiterTest.class);
  private static final Duration GENEROUS = Duration.ofSeconds(60);

  /** 1,000 virtual threads, each calling {@code downstream} under a permit until closed. */
  private static final class Callers implements AutoCloseable {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger peakRunning = new AtomicInteger();
    final AtomicLong calls = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    Callers(ConcurrencyLimiter limiter, CapacityLimitedDownstream downstream) {
      for (int i = 0; i < 1000; i++) {
        threads.execute(
            () -> {
              while (!stop.get()) {
                try {
                  long enteredAt = limiter.enter();
                  peakRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                  try {
                    downstream.call();
                  } finally {
                    running.decrementAndGet();
                    calls.incrementAndGet();
                    limiter.exit(enteredAt);
                  }
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
      }
    }

    @Override
    public void close() {
      stop.set(true);
      threads.shutdownNow();
      threads.close();
    }
  }

  @Test
  void aFixedLimiterLetsItsMaximumRun() {
    ConcurrencyLimiter limiter = ConcurrencyLimiter.fixed(1000);
    CapacityLimitedDownstream downstream = new CapacityLimitedDownstream(50, Duration.ofMillis(5));
    try (Callers callers = new Callers(limiter, downstream)) {
      Await.until("1,000 calls at once", GENEROUS, () -> callers.peakRunning.get() == 1000);
    }
    assertThat(limiter.limit()).isEqualTo(1000);
  }

  @Test
  void anAdaptiveLimiterHoldsASaturatedDownstreamNearItsCapacityAndGrowsWhenItRecovers() {
    ConcurrencyLimiter limiter = ConcurrencyLimiter.adaptive(10, 1000, 1.5);
    CapacityLimitedDownstream downstream = new CapacityLimitedDownstream(50, Duration.ofMillis(5));
    try (Callers callers = new Callers(limiter, downstream)) {
      // Above the floor: a probe drops to the floor for a moment, then returns.
      Await.until(
          "the limit between the floor and 150",
          GENEROUS,
          limiter::limit,
          limit -> limit > 10 && limit < 150);
      LOG.info("Limit {} with a downstream of capacity 50", limiter.limit());
      downstream.peakCallsPending();
      // 10,000 calls: a second at the downstream's pace, ten windows of the limit.
      long before = callers.calls.get();
      Await.until("10,000 more calls", GENEROUS, () -> callers.calls.get() >= before + 10_000);
      assertThat(downstream.peakCallsPending())
          .as("calls pending at the downstream of capacity 50")
          .isLessThan(250);

      downstream.capacity(2000);
      long recovered = System.nanoTime();
      Await.until("the limit back at 1,000", GENEROUS, () -> limiter.limit() == 1000);
      LOG.info(
          "Limit back at 1,000 {} ms after the downstream recovered",
          (System.nanoTime() - recovered) / 1_000_000);
      Await.until("1,000 calls at once again", GENEROUS, () -> callers.peakRunning.get() == 1000);
    }
  }
}
