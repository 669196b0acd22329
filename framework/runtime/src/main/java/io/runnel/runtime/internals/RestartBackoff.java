package io.runnel.runtime.internals;

import java.time.Duration;

/**
 * How long a function's consumer waits before it starts again after a failure: {@code initial},
 * doubling with every failure in a row up to {@code max}; a consumer that polled for {@code
 * resetAfter} before it failed starts the row again.
 */
final class RestartBackoff {

  private final Duration initial;
  private final Duration max;
  private final Duration resetAfter;
  private Duration next;

  RestartBackoff(Duration initial, Duration max, Duration resetAfter) {
    this.initial = initial;
    this.max = max;
    this.resetAfter = resetAfter;
    this.next = initial;
  }

  /**
   * The wait before the next start, for a consumer that failed after polling for {@code healthyFor}
   * (zero when it never polled).
   */
  Duration afterFailure(Duration healthyFor) {
    if (healthyFor.compareTo(resetAfter) >= 0) {
      next = initial;
    }
    Duration wait = next;
    next = wait.multipliedBy(2).compareTo(max) >= 0 ? max : wait.multipliedBy(2);
    return wait;
  }
}
