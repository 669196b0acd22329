package io.runnel.connectors.http.internals;

import io.runnel.function.RequestReply;
import io.runnel.runtime.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
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
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();
  private final Thread poller;
  private volatile boolean running = true;

  ReplyListener(KafkaSettings kafka, String topic) {
    this.topic = topic;
    createIfMissing(kafka, topic);
    Map<String, Object> config = new HashMap<>(kafka.getConsumer());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "runnel-http-replies");
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = partitionsOf(consumer, topic);
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // Resolve the end now: a reply to a request sent after start-up lies beyond it.
    partitions.forEach(consumer::position);
    this.poller = Thread.ofPlatform().name("runnel-http-replies").daemon().start(this::poll);
  }

  String topic() {
    return topic;
  }

  /** Registers a request before it is sent, so that even a quick reply finds it. */
  CompletableFuture<byte[]> expect(String correlationId) {
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

  private void poll() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          Header id = record.headers().lastHeader(RequestReply.CORRELATION_ID);
          CompletableFuture<byte[]> reply =
              id == null ? null : waiting.remove(new String(id.value(), StandardCharsets.UTF_8));
          if (reply != null) {
            reply.complete(record.value());
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("The reply listener on {} stopped: {}", topic, e.toString(), e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** The topic's partitions, once a just-created topic shows up in the metadata. */
  private static List<TopicPartition> partitionsOf(
      KafkaConsumer<byte[], byte[]> consumer, String topic) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      if (!partitions.isEmpty()) {
        return partitions;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "The reply topic " + topic + " has no partitions after 30 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "Interrupted while waiting for the reply topic " + topic, e);
      }
    }
  }

  private static void createIfMissing(KafkaSettings kafka, String topic) {
    Map<String, Object> config = new HashMap<>(kafka.getConsumer());
    config.put("bootstrap.servers", kafka.getBootstrapServers());
    try (Admin admin = Admin.create(config)) {
      admin
          .createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "Cannot create the reply topic " + topic + ": " + e.getCause(), e);
      }
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("Cannot create the reply topic " + topic + ": " + e, e);
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      poller.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
