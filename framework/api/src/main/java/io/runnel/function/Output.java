package io.runnel.function;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * An event to publish together with record headers the function sets: return it from a handler in
 * place of the bare Avro record, or pass it as the value to {@link Emitter#emit}. Headers of the
 * input record are not copied to outputs, except the trace context ({@code traceparent}, {@code
 * tracestate}), which Runnel writes itself (and which replaces a header of that name set here); to
 * forward another header, read it from {@link EventContext#headers()} and add it here.
 *
 * <pre>{@code
 * return Output.of(alert).withHeader("tenant", context.headers().lastHeader("tenant").value());
 * }</pre>
 */
public final class Output {

  private final Object value;
  private final List<Header> headers;

  private Output(Object value, List<Header> headers) {
    if (value == null) {
      throw new IllegalArgumentException("An Output needs a value (an Avro record)");
    }
    this.value = value;
    this.headers = List.copyOf(headers);
  }

  /** {@code value} (an Avro record) without headers yet. */
  public static Output of(Object value) {
    return new Output(value, List.of());
  }

  /** A copy with one more header, its value as UTF-8 text. */
  public Output withHeader(String name, String value) {
    return withHeader(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  /** A copy with one more header; Kafka allows several headers of one name, kept in order. */
  public Output withHeader(String name, byte[] value) {
    List<Header> more = new ArrayList<>(headers);
    more.add(new RecordHeader(name, value));
    return new Output(this.value, more);
  }

  /** The event to publish. */
  public Object value() {
    return value;
  }

  /** The headers to publish it with, in the order they were added. */
  public List<Header> headers() {
    return headers;
  }
}
