package io.runnel.runtime.internals;

/** How many attempts an invocation gets and how long to wait between them (doubling each time). */
record RetryPolicy(int maxAttempts, long initialBackoffMs) {

  private static final long MAX_BACKOFF_MS = 30_000;

  /** The pause after failed attempt number {@code attempt} (1-based). */
  long backoffAfter(int attempt) {
    long backoff = initialBackoffMs << Math.min(attempt - 1, 20);
    return Math.min(backoff, MAX_BACKOFF_MS);
  }
}
