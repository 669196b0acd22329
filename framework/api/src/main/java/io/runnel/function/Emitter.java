package io.runnel.function;

/**
 * Publishes Avro events from inside a function. What is emitted is part of the invocation: the
 * input record's offset is committed only after Kafka acknowledged every emitted record. A value
 * may be an {@link Output} to publish it with headers; every emitted record carries the trace
 * context of the record being handled.
 */
public interface Emitter {

  /**
   * Publishes {@code value} (an Avro record, or an {@link Output}) to {@code topic} with the given
   * key (may be null).
   */
  void emit(String topic, String key, Object value);

  /** Publishes {@code value} to {@code topic} with the key of the record being handled. */
  void emit(String topic, Object value);
}
