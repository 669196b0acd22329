package io.runnel.runtime.internals;

import io.runnel.registry.serde.AvroSerializer;
import io.runnel.support.KafkaSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Where a function's outputs, retries and dead letters go: an idempotent producer (acks=all) whose
 * every send is counted against the {@link RecordWork} it belongs to, which finishes only once
 * Kafka acknowledged it. At-least-once functions share one {@link HandOverProducer}; each
 * exactly-once function has its own {@link TransactionalProducer}.
 */
abstract sealed class OutputProducer implements AutoCloseable
    permits HandOverProducer, TransactionalProducer {

  final Producer<byte[], byte[]> producer;
  private final AvroSerializer serializer;
  // The topics emitted to that Kafka's metadata showed to exist.
  private final Set<String> existingTopics = ConcurrentHashMap.newKeySet();

  OutputProducer(Producer<byte[], byte[]> producer, AvroSerializer serializer) {
    this.producer = producer;
    this.serializer = serializer;
  }

  /** The configuration both producers start from. */
  static Map<String, Object> config(KafkaSettings kafka) {
    Map<String, Object> config = kafka.durableProducerConfig("runnel-output");
    config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
    return config;
  }

  /**
   * Serializes {@code value} (an Avro record) and sends it, with headers, as part of {@code work}.
   *
   * @throws org.apache.kafka.common.errors.TimeoutException naming the topic when it does not exist
   *     (Kafka's metadata has none after {@code max.block.ms}): the emitting invocation fails
   * @return the bytes of its key and value
   */
  final int sendEvent(
      String topic, byte[] key, Object value, Iterable<Header> headers, RecordWork work) {
    requireExisting(topic);
    byte[] bytes = serializer.serialize(topic, value);
    send(new ProducerRecord<>(topic, null, key, bytes, headers), work);
    return (key == null ? 0 : key.length) + bytes.length;
  }

  /** Sends a record of bytes as it is, as part of {@code work}. */
  final void send(ProducerRecord<byte[], byte[]> record, RecordWork work) {
    send(record, work.expectAck());
  }

  /**
   * Waits, on the emitting thread, for the metadata of a topic not emitted to before: the first
   * emit to a missing topic fails there, so a send never waits for it on a thread that other
   * functions share.
   */
  private void requireExisting(String topic) {
    if (!existingTopics.contains(topic)) {
      producer.partitionsFor(topic);
      existingTopics.add(topic);
    }
  }

  /** A send to {@code topic} failed as if it were gone: the next emit to it checks again. */
  final void recheckTopic(String topic) {
    existingTopics.remove(topic);
  }

  /** Sends {@code record}; {@code ack} is called once Kafka acknowledged it or it failed. */
  abstract void send(ProducerRecord<byte[], byte[]> record, Callback ack);

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
