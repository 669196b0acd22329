package io.runnel.runtime.internals;

import io.runnel.runtime.internals.DeadLetterPublisher.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data path of one function: poll, decode, invoke, emit, dead-letter, then commit.
 *
 * <p>Each poll's records are handled partition by partition in offset order. The offsets are
 * committed only once every output and dead letter of the poll was acknowledged; if one was not,
 * the partitions are rewound to their committed offsets and the records handled again
 * (at-least-once). A record that cannot be decoded or keeps failing goes to the dead-letter topic
 * and the partition moves on.
 */
final class ConsumerLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

  private final FunctionDefinition function;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final RecordDecoder decoder;
  private final Object bean;
  private final OutputProducer producer;
  private final DeadLetterPublisher deadLetters;
  private final Invocation invocation;
  private volatile boolean running = true;

  ConsumerLoop(
      FunctionDefinition function,
      KafkaConsumer<byte[], byte[]> consumer,
      RecordDecoder decoder,
      Object bean,
      OutputProducer producer,
      DeadLetterPublisher deadLetters) {
    this.function = function;
    this.consumer = consumer;
    this.decoder = decoder;
    this.bean = bean;
    this.producer = producer;
    this.deadLetters = deadLetters;
    this.invocation =
        new Invocation(new RetryPolicy(function.maxAttempts(), function.retryBackoffMs()));
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(function.topics(), new RebalanceLogger());
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
        if (!records.isEmpty()) {
          handle(records);
        }
      }
    } catch (WakeupException e) {
      // stop() woke the consumer up: leave the loop.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("Function {} stopped consuming: {}", function.name(), e.toString(), e);
    } finally {
      consumer.close(Duration.ofSeconds(10));
    }
  }

  private void handle(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
    List<Future<RecordMetadata>> pending = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> batch = records.records(partition);
      if (function.shape() == FunctionShape.BATCH) {
        handleBatch(batch, pending);
      } else {
        for (ConsumerRecord<byte[], byte[]> record : batch) {
          handleOne(record, pending);
        }
      }
      next.put(partition, new OffsetAndMetadata(batch.get(batch.size() - 1).offset() + 1));
    }
    if (allAcknowledged(pending)) {
      consumer.commitSync(next);
    } else {
      rewind(records.partitions());
    }
  }

  private void handleOne(
      ConsumerRecord<byte[], byte[]> record, List<Future<RecordMetadata>> pending)
      throws InterruptedException {
    Object event;
    try {
      event = decoder.decode(record);
    } catch (RuntimeException e) {
      pending.add(deadLetters.publish(function, record, Stage.DECODE, e, 0));
      return;
    }
    Invocation.Outcome outcome =
        invocation.run(
            emitted -> {
              RecordEventContext context =
                  new RecordEventContext(function.name(), record, producer, emitted);
              Object result =
                  function.shape() == FunctionShape.SINGLE_WITH_CONTEXT
                      ? function.method().invoke(bean, event, context)
                      : function.method().invoke(bean, event);
              if (result != null && function.outputTopic() != null) {
                context.emit(function.outputTopic(), result);
              }
            });
    if (outcome.succeeded()) {
      pending.addAll(outcome.emitted());
    } else {
      LOG.warn(
          "Function {} failed on {}-{}@{} after {} attempts: {}",
          function.name(),
          record.topic(),
          record.partition(),
          record.offset(),
          outcome.attempts(),
          outcome.failure().toString());
      pending.add(
          deadLetters.publish(
              function, record, Stage.INVOKE, outcome.failure(), outcome.attempts()));
    }
  }

  private void handleBatch(
      List<ConsumerRecord<byte[], byte[]>> batch, List<Future<RecordMetadata>> pending)
      throws InterruptedException {
    List<Object> events = new ArrayList<>(batch.size());
    List<ConsumerRecord<byte[], byte[]>> decoded = new ArrayList<>(batch.size());
    for (ConsumerRecord<byte[], byte[]> record : batch) {
      try {
        events.add(decoder.decode(record));
        decoded.add(record);
      } catch (RuntimeException e) {
        pending.add(deadLetters.publish(function, record, Stage.DECODE, e, 0));
      }
    }
    if (events.isEmpty()) {
      return;
    }
    Invocation.Outcome outcome =
        invocation.run(emitted -> function.method().invoke(bean, List.copyOf(events)));
    if (!outcome.succeeded()) {
      LOG.warn(
          "Batch function {} failed on {} records after {} attempts: {}",
          function.name(),
          decoded.size(),
          outcome.attempts(),
          outcome.failure().toString());
      for (ConsumerRecord<byte[], byte[]> record : decoded) {
        pending.add(
            deadLetters.publish(
                function, record, Stage.INVOKE, outcome.failure(), outcome.attempts()));
      }
    }
  }

  private boolean allAcknowledged(List<Future<RecordMetadata>> pending)
      throws InterruptedException {
    boolean all = true;
    for (Future<RecordMetadata> send : pending) {
      try {
        send.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn(
            "Function {}: an output was not acknowledged ({}); its input records will be handled again",
            function.name(),
            e.toString());
        all = false;
      }
    }
    return all;
  }

  /**
   * Goes back to the last committed offsets, so the records of an unacknowledged poll are handled
   * again.
   */
  private void rewind(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> committed =
        consumer.committed(java.util.Set.copyOf(partitions));
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata offset = committed.get(partition);
      if (offset != null) {
        consumer.seek(partition, offset);
      } else {
        consumer.seekToBeginning(List.of(partition));
      }
    }
  }

  /** Asks the loop to stop once the records in hand are handled and committed. */
  void stop() {
    running = false;
  }

  /** Interrupts a blocking consumer call; records not committed yet are handled again later. */
  void abort() {
    running = false;
    consumer.wakeup();
  }

  private final class RebalanceLogger implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      LOG.info("Function {} assigned {}", function.name(), partitions);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      LOG.info("Function {} revoked {}", function.name(), partitions);
    }
  }
}
