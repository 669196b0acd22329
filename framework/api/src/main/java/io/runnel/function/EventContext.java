package io.runnel.function;

import java.time.Instant;
import org.apache.kafka.common.header.Headers;

/** The Kafka coordinates of the record being handled, and an {@link Emitter} for outputs. */
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
}
