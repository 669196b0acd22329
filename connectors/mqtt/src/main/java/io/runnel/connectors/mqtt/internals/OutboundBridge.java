package io.runnel.connectors.mqtt.internals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.function.RunnelHeaders;
import io.runnel.registry.json.AvroToJson;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.support.ComponentStatus;
import io.runnel.support.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the records of one Kafka topic to MQTT as JSON (commands to devices), at least once: a
 * poll's offsets are committed only after the broker acknowledged every publish of it; when one
 * fails, the poll is read again. A record that cannot become an MQTT message (undecodable, no value
 * for a topic placeholder) goes to the dead-letter topic instead.
 */
final class OutboundBridge implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OutboundBridge.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MqttOutbound outbound;
  private final MqttLink link;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final String deadLetterTopic;
  private final AvroDeserializer deserializer;
  private final ComponentStatus<MqttConnector.State> status;
  private final Duration timeout;
  private final Duration backoff;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private final CountDownLatch stopping = new CountDownLatch(1);

  OutboundBridge(
      MqttOutbound outbound,
      MqttLink link,
      KafkaSettings kafka,
      KafkaProducer<byte[], byte[]> deadLetters,
      String deadLetterTopic,
      AvroDeserializer deserializer,
      ComponentStatus<MqttConnector.State> status,
      Duration timeout,
      Duration backoff) {
    this.outbound = outbound;
    this.link = link;
    this.deadLetters = deadLetters;
    this.deadLetterTopic = deadLetterTopic;
    this.deserializer = deserializer;
    this.status = status;
    this.timeout = timeout;
    this.backoff = backoff;
    Map<String, Object> config =
        kafka.manualCommitConsumerConfig("runnel-mqtt-outbound-" + outbound.name());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(outbound.kafkaTopic()));
    this.thread =
        Thread.ofPlatform().name("runnel-mqtt-outbound-" + outbound.name()).start(this::run);
  }

  private void run() {
    try {
      while (stopping.getCount() > 0) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
        if (records.isEmpty()) {
          continue;
        }
        try {
          publishAll(records);
          consumer.commitSync();
          status.count(MqttConnector.SENT_TO_DEVICES, records.count());
        } catch (Exception e) {
          LOG.warn(
              "Could not publish {} records of {} to MQTT; reading them again: {}",
              records.count(),
              outbound.kafkaTopic(),
              e.toString());
          rewind(records);
          stopping.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (WakeupException | InterruptedException e) {
      // close() asked us to stop.
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void publishAll(ConsumerRecords<byte[], byte[]> records) throws Exception {
    List<CompletableFuture<?>> sends = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      String topic;
      byte[] payload;
      try {
        GenericRecord value =
            (GenericRecord) deserializer.deserialize(record.topic(), record.value());
        topic = outbound.topicFor(key, value);
        payload = JSON.writeValueAsBytes(AvroToJson.convert(value));
      } catch (RuntimeException e) {
        sends.add(deadLetter(record, e));
        continue;
      }
      sends.add(link.publish(topic, payload, outbound.qos(), outbound.retain()));
    }
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private CompletableFuture<?> deadLetter(ConsumerRecord<byte[], byte[]> record, Exception reason) {
    ProducerRecord<byte[], byte[]> dead =
        new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), record.headers());
    Headers headers = dead.headers();
    InboundMapper.put(headers, RunnelHeaders.ERROR_EXCEPTION_CLASS, reason.getClass().getName());
    InboundMapper.put(
        headers, RunnelHeaders.ERROR_EXCEPTION_MESSAGE, String.valueOf(reason.getMessage()));
    InboundMapper.put(headers, RunnelHeaders.ERROR_STAGE, "outbound");
    InboundMapper.put(headers, RunnelHeaders.ERROR_ORIGINAL_TOPIC, record.topic());
    InboundMapper.put(
        headers, RunnelHeaders.ERROR_ORIGINAL_PARTITION, String.valueOf(record.partition()));
    InboundMapper.put(
        headers, RunnelHeaders.ERROR_ORIGINAL_OFFSET, String.valueOf(record.offset()));
    InboundMapper.put(headers, RunnelHeaders.ERROR_FAILED_AT, Instant.now().toString());
    InboundMapper.put(headers, "runnel.mqtt.outbound", outbound.name());
    CompletableFuture<Void> stored = new CompletableFuture<>();
    deadLetters.send(
        dead,
        (metadata, error) -> {
          if (error == null) {
            stored.complete(null);
          } else {
            stored.completeExceptionally(error);
          }
        });
    return stored;
  }

  /** Back to the first record of the poll on each partition, so nothing of it is skipped. */
  private void rewind(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      consumer.seek(partition, records.records(partition).get(0).offset());
    }
  }

  @Override
  public void close() {
    // No interrupt: it could strike while the thread closes its consumer.
    stopping.countDown();
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
