package io.runnel.benchmarks;

import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.messaging.annotation.SendTo;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Micronaut's {@code @KafkaListener} (micronaut-kafka), threads=2: either its at-least-once form (a
 * batch listener that sends, flushes, and lets the batch's offsets be committed after it returns)
 * or its per-record {@code @SendTo} form, which commits without waiting for outputs to be
 * acknowledged and so is not at-least-once: a reference, not a peer.
 */
final class MicronautKafkaContender implements Contender {

  /** The current run's shared state, set before its context starts. */
  static volatile Step step;

  @Requires(property = "bench.micronaut", value = "batch")
  @KafkaListener(
      groupId = "${bench.group}",
      batch = true,
      threads = 2,
      offsetReset = OffsetReset.EARLIEST,
      offsetStrategy = OffsetStrategy.SYNC)
  static class BatchListener {
    @Topic("${bench.topic}")
    void receive(List<ConsumerRecord<byte[], byte[]>> records) {
      Step current = step;
      for (ConsumerRecord<byte[], byte[]> record : records) {
        current.handle(record);
      }
      current.producer().flush();
    }
  }

  @Requires(property = "bench.micronaut", value = "send-to")
  @KafkaListener(
      groupId = "${bench.group}",
      threads = 2,
      offsetReset = OffsetReset.EARLIEST,
      offsetStrategy = OffsetStrategy.ASYNC)
  static class SendToListener {
    @Topic("${bench.topic}")
    @SendTo("${bench.output}")
    byte[] receive(ConsumerRecord<byte[], byte[]> record) {
      return step.output(record);
    }
  }

  private final boolean sendTo;

  MicronautKafkaContender(boolean sendTo) {
    this.sendTo = sendTo;
  }

  @Override
  public String name() {
    return sendTo
        ? "Micronaut @KafkaListener @SendTo, threads=2 (not at-least-once)"
        : "Micronaut @KafkaListener batch, threads=2";
  }

  @Override
  public AutoCloseable start(
      Workload workload,
      BenchmarkCluster cluster,
      String group,
      String outputTopic,
      OrderChecker order) {
    KafkaProducer<byte[], byte[]> producer = cluster.producer();
    step = Step.of(workload, cluster, producer, outputTopic, order);
    ApplicationContext context =
        ApplicationContext.run(
            Map.ofEntries(
                Map.entry("bench.micronaut", sendTo ? "send-to" : "batch"),
                Map.entry("bench.group", group),
                Map.entry("bench.topic", workload.topic()),
                Map.entry("bench.output", outputTopic),
                Map.entry("runnel.http.enabled", "false"),
                Map.entry("kafka.bootstrap.servers", cluster.bootstrapServers()),
                Map.entry(
                    "kafka.consumers.default.key.deserializer",
                    "org.apache.kafka.common.serialization.ByteArrayDeserializer"),
                Map.entry(
                    "kafka.consumers.default.value.deserializer",
                    "org.apache.kafka.common.serialization.ByteArrayDeserializer"),
                Map.entry(
                    "kafka.producers.default.key.serializer",
                    "org.apache.kafka.common.serialization.ByteArraySerializer"),
                Map.entry(
                    "kafka.producers.default.value.serializer",
                    "org.apache.kafka.common.serialization.ByteArraySerializer")));
    return () -> {
      context.close();
      producer.close();
    };
  }
}
