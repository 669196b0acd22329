package io.runnel.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
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
    assertThat(reports(component(Optional.empty()))).isEmpty();
  }

  @Test
  void aComponentDownWhileStartingIsDownUntilItRuns() {
    status.downWhileStarting();
    assertThat(report(status).getStatus()).isEqualTo(HealthStatus.DOWN);

    status.become(State.RUNNING, null);

    assertThat(report(status).getStatus()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void aComponentWithSeveralStatusesReportsEachUnderItsOwnName() {
    ComponentStatus<State> other =
        new ComponentStatus<>("well", "state", State.STARTING, Set.of(State.RUNNING), List.of());
    other.become(State.DOWN, "dry");
    ComponentHealthIndicator.Component both =
        new ComponentHealthIndicator.Component() {
          @Override
          public List<ComponentStatus<?>> componentStatuses() {
            return List.of(status, other);
          }
        };

    List<HealthResult> results = reports(both);

    assertThat(results).extracting(HealthResult::getName).containsExactly("pump", "well");
    assertThat(results)
        .extracting(HealthResult::getStatus)
        .containsExactly(HealthStatus.UNKNOWN, HealthStatus.DOWN);
  }

  private static HealthResult report(ComponentStatus<?> status) {
    List<HealthResult> results = reports(component(Optional.of(status)));
    assertThat(results).hasSize(1);
    return results.getFirst();
  }

  private static ComponentHealthIndicator.Component component(Optional<ComponentStatus<?>> status) {
    return new ComponentHealthIndicator.Component() {
      @Override
      public Optional<ComponentStatus<?>> componentStatus() {
        return status;
      }
    };
  }

  /** What the indicator emits, one at a time as a subscriber asks for each. */
  private static List<HealthResult> reports(ComponentHealthIndicator.Component component) {
    List<HealthResult> reported = new ArrayList<>();
    AtomicBoolean completed = new AtomicBoolean();
    new ComponentHealthIndicator(component)
        .getResult()
        .subscribe(
            new Subscriber<HealthResult>() {
              private Subscription subscription;

              @Override
              public void onSubscribe(Subscription subscription) {
                this.subscription = subscription;
                subscription.request(1);
              }

              @Override
              public void onNext(HealthResult result) {
                reported.add(result);
                subscription.request(1);
              }

              @Override
              public void onError(Throwable failure) {}

              @Override
              public void onComplete() {
                completed.set(true);
              }
            });
    assertThat(completed).as("completed").isTrue();
    return reported;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> details(HealthResult result) {
    return (Map<String, Object>) result.getDetails();
  }
}
