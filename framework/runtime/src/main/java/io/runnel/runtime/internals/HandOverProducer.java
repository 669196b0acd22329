package io.runnel.runtime.internals;

import io.runnel.registry.serde.AvroSerializer;
import io.runnel.support.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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

  /** A record and its acknowledgement, on its way to the producer. */
  private record Pending(ProducerRecord<byte[], byte[]> record, Callback ack) {}

  private static final Pending STOP = new Pending(null, null);

  // Lock-free: a thousand handler threads add to it; the hand-over thread waits on it when empty.
  private final BlockingQueue<Pending> pending = new LinkedTransferQueue<>();
  private final Thread handOver;

  HandOverProducer(KafkaSettings kafka, AvroSerializer serializer) {
    super(
        new KafkaProducer<>(config(kafka), new ByteArraySerializer(), new ByteArraySerializer()),
        serializer);
    this.handOver =
        Thread.ofPlatform().daemon().name("runnel-output-hand-over").start(this::handOver);
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

  @Override
  void send(ProducerRecord<byte[], byte[]> record, Callback ack) {
    pending.add(new Pending(record, ack));
  }

  @Override
  public void close() {
    pending.add(STOP); // after every record queued before it
    try {
      handOver.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    super.close();
  }
}
