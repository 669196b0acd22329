package io.runnel.test;

import io.micronaut.context.ApplicationContext;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Reads one entry of a context's health (what {@code /health} would show) without an HTTP server: a
 * connector's indicator by its name, e.g. {@code cdc} or {@code scheduler}.
 */
public final class HealthProbe {

  private HealthProbe() {}

  /** The entry named {@code name}, or null when no indicator reports it. */
  public static HealthResult read(ApplicationContext context, String name) {
    for (HealthIndicator indicator : context.getBeansOfType(HealthIndicator.class)) {
      for (HealthResult result : results(indicator)) {
        if (result.getName().equals(name)) {
          return result;
        }
      }
    }
    return null;
  }

  /**
   * Every entry {@code indicator} reports now (one indicator may report several). An indicator may
   * publish on another thread: this waits for its publisher to complete.
   */
  public static List<HealthResult> results(HealthIndicator indicator) {
    List<HealthResult> results = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    indicator
        .getResult()
        .subscribe(
            new Subscriber<HealthResult>() {
              @Override
              public void onSubscribe(Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(HealthResult result) {
                results.add(result);
              }

              @Override
              public void onError(Throwable failure) {
                done.countDown();
              }

              @Override
              public void onComplete() {
                done.countDown();
              }
            });
    try {
      if (!done.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException(indicator + " did not complete its health result in 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading " + indicator, e);
    }
    return List.copyOf(results);
  }

  /**
   * Waits until the entry named {@code name} has {@code status} (UP, DOWN, ...) and returns it;
   * fails with the last status and details seen when {@code timeout} passes first.
   */
  public static HealthResult await(
      ApplicationContext context, String name, String status, Duration timeout) {
    return Await.until(
            "the health of " + name + " to be " + status,
            timeout,
            () -> new Seen(read(context, name)),
            seen -> seen.result() != null && seen.result().getStatus().getName().equals(status))
        .result();
  }

  /** A health entry as read, shown with its status and details when a wait fails. */
  private record Seen(HealthResult result) {
    @Override
    public String toString() {
      return result == null ? "no such entry" : result.getStatus() + " " + result.getDetails();
    }
  }
}
