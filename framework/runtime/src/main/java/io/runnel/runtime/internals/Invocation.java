package io.runnel.runtime.internals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Calls a function's handler method (through Micronaut's compile-time {@code ExecutableMethod}, not
 * reflection), retrying with backoff, and publishes a returned value to the output topic.
 */
final class Invocation {

  /** How an invocation ended: what it emitted, or the last failure, and after how many attempts. */
  record Outcome(List<Future<RecordMetadata>> emitted, Throwable failure, int attempts) {
    boolean succeeded() {
      return failure == null;
    }
  }

  /** One attempt: calls the handler, adding what it emits to the given list. */
  @FunctionalInterface
  interface Attempt {
    void run(List<Future<RecordMetadata>> emitted) throws Exception;
  }

  private final RetryPolicy retryPolicy;

  Invocation(RetryPolicy retryPolicy) {
    this.retryPolicy = retryPolicy;
  }

  /** Runs {@code attempt} until it succeeds or the attempts are used up. */
  Outcome run(Attempt attempt) throws InterruptedException {
    Throwable failure = null;
    for (int number = 1; number <= retryPolicy.maxAttempts(); number++) {
      List<Future<RecordMetadata>> emitted = new ArrayList<>();
      try {
        attempt.run(emitted);
        return new Outcome(emitted, null, number);
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception | LinkageError | AssertionError e) {
        failure = e;
        if (number < retryPolicy.maxAttempts()) {
          Thread.sleep(retryPolicy.backoffAfter(number));
        }
      }
    }
    return new Outcome(List.of(), failure, retryPolicy.maxAttempts());
  }
}
