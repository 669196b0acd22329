package io.runnel.runtime.internals;

import io.runnel.registry.serde.AvroSerializer;
import io.runnel.support.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one idempotent producer (acks=all) of an instance, shared by all functions for outputs and
 * dead letters. Each send is counted against the {@link RecordWork} it belongs to, which finishes
 * only once Kafka acknowledged it.
 *
 * <p>The shared producer gets its records from one hand-over thread: a thousand virtual threads
 * calling {@code send} themselves spin on the accumulator's per-partition locks (the top cost in a
 * profile of the pass-through benchmark). A transactional producer is called directly, so its sends
 * and its commits keep their order on the threads that make them.
 */
final class OutputProducer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OutputProducer.class);
  private static final int HAND_OVER_BATCH = 1024;

  /** A record and its acknowledgement, on its way to the producer. */
  private record Pending(ProducerRecord<byte[], byte[]> record, Callback ack) {}

  private static final Pending STOP = new Pending(null, null);

  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroSerializer serializer;
  // Lock-free: a thousand handler threads add to it; the hand-over thread waits on it when empty.
  private final BlockingQueue<Pending> pending = new LinkedTransferQueue<>();
  private final Thread handOver;

  /**
   * @param transactionalId null for the shared at-least-once producer; set, a transactional
   *     producer for one exactly-once function (its transactions are begun and committed by the
   *     function's {@link ConsumerLoop})
   */
  OutputProducer(KafkaSettings kafka, AvroSerializer serializer, String transactionalId) {
    Map<String, Object> config = kafka.durableProducerConfig("runnel-output");
    config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
    if (transactionalId != null) {
      config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
      config.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
    }
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    this.serializer = serializer;
    if (transactionalId != null) {
      // Fences an earlier process with the same id and aborts the transaction it left open.
      producer.initTransactions();
      producer.beginTransaction();
      this.handOver = null;
    } else {
      this.handOver =
          Thread.ofPlatform().daemon().name("runnel-output-hand-over").start(this::handOver);
    }
  }

  /** Hands the queued records to the producer, in the order they were queued, until stopped. */
  private void handOver() {
    List<Pending> batch = new ArrayList<>(HAND_OVER_BATCH);
    boolean stopping = false;
    while (!stopping) {
      try {
        batch.add(pending.take());
      } catch (InterruptedException e) {
        return;
      }
      pending.drainTo(batch, HAND_OVER_BATCH - 1);
      for (Pending next : batch) {
        if (next == STOP) {
          stopping = true;
        } else {
          try {
            producer.send(next.record(), next.ack());
          } catch (RuntimeException e) {
            // Not sent at all (the producer is closed or failed): the record is handled again.
            LOG.warn("Could not hand a record to the producer: {}", e.toString());
            next.ack().onCompletion(null, e);
          }
        }
      }
      batch.clear();
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

  /**
   * Serializes {@code value} (an Avro record) and sends it, with headers, as part of {@code work}.
   */
  void sendEvent(
      String topic, byte[] key, Object value, Iterable<Header> headers, RecordWork work) {
    byte[] bytes = serializer.serialize(topic, value);
    send(new ProducerRecord<>(topic, null, key, bytes, headers), work);
  }

  /** Sends bytes as they are, with headers, as part of {@code work}. */
  void sendRaw(String topic, byte[] key, byte[] value, Iterable<Header> headers, RecordWork work) {
    send(new ProducerRecord<>(topic, null, key, value, headers), work);
  }

  private void send(ProducerRecord<byte[], byte[]> record, RecordWork work) {
    Callback ack = work.expectAck();
    if (handOver != null) {
      pending.add(new Pending(record, ack));
      return;
    }
    try {
      producer.send(record, ack);
    } catch (RuntimeException e) {
      // Not sent at all: stop waiting for it; the caller sees the failure.
      ack.onCompletion(null, null);
      throw e;
    }
  }

  @Override
  public void close() {
    if (handOver != null) {
      pending.add(STOP); // after every record queued before it
      try {
        handOver.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    producer.close(Duration.ofSeconds(10));
  }
}
