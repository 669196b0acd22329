package io.runnel.runtime.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import io.runnel.runtime.internals.ConsumerLoopStatus.State;
import io.runnel.support.ComponentHealthIndicator;
import io.runnel.support.ComponentStatus;
import io.runnel.test.HealthProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.junit.jupiter.api.Test;

/** The states of a function's consumer and what /health shows of each. */
class ConsumerLoopStatusTest {

  final ConsumerLoopStatus status = new ConsumerLoopStatus("convert");

  @Test
  void aStartingConsumerIsDownUntilItPolls() {
    assertThat(status.state()).isEqualTo(State.STARTING);
    assertThat(health().getStatus()).isEqualTo(HealthStatus.DOWN);

    status.polling();

    assertThat(status.state()).isEqualTo(State.POLLING);
    assertThat(health().getStatus()).isEqualTo(HealthStatus.UP);
    assertThat(health().getName()).isEqualTo("convert");
  }

  @Test
  void aFailedConsumerIsDownWithTheCauseAndTheRestartTimeUntilANewOnePolls() {
    status.polling();
    Instant restartAt = Instant.parse("2030-01-02T03:04:05Z");

    status.restarting(new FencedInstanceIdException("another member took over"), restartAt);

    assertThat(status.state()).isEqualTo(State.RESTARTING);
    assertThat(health().getStatus()).isEqualTo(HealthStatus.DOWN);
    assertThat(details())
        .containsEntry("state", "RESTARTING")
        .containsEntry("restarts", 1L)
        .containsEntry(
            "reason",
            "stopped by FencedInstanceIdException: another member took over; restarting at "
                + restartAt);

    status.polling();

    assertThat(health().getStatus()).isEqualTo(HealthStatus.UP);
    assertThat(details())
        .containsEntry("state", "POLLING")
        .containsEntry("restarts", 1L)
        .containsEntry("last-failure", "FencedInstanceIdException: another member took over")
        .doesNotContainKey("reason");
  }

  @Test
  void aStoppedConsumerStaysStopped() {
    status.polling();
    status.stopped("stopped by the runtime");

    status.polling();
    status.restarting(new IllegalStateException("late"), Instant.now());

    assertThat(status.state()).isEqualTo(State.STOPPED);
    assertThat(health().getStatus()).isEqualTo(HealthStatus.DOWN);
    assertThat(details()).containsEntry("reason", "stopped by the runtime");
  }

  @Test
  void onlyAPollingConsumerHasBeenHealthyForAWhile() {
    assertThat(status.healthyFor(Instant.now().plusSeconds(60))).isZero();
    status.polling();

    assertThat(status.healthyFor(Instant.now().plusSeconds(60)))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(59));

    status.restarting(new IllegalStateException("broken"), Instant.now());
    assertThat(status.healthyFor(Instant.now().plusSeconds(60))).isZero();
  }

  private HealthResult health() {
    List<HealthResult> results =
        HealthProbe.results(
            new ComponentHealthIndicator(
                new ComponentHealthIndicator.Component() {
                  @Override
                  public List<ComponentStatus<?>> componentStatuses() {
                    return List.of(status.componentStatus());
                  }
                }));
    assertThat(results).hasSize(1);
    return results.getFirst();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> details() {
    return (Map<String, Object>) health().getDetails();
  }
}
