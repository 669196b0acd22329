package io.runnel.runtime.internals;

import io.runnel.function.Emitter;
import io.runnel.function.EventContext;
import io.runnel.function.RunnelHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The {@link EventContext} of one record; what it emits is counted against the record's {@link
 * RecordWork}, so the record's offset is committed only once Kafka acknowledged it.
 */
final class RecordEventContext implements EventContext, Emitter {

  private final String functionName;
  private final RecordWork work;
  private final ConsumerRecord<byte[], byte[]> record;
  private final OutputProducer producer;
  private final UsageMeter usage;

  RecordEventContext(
      String functionName, RecordWork work, OutputProducer producer, UsageMeter usage) {
    this.functionName = functionName;
    this.work = work;
    this.record = work.record();
    this.producer = producer;
    this.usage = usage;
  }

  @Override
  public void emit(String topic, String key, Object value) {
    usage.emitted(
        producer.sendEvent(
            topic,
            key == null ? null : key.getBytes(StandardCharsets.UTF_8),
            value,
            List.of(),
            work));
  }

  @Override
  public void emit(String topic, Object value) {
    usage.emitted(producer.sendEvent(topic, record.key(), value, List.of(), work));
  }

  /**
   * Sends {@code result} to the reply topic named in the record's {@link RunnelHeaders#REPLY_TOPIC}
   * header, with its correlation id, when it has one.
   */
  void replyIfRequested(Object result) {
    Header replyTopic = record.headers().lastHeader(RunnelHeaders.REPLY_TOPIC);
    if (replyTopic == null || replyTopic.value() == null) {
      return;
    }
    Header correlationId = record.headers().lastHeader(RunnelHeaders.CORRELATION_ID);
    List<Header> headers =
        correlationId == null
            ? List.of()
            : List.of(new RecordHeader(RunnelHeaders.CORRELATION_ID, correlationId.value()));
    usage.emitted(
        producer.sendEvent(
            new String(replyTopic.value(), StandardCharsets.UTF_8),
            record.key(),
            result,
            headers,
            work));
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
