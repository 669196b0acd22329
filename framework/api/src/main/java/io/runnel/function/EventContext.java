package io.runnel.function;

import java.time.Instant;
import org.apache.kafka.common.header.Headers;

/**
 * The Kafka coordinates of the record being handled, an {@link Emitter} for outputs, and the
 * function's state: its {@link KeyedStore}s for the record's key and its {@link GlobalTable}s.
 */
public interface EventContext {

  /** The record key as UTF-8 text, or null when the record has no key. */
  String key();

  /** The record key as sent, or null. */
  byte[] rawKey();

  /** The record headers (read-only). */
  Headers headers();

  String topic();

  int partition();

  long offset();

  /** The record's timestamp. */
  Instant timestamp();

  /** The name of the function handling the record. */
  String functionName();

  /** Publishes events as part of this invocation. */
  Emitter emitter();

  /**
   * The store named {@code name} (declared in {@link EventFunction#stores()}), for the record's
   * key.
   *
   * @throws IllegalArgumentException when the function declares no such store
   * @throws IllegalStateException when the record has no key
   */
  <V> KeyedStore<V> store(String name, Class<V> valueType);

  /**
   * The global table of {@code topic} (declared in {@link EventFunction#globalTables()}).
   *
   * @throws IllegalArgumentException when the function declares no such table
   */
  <V> GlobalTable<V> globalTable(String topic, Class<V> valueType);
}
