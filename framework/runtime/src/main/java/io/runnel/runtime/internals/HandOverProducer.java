package io.runnel.runtime.internals;

import io.runnel.registry.serde.AvroSerializer;
import io.runnel.support.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one producer of an instance shared by its at-least-once functions, fed by one hand-over
 * thread: a thousand virtual threads calling {@code send} themselves spin on the accumulator's
 * per-partition locks (the top cost in a profile of the pass-through benchmark).
 */
final class HandOverProducer extends OutputProducer {

  private static final Logger LOG = LoggerFactory.getLogger(HandOverProducer.class);
  private static final int HAND_OVER_BATCH = 1024;

  /**
   * The hand-over thread waits at most this long for a topic's metadata or for buffer space
   * (Kafka's default is 60 s) unless {@code runnel.kafka.producer.max.block.ms} says otherwise:
   * every function's outputs wait behind it.
   */
  private static final String MAX_BLOCK_MS = "10000";

  /**
   * A record and its acknowledgement, on its way to the producer; the producer's callback, which
   * has the topic checked again at the next emit when it seems gone.
   */
  private final class Pending implements Callback {
    final ProducerRecord<byte[], byte[]> record;
    final Callback ack;

    Pending(ProducerRecord<byte[], byte[]> record, Callback ack) {
      this.record = record;
      this.ack = ack;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
      if (exception instanceof TimeoutException
          || exception instanceof UnknownTopicOrPartitionException) {
        recheckTopic(record.topic());
      }
      ack.onCompletion(metadata, exception);
    }
  }

  private final Pending stop = new Pending(null, null);

  // Lock-free: a thousand handler threads add to it; the hand-over thread waits on it when empty.
  private final BlockingQueue<Pending> pending = new LinkedTransferQueue<>();
  private final Thread handOver;

  HandOverProducer(KafkaSettings kafka, AvroSerializer serializer) {
    super(
        new KafkaProducer<>(
            handOverConfig(kafka), new ByteArraySerializer(), new ByteArraySerializer()),
        serializer);
    this.handOver =
        Thread.ofPlatform().daemon().name("runnel-output-hand-over").start(this::handOver);
  }

  private static Map<String, Object> handOverConfig(KafkaSettings kafka) {
    Map<String, Object> config = config(kafka);
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
    return config;
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
        if (next == stop) {
          stopping = true;
        } else {
          try {
            producer.send(next.record, next);
          } catch (RuntimeException e) {
            // Not sent at all (the producer is closed or failed): the record is handled again.
            LOG.warn("Could not hand a record to the producer: {}", e.toString());
            next.ack.onCompletion(null, e);
          }
        }
      }
      batch.clear();
    }
  }

  @Override
  void send(ProducerRecord<byte[], byte[]> record, Callback ack) {
    pending.add(new Pending(record, ack));
  }

  @Override
  public void close() {
    pending.add(stop); // after every record queued before it
    try {
      handOver.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    super.close();
  }
}
