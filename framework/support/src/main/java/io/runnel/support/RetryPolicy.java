package io.runnel.support;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which failures of a function are retried, how often, and how long to wait between attempts:
 * exponential backoff with a cap and random jitter. Part of a {@link FunctionDescriptor}.
 */
public record RetryPolicy(
    int maxAttempts,
    long initialBackoffMs,
    double multiplier,
    long maxBackoffMs,
    double jitter,
    List<Class<? extends Throwable>> retryOn,
    List<Class<? extends Throwable>> noRetryOn) {

  /** Whether a failure of attempt number {@code attempt} (1-based) is tried again. */
  public boolean retries(Throwable failure, int attempt) {
    if (attempt >= maxAttempts || noRetryOn.stream().anyMatch(type -> type.isInstance(failure))) {
      return false;
    }
    return retryOn.isEmpty() || retryOn.stream().anyMatch(type -> type.isInstance(failure));
  }

  /** The pause after failed attempt number {@code attempt} (1-based). */
  public long backoffAfter(int attempt) {
    double backoff = Math.min(initialBackoffMs * Math.pow(multiplier, attempt - 1), maxBackoffMs);
    double spread = jitter == 0 ? 1 : 1 + ThreadLocalRandom.current().nextDouble(-jitter, jitter);
    return Math.max(0, Math.round(backoff * spread));
  }
}
