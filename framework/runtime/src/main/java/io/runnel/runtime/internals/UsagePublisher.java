package io.runnel.runtime.internals;

import io.runnel.registry.serde.AvroSerializer;
import io.runnel.support.KafkaSettings;
import io.runnel.usage.UsageRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each function's {@link UsageMeter} as one {@link UsageRecord} per minute to the usage
 * topic, keyed by the function's name: once the minute has ended, and for the minute in progress
 * when the instance stops, so that a graceful restart loses and repeats nothing.
 *
 * <p>It has its own producer, so that publishing usage never waits behind outputs nor holds them
 * up. A record Kafka does not acknowledge is put back into its meter and published with the next
 * minute; one that fails at shutdown is logged with its counts.
 */
final class UsagePublisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UsagePublisher.class);

  /** How long a send may wait for the topic's metadata, so that shutdown is not held long. */
  private static final Duration MAX_BLOCK = Duration.ofSeconds(10);

  private final String topic;
  private final String instanceId;
  private final long minuteMillis;
  private final Producer<byte[], byte[]> producer;
  private final AvroSerializer serializer;
  private final Map<String, UsageMeter> meters = new ConcurrentHashMap<>();
  private final ScheduledExecutorService minutes =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("runnel-usage").factory());
  private long minuteStart;
  private volatile boolean closed;

  /**
   * @param minute the length of a metering period: a minute, shorter in tests
   */
  UsagePublisher(
      KafkaSettings kafka,
      AvroSerializer serializer,
      String topic,
      String instanceId,
      Duration minute) {
    Map<String, Object> config = kafka.durableProducerConfig("runnel-usage-" + instanceId);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK.toMillis());
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    this.serializer = serializer;
    this.topic = topic;
    this.instanceId = instanceId;
    this.minuteMillis = minute.toMillis();
    this.minuteStart = startOfMinute(System.currentTimeMillis());
    scheduleEndOfMinute();
  }

  /** The meter of {@code function}, published from now on. */
  UsageMeter meter(String function) {
    return meters.computeIfAbsent(function, UsageMeter::counting);
  }

  private long startOfMinute(long millis) {
    return millis - Math.floorMod(millis, minuteMillis);
  }

  private void scheduleEndOfMinute() {
    long delay = minuteStart + minuteMillis - System.currentTimeMillis();
    minutes.schedule(this::endMinute, Math.max(0, delay), TimeUnit.MILLISECONDS);
  }

  /** Publishes the minute that just ended and waits for the next. */
  private synchronized void endMinute() {
    if (closed) {
      return;
    }
    long ended = minuteStart;
    // Counts made between the minute's end and now (a few milliseconds) belong to it.
    minuteStart = Math.max(ended + minuteMillis, startOfMinute(System.currentTimeMillis()));
    publish(ended);
    scheduleEndOfMinute();
  }

  private void publish(long minute) {
    for (UsageMeter meter : meters.values()) {
      UsageRecord record = meter.takeRecord(instanceId, Instant.ofEpochMilli(minute));
      if (record == null) {
        continue; // an idle minute: nothing to bill
      }
      try {
        producer.send(
            new ProducerRecord<>(
                topic,
                record.getFunction().getBytes(StandardCharsets.UTF_8),
                serializer.serialize(topic, record)),
            (metadata, failure) -> {
              if (failure != null) {
                notPublished(meter, record, failure);
              }
            });
      } catch (RuntimeException e) {
        // Not serialized (the registry did not answer) or not handed to the producer.
        notPublished(meter, record, e);
      }
    }
  }

  private void notPublished(UsageMeter meter, UsageRecord record, Exception failure) {
    if (closed) {
      LOG.warn(
          "Usage of the last minute could not be published to {} and is lost: {} ({})",
          topic,
          record,
          failure.toString());
    } else {
      LOG.warn(
          "Usage of function {} could not be published to {} ({}); it is added to the next minute",
          record.getFunction(),
          topic,
          failure.toString());
      meter.putBack(record);
    }
  }

  /**
   * Publishes the minute in progress (call it once every invocation has ended) and waits for Kafka
   * to acknowledge it.
   */
  @Override
  public void close() {
    minutes.shutdownNow();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      publish(minuteStart);
    }
    producer.close(Duration.ofSeconds(10));
  }
}
