package io.runnel.runtime.internals;

import io.runnel.function.ConcurrencyPolicy;
import io.runnel.support.FunctionDescriptor;
import java.util.concurrent.Semaphore;

/**
 * How many of a function's record tasks run at once: permits of a semaphore whose size is the
 * function's fixed maximum or, with {@link ConcurrencyPolicy#ADAPTIVE}, an {@link
 * AdaptiveConcurrencyLimit} fed with each task's latency. Resizing adds permits or withholds them
 * from tasks that end ({@link Semaphore#reducePermits}), so taking a permit costs what a plain
 * semaphore's does, and tasks waiting for one park their virtual threads.
 */
final class ConcurrencyLimiter {

  private final Permits permits;
  private final AdaptiveConcurrencyLimit adaptive;
  private volatile int limit;

  private ConcurrencyLimiter(int limit, boolean adaptive, int min, double latencyTolerance) {
    this.limit = limit;
    this.permits = new Permits(limit);
    this.adaptive =
        adaptive
            ? new AdaptiveConcurrencyLimit(
                min,
                limit,
                latencyTolerance,
                System.nanoTime(),
                AdaptiveConcurrencyLimit.FIRST_PROBE,
                this::inFlight,
                this::resize)
            : null;
  }

  /** Always {@code maxConcurrency} permits. */
  static ConcurrencyLimiter fixed(int maxConcurrency) {
    return new ConcurrencyLimiter(maxConcurrency, false, maxConcurrency, 0);
  }

  /** Permits between {@code min} and {@code max}, following the tasks' latency. */
  static ConcurrencyLimiter adaptive(int min, int max, double latencyTolerance) {
    return new ConcurrencyLimiter(max, true, min, latencyTolerance);
  }

  /** The limiter {@code function}'s settings ask for. */
  static ConcurrencyLimiter of(FunctionDescriptor function) {
    return function.concurrencyPolicy() == ConcurrencyPolicy.ADAPTIVE
        ? adaptive(
            function.minConcurrency(), function.maxConcurrency(), function.latencyTolerance())
        : fixed(function.maxConcurrency());
  }

  /** Waits for a permit for a task; returns the time it started, to pass to {@link #exit(long)}. */
  long enter() throws InterruptedException {
    permits.acquire();
    return adaptive == null ? 0 : System.nanoTime();
  }

  /** The task that {@link #enter()} returned {@code enteredAt} for has ended: its permit back. */
  void exit(long enteredAt) {
    if (adaptive != null) {
      long now = System.nanoTime();
      adaptive.sample(now - enteredAt, now);
    }
    permits.release();
  }

  /** A task lets go of its permit for a while (a pause that is no work). */
  void suspend() {
    permits.release();
  }

  /** A task that {@link #suspend()}ed takes a permit again, waiting without interruption. */
  void resume() {
    permits.acquireUninterruptibly();
  }

  /** How many tasks may run at once now. */
  int limit() {
    return limit;
  }

  /** Tasks holding a permit now. */
  int inFlight() {
    return limit - permits.availablePermits();
  }

  private synchronized void resize(int newLimit) {
    if (newLimit > limit) {
      permits.release(newLimit - limit);
    } else {
      permits.reducePermits(limit - newLimit);
    }
    limit = newLimit;
  }

  /** A semaphore whose permits can be withheld. */
  private static final class Permits extends Semaphore {
    Permits(int permits) {
      super(permits);
    }

    @Override
    protected void reducePermits(int reduction) {
      super.reducePermits(reduction);
    }
  }
}
