package io.runnel.connectors.cdc.internals;

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
 * The connector in {@code /health} (where an HTTP server is present): UP while streaming, DOWN with
 * the reason while the database or Kafka is unavailable or a schema was refused.
 */
@Singleton
@Requires(beans = CdcConnector.class)
final class CdcHealthIndicator implements HealthIndicator {

  private final CdcConnector connector;

  CdcHealthIndicator(CdcConnector connector) {
    this.connector = connector;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    CdcStatus.Reading reading = connector.status();
    HealthStatus status =
        switch (reading.state()) {
          case STREAMING -> HealthStatus.UP;
          case STARTING -> HealthStatus.UNKNOWN;
          case DOWN, STOPPED -> HealthStatus.DOWN;
        };
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("state", reading.state().name());
    details.put("since", reading.since().toString());
    details.put("changesPublished", reading.changesPublished());
    if (reading.reason() != null) {
      details.put("reason", reading.reason());
    }
    return Publishers.just(HealthResult.builder("cdc", status).details(details).build());
  }
}
