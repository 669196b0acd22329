package io.runnel.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * A hand-written kafka-clients loop, at-least-once: per poll, handle the records (how is up to the
 * subclass), flush the producer so every output is acknowledged, then commit.
 */
abstract class PollLoopContender implements Contender {

  /**
   * Handles one poll's records; returns once every record's output was sent (not yet acknowledged).
   */
  abstract void handlePoll(ConsumerRecords<byte[], byte[]> records, Step step)
      throws InterruptedException;

  @Override
  public AutoCloseable start(
      Workload workload,
      BenchmarkCluster cluster,
      String group,
      String outputTopic,
      OrderChecker order) {
    AtomicBoolean running = new AtomicBoolean(true);
    Thread thread =
        Thread.ofPlatform()
            .name(name())
            .start(
                () -> {
                  try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(group);
                      KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
                    Step step = Step.of(workload, cluster, producer, outputTopic, order);
                    consumer.subscribe(List.of(workload.topic()));
                    while (running.get()) {
                      ConsumerRecords<byte[], byte[]> records =
                          consumer.poll(Duration.ofMillis(100));
                      if (!records.isEmpty()) {
                        handlePoll(records, step);
                        producer.flush();
                        consumer.commitSync();
                      }
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    return () -> {
      running.set(false);
      thread.join();
    };
  }
}
