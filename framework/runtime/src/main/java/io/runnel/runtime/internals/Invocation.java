package io.runnel.runtime.internals;

import io.runnel.function.InvocationTimeoutException;
import io.runnel.support.RetryPolicy;

/**
 * Calls a handler until it succeeds or the {@link RetryPolicy} gives up, each attempt under the
 * function's timeout. Retries wait on the record's own virtual thread, without its concurrency
 * permit, so they hold back only the records that must follow it (same key), not other keys.
 */
final class Invocation {

  /** How an invocation ended: the last failure (null on success) and the attempts made. */
  record Outcome(Throwable failure, int attempts, boolean abandoned) {
    boolean succeeded() {
      return failure == null && !abandoned;
    }
  }

  /** One call of the handler. */
  @FunctionalInterface
  interface Attempt {
    void run() throws Exception;
  }

  private final RetryPolicy retryPolicy;
  private final long timeoutMs;
  private final InvocationWatchdog watchdog;
  private final Pause backoff;

  Invocation(RetryPolicy retryPolicy, long timeoutMs, InvocationWatchdog watchdog, Pause backoff) {
    this.retryPolicy = retryPolicy;
    this.timeoutMs = timeoutMs;
    this.watchdog = watchdog;
    this.backoff = backoff;
  }

  Outcome run(Attempt attempt) {
    for (int number = 1; ; number++) {
      Throwable failure = attemptOnce(attempt);
      if (failure == null) {
        return new Outcome(null, number, false);
      }
      if (failure instanceof InterruptedException) {
        // Interrupted from outside (shutdown), not by the watchdog: leave the record unfinished.
        return new Outcome(failure, number, true);
      }
      // State that is not declared or does not decode stays so: no attempt could succeed.
      if (failure instanceof StateAccessException || !retryPolicy.retries(failure, number)) {
        return new Outcome(failure, number, false);
      }
      try {
        backoff.sleep(retryPolicy.backoffAfter(number));
      } catch (InterruptedException e) {
        return new Outcome(e, number, true);
      }
    }
  }

  private Throwable attemptOnce(Attempt attempt) {
    InvocationWatchdog.Watch watch = timeoutMs > 0 ? watchdog.watch(timeoutMs) : null;
    Throwable failure = null;
    try {
      attempt.run();
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      failure = e;
    } finally {
      if (watch != null) {
        watchdog.done(watch);
      }
    }
    if (watch != null && watch.timedOut()) {
      return new InvocationTimeoutException(
          "The invocation ran longer than its timeout of " + timeoutMs + " ms", failure);
    }
    return failure;
  }
}
