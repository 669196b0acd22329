package io.runnel.connectors.http.internals;

import io.runnel.function.RunnelHeaders;
import io.runnel.support.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this gateway instance's reply topic (assigned, no consumer group: every instance has its
 * own topic) from its end, and hands each reply to the request waiting for its correlation id.
 * Replies nobody waits for any more (the request timed out) are dropped.
 */
final class ReplyListener implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReplyListener.class);

  private final String topic;
  private final KafkaSettings kafka;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();
  private final Thread poller;
  private volatile boolean running = true;
  private volatile boolean reading;

  ReplyListener(KafkaSettings kafka, String topic) {
    this.topic = topic;
    this.kafka = kafka;
    Map<String, Object> config = kafka.manualCommitConsumerConfig(null);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "runnel-http-replies");
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.poller = Thread.ofPlatform().name("runnel-http-replies").daemon().start(this::run);
  }

  String topic() {
    return topic;
  }

  /**
   * Registers a request before it is sent, so that even a quick reply finds it; 503 while the
   * listener does not read its topic yet (Kafka has not answered since start-up).
   */
  CompletableFuture<byte[]> expect(String correlationId) {
    if (!reading) {
      throw new EventPublisher.UnavailableException(
          "the reply topic " + topic + " is not read yet: Kafka has not answered since start-up",
          null);
    }
    CompletableFuture<byte[]> reply = new CompletableFuture<>();
    waiting.put(correlationId, reply);
    return reply;
  }

  /** The reply's value bytes, or empty when none came within {@code timeout}. */
  Optional<byte[]> await(String correlationId, CompletableFuture<byte[]> reply, Duration timeout) {
    try {
      return Optional.of(reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      waiting.remove(correlationId);
    }
  }

  /** Stops waiting for a request that was never sent. */
  void forget(String correlationId) {
    waiting.remove(correlationId);
  }

  private void run() {
    try {
      start();
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          Header id = record.headers().lastHeader(RunnelHeaders.CORRELATION_ID);
          CompletableFuture<byte[]> reply =
              id == null ? null : waiting.remove(new String(id.value(), StandardCharsets.UTF_8));
          if (reply != null) {
            reply.complete(record.value());
          }
        }
      }
    } catch (WakeupException | InterruptedException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("The reply listener on {} stopped: {}", topic, e.toString(), e);
    } finally {
      reading = false;
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /**
   * Creates the topic if needed and starts reading it from its end, trying again until Kafka
   * answers: the gateway starts (and answers 503) while Kafka is down.
   */
  private void start() throws InterruptedException {
    while (running) {
      try {
        kafka.createTopicsIfMissing(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())));
        List<TopicPartition> partitions =
            consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        if (!partitions.isEmpty()) {
          consumer.assign(partitions);
          consumer.seekToEnd(partitions);
          // Resolve the end now: a reply to a request sent after this lies beyond it.
          partitions.forEach(consumer::position);
          reading = true;
          return;
        }
      } catch (KafkaException e) {
        LOG.warn("Cannot read the reply topic {} yet, trying again: {}", topic, e.toString());
      }
      Thread.sleep(1_000);
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    poller.interrupt();
    try {
      poller.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
