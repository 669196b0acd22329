package io.runnel.runtime.internals;

import io.runnel.function.Emitter;
import io.runnel.function.EventContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;

/**
 * The {@link EventContext} of one record; remembers what was emitted so the commit can wait for it.
 */
final class RecordEventContext implements EventContext, Emitter {

  private final String functionName;
  private final ConsumerRecord<byte[], byte[]> record;
  private final OutputProducer producer;
  private final List<Future<RecordMetadata>> emitted;

  RecordEventContext(
      String functionName,
      ConsumerRecord<byte[], byte[]> record,
      OutputProducer producer,
      List<Future<RecordMetadata>> emitted) {
    this.functionName = functionName;
    this.record = record;
    this.producer = producer;
    this.emitted = emitted;
  }

  @Override
  public void emit(String topic, String key, Object value) {
    emitted.add(
        producer.sendEvent(
            topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
  }

  @Override
  public void emit(String topic, Object value) {
    emitted.add(producer.sendEvent(topic, record.key(), value));
  }

  @Override
  public String key() {
    return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
  }

  @Override
  public byte[] rawKey() {
    return record.key();
  }

  @Override
  public Headers headers() {
    return record.headers();
  }

  @Override
  public String topic() {
    return record.topic();
  }

  @Override
  public int partition() {
    return record.partition();
  }

  @Override
  public long offset() {
    return record.offset();
  }

  @Override
  public Instant timestamp() {
    return Instant.ofEpochMilli(record.timestamp());
  }

  @Override
  public String functionName() {
    return functionName;
  }

  @Override
  public Emitter emitter() {
    return this;
  }
}
