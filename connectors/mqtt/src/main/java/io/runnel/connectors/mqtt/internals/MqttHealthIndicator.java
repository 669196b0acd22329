package io.runnel.connectors.mqtt.internals;

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
 * The connector in {@code /health}: UP while connected to the broker and Kafka, DOWN with the
 * reason while either is unreachable (messages then wait at the MQTT broker) or while the broker
 * breaks the protocol and the connection keeps dropping.
 */
@Singleton
@Requires(beans = MqttConnector.class)
final class MqttHealthIndicator implements HealthIndicator {

  private final MqttConnector connector;

  MqttHealthIndicator(MqttConnector connector) {
    this.connector = connector;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    MqttStatus.Reading reading = connector.status();
    HealthStatus status =
        switch (reading.state()) {
          case CONNECTED -> HealthStatus.UP;
          case STARTING -> HealthStatus.UNKNOWN;
          case BROKER_PROTOCOL_ERROR, BROKER_UNREACHABLE, KAFKA_UNREACHABLE, STOPPED ->
              HealthStatus.DOWN;
        };
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("state", reading.state().name());
    details.put("since", reading.since().toString());
    details.put("published", reading.published());
    details.put("deadLettered", reading.deadLettered());
    details.put("sentToDevices", reading.sentToDevices());
    details.put("drops", reading.drops());
    if (reading.lastDrop() != null) {
      details.put("lastDrop", reading.lastDrop());
    }
    if (reading.reason() != null) {
      details.put("reason", reading.reason());
    }
    return Publishers.just(HealthResult.builder("mqtt", status).details(details).build());
  }
}
