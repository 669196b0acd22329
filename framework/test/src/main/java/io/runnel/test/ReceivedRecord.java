package io.runnel.test;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A record read back from a topic by the {@link RunnelTestKit}: its coordinates, key as text, the
 * decoded Avro value (or null when it was not decodable, see {@link #rawValue()}) and headers, as
 * text in {@link #headers()} and as sent in {@link #rawHeader(String)}.
 *
 * <p>{@link #value()} is decoded with the writer's schema (a {@code GenericRecord}); {@link
 * #value(Class)} reads it as a generated class, e.g. {@code record.value(TemperatureAlert.class)}.
 */
public record ReceivedRecord(
    String topic,
    int partition,
    long offset,
    String key,
    Object value,
    byte[] rawValue,
    Map<String, String> headers,
    Headers kafkaHeaders) {

  /**
   * The value as {@code type}: a generated Avro class (resolved from the writer's schema to the
   * class's, as a function reads it), {@code GenericRecord}, or {@code String} for Avro strings.
   * Fails the test when the value is not decodable or not of that type.
   */
  public <T> T value(Class<T> type) {
    return ValueResolver.as(type, value, rawValue, where());
  }

  /** The value read with {@code readerSchema} (an older or newer compatible version, say). */
  public GenericRecord value(Schema readerSchema) {
    return ValueResolver.as(readerSchema, value, rawValue, where());
  }

  private String where() {
    return "The record at " + topic + "/" + partition + "/" + offset;
  }

  /** A header's value as UTF-8 text, or null. */
  public String header(String name) {
    return headers.get(name);
  }

  /** A header's value as sent (the last one of that name), or null. */
  public byte[] rawHeader(String name) {
    Header header = kafkaHeaders.lastHeader(name);
    return header == null ? null : header.value();
  }
}
