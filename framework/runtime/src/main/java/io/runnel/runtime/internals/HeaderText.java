package io.runnel.runtime.internals;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Reads and replaces record headers whose values are UTF-8 text. */
final class HeaderText {

  private HeaderText() {}

  /** The last value of header {@code name} as text, or null. */
  static String get(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Replaces every header {@code name} with one holding {@code value}. */
  static void put(Headers headers, String name, String value) {
    put(headers, name, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Replaces every header {@code name} with one holding {@code value}. */
  static void put(Headers headers, String name, byte[] value) {
    headers.remove(name);
    headers.add(name, value);
  }
}
