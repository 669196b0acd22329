package io.runnel.runtime.internals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one function's {@link ConsumerLoop} on its thread and, when the loop stops on an error (a
 * {@code KafkaException}, a fenced or closed client, any unexpected {@code RuntimeException}),
 * starts a new one after a {@link RestartBackoff}: a new consumer (and, for an exactly-once
 * function, a new transactional producer), which reads on from the committed offsets, so records
 * not committed are handled again. The {@link ConsumerLoopStatus} shows each step.
 */
final class ConsumerLoopSupervisor implements Runnable {

  /**
   * One consumer's loop and what to close once it has ended (its record threads, an exactly-once
   * function's producer).
   */
  record Run(ConsumerLoop loop, List<Runnable> closers) {}

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoopSupervisor.class);

  private final String functionName;
  private final Supplier<Run> newRun;
  private final RestartBackoff backoff;
  private final ConsumerLoopStatus status;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private volatile Run current;

  /**
   * @param first the first run, built by the caller so that a bad setting fails start-up
   * @param newRun builds each later run
   */
  ConsumerLoopSupervisor(
      String functionName,
      Run first,
      Supplier<Run> newRun,
      RestartBackoff backoff,
      ConsumerLoopStatus status) {
    this.functionName = functionName;
    this.current = first;
    this.newRun = newRun;
    this.backoff = backoff;
    this.status = status;
  }

  @Override
  public void run() {
    String stoppedBy = "stopped by the runtime";
    try {
      Run run = current;
      while (run != null) {
        current = run;
        if (stopping()) {
          run.loop().stop(); // stop() came while this run was being built
        }
        Instant restartAt = runToEnd(run);
        run = restartAt == null ? null : nextRun(restartAt);
      }
    } catch (Error e) {
      stoppedBy = "stopped by " + e;
      throw e;
    } finally {
      status.stopped(stoppedBy);
    }
  }

  /** Asks the loop to stop (finishing and committing what it holds) and not to start again. */
  void stop() {
    stopRequested.countDown();
    current.loop().stop();
  }

  /** Interrupts the loop's blocking consumer call; records not committed are handled again. */
  void abort() {
    stopRequested.countDown();
    current.loop().abort();
  }

  /** Runs the loop until it ends: null when it was stopped, else when the next one starts. */
  private Instant runToEnd(Run run) {
    try {
      run.loop().run();
      return null;
    } catch (RuntimeException e) {
      if (stopping()) {
        LOG.warn("Function {} failed while stopping: {}", functionName, e.toString());
        return null;
      }
      return failed(e, status.healthyFor(Instant.now()));
    } finally {
      run.closers().forEach(Runnable::run);
    }
  }

  private Instant failed(RuntimeException failure, Duration healthyFor) {
    Instant restartAt = Instant.now().plus(backoff.afterFailure(healthyFor));
    status.restarting(failure, restartAt);
    LOG.error(
        "Function {} stopped consuming; a new consumer starts at {} and handles the records not"
            + " committed again",
        functionName,
        restartAt,
        failure);
    return restartAt;
  }

  /**
   * Waits until {@code restartAt}, then builds the next run; null when stopped first. A run that
   * cannot be built (the cluster unreachable, say) is one more failure.
   */
  private Run nextRun(Instant restartAt) {
    while (!waitForStop(restartAt)) {
      try {
        return newRun.get();
      } catch (RuntimeException e) {
        restartAt = failed(e, Duration.ZERO);
      }
    }
    return null;
  }

  /** Waits until {@code until} unless asked to stop first; whether it was asked to stop. */
  private boolean waitForStop(Instant until) {
    try {
      return stopRequested.await(
          Math.max(0, Duration.between(Instant.now(), until).toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private boolean stopping() {
    return stopRequested.getCount() == 0;
  }
}
