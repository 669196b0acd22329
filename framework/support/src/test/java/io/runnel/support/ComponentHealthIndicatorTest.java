package io.runnel.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

class ComponentHealthIndicatorTest {

  enum State {
    STARTING,
    RUNNING,
    DOWN
  }

  private final ComponentStatus<State> status =
      new ComponentStatus<>(
          "pump", "state", State.STARTING, Set.of(State.RUNNING), List.of("pumped", "spilled"));

  @Test
  void startingIsUnknownWithZeroCounters() {
    HealthResult result = report(status);

    assertThat(result.getName()).isEqualTo("pump");
    assertThat(result.getStatus()).isEqualTo(HealthStatus.UNKNOWN);
    assertThat(details(result))
        .containsEntry("state", "STARTING")
        .containsEntry("pumped", 0L)
        .containsEntry("spilled", 0L)
        .doesNotContainKey("reason");
  }

  @Test
  void notRunningIsDownWithTheReason() {
    status.progressed(State.RUNNING, "pumped", 3);
    status.become(State.DOWN, "the tank is empty");

    HealthResult result = report(status);

    assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
    assertThat(details(result))
        .containsEntry("state", "DOWN")
        .containsEntry("reason", "the tank is empty")
        .containsEntry("pumped", 3L);
  }

  @Test
  void progressCountsAndKeepsTheRunningSince() {
    status.progressed(State.RUNNING, "pumped", 2);
    Object since = details(report(status)).get("since");
    status.progressed(State.RUNNING, "pumped", 5);

    HealthResult result = report(status);

    assertThat(result.getStatus()).isEqualTo(HealthStatus.UP);
    assertThat(details(result))
        .containsEntry("pumped", 7L)
        .containsEntry("since", since)
        .doesNotContainKey("reason");
  }

  @Test
  void detailsShowStateSinceCountersFixedDetailsThenReason() {
    status.withDetail("pipes", List.of("a", "b"));
    status.become(State.DOWN, "leak");

    assertThat(details(report(status)).keySet())
        .containsExactly("state", "since", "pumped", "spilled", "pipes", "reason");
  }

  @Test
  void aComponentWithNothingToRunReportsNothing() {
    assertThat(report(Optional.empty())).isNull();
  }

  private static HealthResult report(ComponentStatus<?> status) {
    return report(Optional.of(status));
  }

  private static HealthResult report(Optional<ComponentStatus<?>> status) {
    AtomicReference<HealthResult> reported = new AtomicReference<>();
    new ComponentHealthIndicator(() -> status)
        .getResult()
        .subscribe(
            new Subscriber<HealthResult>() {
              @Override
              public void onSubscribe(Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(HealthResult result) {
                reported.set(result);
              }

              @Override
              public void onError(Throwable failure) {}

              @Override
              public void onComplete() {}
            });
    return reported.get();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> details(HealthResult result) {
    return (Map<String, Object>) result.getDetails();
  }
}
