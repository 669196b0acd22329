package io.runnel.runtime.internals;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.MDC;

/**
 * The MDC entries of the record a handler thread is working on, so that every log line written
 * there (the function's own and Runnel's) names it: {@code function}, {@code record} ({@code
 * topic-partition@offset}), {@code key} (UTF-8 text; absent without a key) and {@code traceId}.
 * Closing removes them before the thread takes its next record.
 */
final class RecordLogContext implements AutoCloseable {

  static final String FUNCTION = "function";
  static final String RECORD = "record";
  static final String KEY = "key";
  static final String TRACE_ID = "traceId";

  private RecordLogContext() {}

  static RecordLogContext open(
      String function, ConsumerRecord<byte[], byte[]> record, Context context) {
    SpanContext trace = Span.fromContext(context).getSpanContext();
    MDC.put(FUNCTION, function);
    MDC.put(RECORD, record.topic() + "-" + record.partition() + "@" + record.offset());
    if (record.key() != null) {
      MDC.put(KEY, new String(record.key(), StandardCharsets.UTF_8));
    }
    if (trace.isValid()) {
      MDC.put(TRACE_ID, trace.getTraceId());
    }
    return new RecordLogContext();
  }

  @Override
  public void close() {
    MDC.remove(FUNCTION);
    MDC.remove(RECORD);
    MDC.remove(KEY);
    MDC.remove(TRACE_ID);
  }
}
