package io.runnel.runtime.internals;

import io.runnel.registry.serde.AvroSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one idempotent producer (acks=all) of an instance, shared by all functions for outputs and
 * dead letters. Values are Avro records written in the Confluent wire format.
 */
final class OutputProducer implements AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroSerializer serializer;

  OutputProducer(
      String bootstrapServers, Map<String, String> extraProperties, AvroSerializer serializer) {
    Map<String, Object> config = new HashMap<>(extraProperties);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "runnel-output");
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    this.serializer = serializer;
  }

  /**
   * Serializes {@code value} (an Avro record) and sends it; the future completes when Kafka
   * acknowledged it.
   */
  Future<RecordMetadata> sendEvent(String topic, byte[] key, Object value) {
    return producer.send(new ProducerRecord<>(topic, key, serializer.serialize(topic, value)));
  }

  /** Sends bytes as they are, with headers. */
  Future<RecordMetadata> sendRaw(
      String topic, Integer partition, byte[] key, byte[] value, Iterable<Header> headers) {
    return producer.send(new ProducerRecord<>(topic, partition, key, value, headers));
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
