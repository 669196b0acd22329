package io.runnel.runtime.internals;

import io.runnel.support.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One global table: a compacted topic read whole into memory (the encoded value of each key) when
 * it is created, then followed by a thread of its own until closed. Its consumer joins no group, so
 * every instance reads every partition.
 */
final class GlobalTableReader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GlobalTableReader.class);

  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, byte[]> values = new ConcurrentHashMap<>();
  private final Thread follower;
  private volatile boolean running = true;

  /** Reads {@code topic} to its end, then follows it. */
  GlobalTableReader(KafkaSettings kafka, String topic, String functionName) {
    this.topic = topic;
    Map<String, Object> config = kafka.manualCommitConsumerConfig(null);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "runnel-" + functionName + "-table-" + topic);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    long started = System.nanoTime();
    long read =
        TopicReplay.readToEnd(
            consumer,
            consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList(),
            this::apply);
    LOG.info(
        "Function {}: global table {} read, {} keys from {} records in {} ms",
        functionName,
        topic,
        values.size(),
        read,
        (System.nanoTime() - started) / 1_000_000);
    follower = Thread.ofPlatform().daemon().name("runnel-table-" + topic).start(this::follow);
  }

  /** The encoded value of {@code key}, or null. */
  byte[] get(String key) {
    return values.get(key);
  }

  String topic() {
    return topic;
  }

  private void follow() {
    try {
      while (running) {
        consumer.poll(Duration.ofMillis(500)).forEach(this::apply);
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("Global table {} stopped following its topic; lookups see older values", topic, e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null) {
      return; // no key, nothing to look up
    }
    String key = new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      values.remove(key);
    } else {
      values.put(key, record.value());
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      follower.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
