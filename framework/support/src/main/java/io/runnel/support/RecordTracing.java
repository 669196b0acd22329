package io.runnel.support;

import io.micronaut.core.annotation.Nullable;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The trace context of Kafka records (W3C {@code traceparent} and {@code tracestate} headers, or
 * whatever {@code otel.propagators} names), read and written through OpenTelemetry's propagator,
 * and the spans that connect them: a connector starts a {@code publish} span for each event it
 * brings to Kafka, a function a {@code process} span for each record it handles. Spans are exported
 * only when {@code otel.traces.exporter} names an exporter; with {@code micronaut.otel.enabled:
 * false} nothing is traced and no header written.
 */
@Singleton
public final class RecordTracing {

  private static final String INSTRUMENTATION = "io.runnel";

  private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  private static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey("messaging.operation.type");
  private static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  private static final AttributeKey<String> PARTITION =
      AttributeKey.stringKey("messaging.destination.partition.id");
  private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
  private static final AttributeKey<String> GROUP =
      AttributeKey.stringKey("messaging.consumer.group.name");

  /** Reads record headers as text, the last value of a name winning (as in Kafka's own use). */
  private static final TextMapGetter<Headers> HEADER_GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
          List<String> names = new ArrayList<>();
          for (Header header : headers) {
            names.add(header.key());
          }
          return names;
        }

        @Override
        public String get(Headers headers, String name) {
          if (headers == null) {
            return null;
          }
          Header header = headers.lastHeader(name);
          return header == null || header.value() == null
              ? null
              : new String(header.value(), StandardCharsets.UTF_8);
        }
      };

  /** Replaces a header, so that a copied record's old trace context does not stay beside it. */
  private static final TextMapSetter<Headers> HEADER_SETTER =
      (headers, name, value) -> {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
      };

  private final TextMapPropagator propagator;
  private final Tracer tracer;

  /** {@code openTelemetry}: Micronaut Tracing's; none (tracing switched off) traces nothing. */
  public RecordTracing(@Nullable OpenTelemetry openTelemetry) {
    OpenTelemetry telemetry = openTelemetry == null ? OpenTelemetry.noop() : openTelemetry;
    this.propagator = telemetry.getPropagators().getTextMapPropagator();
    this.tracer = telemetry.getTracer(INSTRUMENTATION);
  }

  /** The trace context a record carries; the root context (no trace) when it carries none. */
  public Context extract(Headers headers) {
    return extract(headers, HEADER_GETTER);
  }

  /**
   * The trace context in anything else that carries text fields (HTTP request headers, MQTT user
   * properties); the root context when there is none.
   */
  public <C> Context extract(C carrier, TextMapGetter<C> getter) {
    return propagator.extract(Context.root(), carrier, getter);
  }

  /** Writes {@code context} into {@code headers}, replacing the trace headers they had. */
  public void inject(Context context, Headers headers) {
    propagator.inject(context, headers, HEADER_SETTER);
  }

  /** Starts a new trace for an event a connector publishes to {@code topic}, as below. */
  public void startEvent(String topic, Headers headers) {
    startEvent(topic, Context.root(), headers);
  }

  /**
   * Starts the trace of an event a connector publishes to {@code topic}: a {@code publish} span,
   * child of the span in {@code parent} (a caller's trace) or the first of a new trace, written
   * into {@code headers}. The span ends here: it marks the moment the event entered Kafka.
   */
  public void startEvent(String topic, Context parent, Headers headers) {
    Span span =
        tracer
            .spanBuilder("publish " + topic)
            .setParent(parent)
            .setSpanKind(SpanKind.PRODUCER)
            .setAttribute(SYSTEM, "kafka")
            .setAttribute(OPERATION, "publish")
            .setAttribute(DESTINATION, topic)
            .startSpan();
    inject(parent.with(span), headers);
    span.end();
  }

  /**
   * Starts the {@code process} span of a function handling {@code record}: a child of the span the
   * record carries, or the first of a new trace. Returns the record's context (its baggage kept)
   * with that span, which the caller makes current while the handler runs and ends ({@code
   * Span.fromContext(context).end()}) once the record is done with.
   */
  public Context startProcessing(String group, ConsumerRecord<byte[], byte[]> record) {
    Context parent = extract(record.headers());
    Span span =
        tracer
            .spanBuilder("process " + record.topic())
            .setParent(parent)
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute(SYSTEM, "kafka")
            .setAttribute(OPERATION, "process")
            .setAttribute(DESTINATION, record.topic())
            .setAttribute(PARTITION, String.valueOf(record.partition()))
            .setAttribute(OFFSET, record.offset())
            .setAttribute(GROUP, group)
            .startSpan();
    return parent.with(span);
  }
}
