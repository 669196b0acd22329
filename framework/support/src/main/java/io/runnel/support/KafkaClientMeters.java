package io.runnel.support;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micronaut.core.annotation.Nullable;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * A Kafka client's own metrics (Micrometer's {@link KafkaClientMetrics}: {@code kafka_producer_*}
 * and {@code kafka_consumer_*} in Prometheus, tagged {@code client_id}) in the process's meter
 * registry, when there is one. Closed with its client, which removes them.
 */
public final class KafkaClientMeters implements AutoCloseable {

  private static final KafkaClientMeters NONE = new KafkaClientMeters(null);

  private final KafkaClientMetrics binder;

  private KafkaClientMeters(KafkaClientMetrics binder) {
    this.binder = binder;
  }

  /** Binds {@code producer}'s metrics to {@code registry}; nothing without a registry. */
  public static KafkaClientMeters bind(@Nullable MeterRegistry registry, Producer<?, ?> producer) {
    return registry == null ? NONE : bound(new KafkaClientMetrics(producer), registry);
  }

  /** Binds {@code consumer}'s metrics to {@code registry}; nothing without a registry. */
  public static KafkaClientMeters bind(@Nullable MeterRegistry registry, Consumer<?, ?> consumer) {
    return registry == null ? NONE : bound(new KafkaClientMetrics(consumer), registry);
  }

  private static KafkaClientMeters bound(KafkaClientMetrics binder, MeterRegistry registry) {
    binder.bindTo(registry);
    return new KafkaClientMeters(binder);
  }

  /** Removes the client's meters from the registry. */
  @Override
  public void close() {
    if (binder != null) {
      binder.close();
    }
  }
}
