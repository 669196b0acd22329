package io.runnel.runtime.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.function.InvocationTimeoutException;
import io.runnel.support.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InvocationTest {

  final InvocationWatchdog watchdog = new InvocationWatchdog("test-watchdog");
  final AtomicInteger calls = new AtomicInteger();

  @AfterEach
  void stop() {
    watchdog.close();
  }

  static RetryPolicy policy(
      int attempts,
      List<Class<? extends Throwable>> retryOn,
      List<Class<? extends Throwable>> noRetryOn) {
    return new RetryPolicy(attempts, 1, 2.0, 10, 0.0, retryOn, noRetryOn);
  }

  @Test
  void succeedsOnALaterAttempt() {
    Invocation invocation =
        new Invocation(policy(3, List.of(), List.of()), 0, watchdog, Thread::sleep);
    Invocation.Outcome outcome =
        invocation.run(
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
              }
            });
    assertThat(outcome.succeeded()).isTrue();
    assertThat(outcome.attempts()).isEqualTo(3);
  }

  @Test
  void givesUpAfterMaxAttemptsWithTheLastFailure() {
    Invocation.Outcome outcome =
        new Invocation(policy(4, List.of(), List.of()), 0, watchdog, Thread::sleep)
            .run(
                () -> {
                  throw new IllegalStateException("attempt " + calls.incrementAndGet());
                });
    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.attempts()).isEqualTo(4);
    assertThat(outcome.failure()).hasMessage("attempt 4");
  }

  @Test
  void noRetryOnFailsAtOnceAndRetryOnLimitsWhatIsRetried() {
    Invocation noRetry =
        new Invocation(
            policy(5, List.of(), List.of(IllegalArgumentException.class)),
            0,
            watchdog,
            Thread::sleep);
    assertThat(
            noRetry
                .run(
                    () -> {
                      calls.incrementAndGet();
                      throw new IllegalArgumentException("bad event");
                    })
                .attempts())
        .isEqualTo(1);

    Invocation onlyIo =
        new Invocation(
            policy(5, List.of(UncheckedIOException.class), List.of()), 0, watchdog, Thread::sleep);
    assertThat(
            onlyIo
                .run(
                    () -> {
                      throw new UncheckedIOException(new IOException("remote down"));
                    })
                .attempts())
        .isEqualTo(5);
    assertThat(
            onlyIo
                .run(
                    () -> {
                      throw new IllegalStateException("not retried");
                    })
                .attempts())
        .isEqualTo(1);
  }

  @Test
  void aHangingAttemptIsInterruptedAtItsTimeout() {
    Invocation invocation =
        new Invocation(policy(2, List.of(), List.of()), 50, watchdog, Thread::sleep);
    Invocation.Outcome outcome = invocation.run(() -> Thread.sleep(60_000));
    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.abandoned()).isFalse();
    assertThat(outcome.failure())
        .isInstanceOf(InvocationTimeoutException.class)
        .hasMessageContaining("50 ms");
    assertThat(outcome.attempts()).isEqualTo(2);
    // The interrupt does not leak into what the thread does next.
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void aFastAttemptIsNeverInterrupted() throws Exception {
    Invocation invocation =
        new Invocation(policy(1, List.of(), List.of()), 20, watchdog, Thread::sleep);
    for (int i = 0; i < 200; i++) {
      assertThat(invocation.run(() -> {}).succeeded()).isTrue();
    }
    Thread.sleep(3 * InvocationWatchdog.TICK_MS);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void backoffGrowsByTheMultiplierUpToTheCapWithJitterInBounds() {
    RetryPolicy policy = new RetryPolicy(10, 100, 2.0, 1_000, 0.2, List.of(), List.of());
    for (int i = 0; i < 100; i++) {
      assertThat(policy.backoffAfter(1)).isBetween(80L, 120L);
      assertThat(policy.backoffAfter(3)).isBetween(320L, 480L);
      assertThat(policy.backoffAfter(9)).isBetween(800L, 1_200L);
    }
  }
}
