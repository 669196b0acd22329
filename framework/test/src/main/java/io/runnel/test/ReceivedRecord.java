package io.runnel.test;

import java.util.Map;

/**
 * A record read back from a topic by the {@link RunnelTestKit}: its coordinates, key as text, the
 * decoded Avro value (or null when it was not decodable, see {@link #rawValue()}) and headers as
 * text.
 */
public record ReceivedRecord(
    String topic,
    int partition,
    long offset,
    String key,
    Object value,
    byte[] rawValue,
    Map<String, String> headers) {

  /** A header's value as UTF-8 text, or null. */
  public String header(String name) {
    return headers.get(name);
  }
}
