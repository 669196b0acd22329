package io.runnel.runtime.internals;

import io.opentelemetry.context.Context;
import io.runnel.function.Emitter;
import io.runnel.function.EventContext;
import io.runnel.function.GlobalTable;
import io.runnel.function.KeyedStore;
import io.runnel.function.Output;
import io.runnel.function.RunnelHeaders;
import io.runnel.support.RecordTracing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The {@link EventContext} of one record; what it emits is counted against the record's {@link
 * RecordWork}, so the record's offset is committed only once Kafka acknowledged it. Every output
 * carries the headers of its {@link Output}, if it is one, and the trace context of the record's
 * span, written here rather than taken from the sending thread: the user may emit from any thread,
 * and the shared producer sends from its own. Its stores and global tables are the record's {@link
 * RecordState}.
 */
final class RecordEventContext implements EventContext, Emitter {

  private final String functionName;
  private final RecordWork work;
  private final ConsumerRecord<byte[], byte[]> record;
  private final OutputProducer producer;
  private final UsageMeter usage;
  private final RecordTracing tracing;
  private final Context trace;
  private final RecordState state;

  RecordEventContext(
      String functionName,
      RecordWork work,
      OutputProducer producer,
      UsageMeter usage,
      RecordTracing tracing,
      Context trace,
      RecordState state) {
    this.functionName = functionName;
    this.work = work;
    this.record = work.record();
    this.producer = producer;
    this.usage = usage;
    this.tracing = tracing;
    this.trace = trace;
    this.state = state;
  }

  @Override
  public void emit(String topic, String key, Object value) {
    send(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, List.of());
  }

  @Override
  public void emit(String topic, Object value) {
    send(topic, record.key(), value, List.of());
  }

  /** Sends {@code value} (unwrapped from an {@link Output}) with its headers and the trace. */
  private void send(String topic, byte[] key, Object value, List<Header> runnelHeaders) {
    Headers headers = new RecordHeaders();
    Object event = value;
    if (value instanceof Output output) {
      output.headers().forEach(headers::add);
      event = output.value();
    }
    runnelHeaders.forEach(headers::add);
    tracing.inject(trace, headers);
    usage.emitted(producer.sendEvent(topic, key, event, headers, work));
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
    send(
        new String(replyTopic.value(), StandardCharsets.UTF_8),
        record.key(),
        result,
        correlationId == null ? List.of() : List.of(correlationId));
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

  @Override
  public <V> KeyedStore<V> store(String name, Class<V> valueType) {
    return state.store(name, valueType);
  }

  @Override
  public <V> GlobalTable<V> globalTable(String topic, Class<V> valueType) {
    return state.globalTable(topic, valueType);
  }

  /** Makes the invocation's state writes part of the record: called once it succeeded. */
  void flushState() {
    state.flush(producer, work);
  }
}
