package io.runnel.connectors.http.internals;

import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SchemaRegistryException;
import io.runnel.registry.SubjectNameStrategy;
import io.runnel.registry.serde.AvroSerializer;
import io.runnel.support.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces the gateway's events with acks=all and waits, at most the produce timeout, until Kafka
 * stored them. The producer gives up on a record by the same deadline, so a request that got 503
 * did not store its event later behind the caller's back.
 */
final class EventPublisher implements AutoCloseable {

  /** Kafka or the registry did not take the event in time: 503. */
  static final class UnavailableException extends RuntimeException {
    UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroSerializer serializer;
  private final Duration timeout;

  EventPublisher(
      KafkaSettings kafka, SchemaRegistryClient registry, boolean autoRegister, Duration timeout) {
    Map<String, Object> config = kafka.durableProducerConfig("runnel-http-gateway");
    long lingerMs = Long.parseLong(config.get(ProducerConfig.LINGER_MS_CONFIG).toString());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, timeout.toMillis() - lingerMs));
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    this.serializer =
        new AvroSerializer(registry, SubjectNameStrategy.TOPIC_NAME, autoRegister, false);
    this.timeout = timeout;
  }

  /** One event to produce. */
  record Event(String topic, String key, GenericRecord value, Headers headers) {}

  /**
   * Starts sending; {@link #await} waits for the acknowledgement. Serializing may call the registry
   * (once per schema).
   */
  Future<RecordMetadata> send(Event event) {
    byte[] value;
    try {
      value = serializer.serialize(event.topic(), event.value());
    } catch (SerializationException e) {
      if (e.getCause() instanceof SchemaRegistryException registryError
          && registryError.errorCode() == SchemaRegistryException.UNREACHABLE) {
        throw new UnavailableException("the schema registry is unreachable: " + e.getMessage(), e);
      }
      throw e; // the registry refused the schema: the route's configuration is wrong
    }
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            event.topic(),
            null,
            event.key() == null ? null : event.key().getBytes(StandardCharsets.UTF_8),
            value,
            event.headers());
    try {
      return producer.send(record);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new UnavailableException(
          "Kafka did not answer within " + timeout.toMillis() + " ms", e);
    }
  }

  /** Waits for Kafka's acknowledgement of a send, up to the produce timeout (plus a margin). */
  RecordMetadata await(Future<RecordMetadata> sent) {
    try {
      // The producer fails the record at the delivery timeout; the margin lets it say why.
      return sent.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new UnavailableException(
          "Kafka did not store the event: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new UnavailableException(
          "Kafka did not answer within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while waiting for Kafka", e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
