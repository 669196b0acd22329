package io.runnel.connectors.cron.internals;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * The scheduler in {@code /health} (where an HTTP server is present): UP while firing or standing
 * by, DOWN with the reason while ticks cannot be published. Absent when no schedule is configured.
 */
@Singleton
@Requires(beans = ScheduleFirer.class)
final class SchedulerHealthIndicator implements HealthIndicator {

  private final ScheduleFirer firer;

  SchedulerHealthIndicator(ScheduleFirer firer) {
    this.firer = firer;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    if (firer.schedules().isEmpty()) {
      return Publishers.empty();
    }
    SchedulerStatus.Reading reading = firer.status();
    HealthStatus status =
        switch (reading.role()) {
          case FIRING, STANDBY -> HealthStatus.UP;
          case STARTING -> HealthStatus.UNKNOWN;
          case DOWN -> HealthStatus.DOWN;
        };
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("role", reading.role().name());
    details.put("since", reading.since().toString());
    details.put("ticksPublished", reading.ticksPublished());
    details.put("schedules", firer.schedules().stream().map(Schedule::name).toList());
    if (reading.reason() != null) {
      details.put("reason", reading.reason());
    }
    return Publishers.just(HealthResult.builder("scheduler", status).details(details).build());
  }
}
