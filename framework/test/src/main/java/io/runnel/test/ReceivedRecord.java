package io.runnel.test;

import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A record read back from a topic by the {@link RunnelTestKit}: its coordinates, key as text, the
 * decoded Avro value (or null when it was not decodable, see {@link #rawValue()}) and headers, as
 * text in {@link #headers()} and as sent in {@link #rawHeader(String)}.
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
