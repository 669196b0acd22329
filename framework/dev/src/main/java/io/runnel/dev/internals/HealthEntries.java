package io.runnel.dev.internals;

import io.micronaut.context.ApplicationContext;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Entries of a context's health, read without the HTTP server: dev mode waits for its connectors'
 * entries ({@code mqtt}, {@code cdc}) to be UP before it says it is ready, since a connector that
 * has not yet subscribed would miss what is sent meanwhile.
 */
public final class HealthEntries {

  private static final Duration POLL = Duration.ofMillis(100);

  private HealthEntries() {}

  /**
   * Returns once every entry named in {@code names} is UP; fails naming those that are not, with
   * what they report, when {@code timeout} passes first.
   */
  public static void awaitUp(
      ApplicationContext context, Collection<String> names, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, HealthResult> notUp = notUp(context, names);
    while (!notUp.isEmpty()) {
      if (System.nanoTime() > deadline) {
        List<String> states = new ArrayList<>();
        notUp.forEach(
            (name, result) ->
                states.add(
                    name
                        + (result == null
                            ? " (no such entry)"
                            : " " + result.getStatus().getName() + " " + result.getDetails())));
        throw new IllegalStateException(
            "The connectors were not connected within " + timeout.toSeconds() + " s: " + states);
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the connectors", e);
      }
      notUp = notUp(context, names);
    }
  }

  /** The entries of {@code names} that are not UP now, with their result (null when missing). */
  private static Map<String, HealthResult> notUp(
      ApplicationContext context, Collection<String> names) {
    Map<String, HealthResult> found = new HashMap<>();
    for (HealthIndicator indicator : context.getBeansOfType(HealthIndicator.class)) {
      for (HealthResult result : results(indicator)) {
        if (names.contains(result.getName())) {
          found.put(result.getName(), result);
        }
      }
    }
    Map<String, HealthResult> notUp = new HashMap<>();
    for (String name : names) {
      HealthResult result = found.get(name);
      if (result == null || !HealthStatus.UP.equals(result.getStatus())) {
        notUp.put(name, result);
      }
    }
    return notUp;
  }

  /** What {@code indicator} reports now; it may publish on another thread. */
  private static List<HealthResult> results(HealthIndicator indicator) {
    List<HealthResult> results = new ArrayList<>();
    CompletableFuture<List<HealthResult>> done = new CompletableFuture<>();
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
                synchronized (results) {
                  results.add(result);
                }
              }

              @Override
              public void onError(Throwable failure) {
                done.completeExceptionally(failure);
              }

              @Override
              public void onComplete() {
                synchronized (results) {
                  done.complete(List.copyOf(results));
                }
              }
            });
    try {
      return done.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return List.of(); // an indicator that fails or hangs is not one of the connectors' entries
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading " + indicator, e);
    }
  }
}
