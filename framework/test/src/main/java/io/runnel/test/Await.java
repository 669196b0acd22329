package io.runnel.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits in tests for an outcome (a record count, an offset, a health status, a function's state) by
 * asking again until it holds, and fails naming what was awaited when the time is up. The timeout
 * only bounds a failing test: a passing one returns as soon as the outcome holds.
 *
 * <pre>{@code
 * Await.until("20 readings handled", () -> function.handled.size() == 20);
 * long count = Await.until("outputs", Duration.ofSeconds(60), stream::outputCount, n -> n >= 5_000);
 * }</pre>
 */
public final class Await {

  /** How long {@link #until(String, BooleanSupplier)} waits. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final long PAUSE_MILLIS = 20;

  private Await() {}

  /** Waits up to {@link #DEFAULT_TIMEOUT} until {@code condition} holds. */
  public static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT_TIMEOUT, condition);
  }

  /** Waits up to {@code timeout} until {@code condition} holds. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    until(what, timeout, condition::getAsBoolean, Boolean::booleanValue);
  }

  /**
   * Waits up to {@code timeout} until the value {@code value} gives satisfies {@code done}, and
   * returns that value; the failure shows the last value seen.
   */
  public static <T> T until(
      String what, Duration timeout, Supplier<T> value, Predicate<? super T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = value.get();
    while (!done.test(last)) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "Waited "
                + timeout
                + " for "
                + what
                + (last instanceof Boolean ? "" : "; the last value seen: " + last));
      }
      try {
        Thread.sleep(PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted while waiting for " + what, e);
      }
      last = value.get();
    }
    return last;
  }
}
