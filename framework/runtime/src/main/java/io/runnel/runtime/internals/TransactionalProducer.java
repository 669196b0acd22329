package io.runnel.runtime.internals;

import io.runnel.registry.serde.AvroSerializer;
import io.runnel.support.KafkaSettings;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer of one exactly-once function: its outputs and dead letters are sent inside a
 * transaction that its {@link TransactionalCommits} commit together with the input offsets. A
 * transaction is always open. Handlers call {@code send} directly (no hand-over thread), so their
 * sends and the commits keep their order on the threads that make them.
 */
final class TransactionalProducer extends OutputProducer {

  /**
   * Fences an earlier process with the same id, aborts the transaction it left open, and opens the
   * first transaction.
   */
  TransactionalProducer(Producer<byte[], byte[]> producer, AvroSerializer serializer) {
    super(producer, serializer);
    producer.initTransactions();
    producer.beginTransaction();
  }

  static TransactionalProducer create(
      KafkaSettings kafka, AvroSerializer serializer, String transactionalId) {
    Map<String, Object> config = config(kafka);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
    return new TransactionalProducer(
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()),
        serializer);
  }

  @Override
  void send(ProducerRecord<byte[], byte[]> record, Callback ack) {
    try {
      producer.send(record, ack);
    } catch (RuntimeException e) {
      // Not sent at all: stop waiting for it; the caller sees the failure.
      ack.onCompletion(null, null);
      throw e;
    }
  }

  /**
   * Commits the open transaction together with the input offsets, then opens the next one: the
   * outputs and the offsets become visible together or not at all.
   */
  void commitTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
    if (!offsets.isEmpty()) {
      producer.sendOffsetsToTransaction(offsets, group);
    }
    producer.commitTransaction();
    producer.beginTransaction();
  }

  /** Drops everything sent since the last commit, and opens the next transaction. */
  void abortTransaction() {
    producer.abortTransaction();
    producer.beginTransaction();
  }
}
