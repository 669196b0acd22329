package io.runnel.runtime.internals;

/**
 * A wait inside a record's task (a retry backoff, or asking an unreachable registry again). The
 * dispatcher's lets go of the task's concurrency permit meanwhile, so records waiting do not keep
 * other records from running.
 */
@FunctionalInterface
interface Pause {
  void sleep(long millis) throws InterruptedException;
}
