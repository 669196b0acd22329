package io.runnel.runtime;

/**
 * The header names a dead letter carries its reason in ({@code runnel.dead-letter.header-style}),
 * so that DLQ tooling written for another framework keeps working during a migration.
 */
public enum DeadLetterHeaderStyle {
  /** {@code runnel.error.*}, documented in the README (the default). */
  RUNNEL,
  /**
   * Spring Kafka's {@code kafka_dlt-*}: partition as a 4-byte and offset and timestamp as 8-byte
   * big-endian numbers, the rest as UTF-8, as Spring's {@code DeadLetterPublishingRecoverer}
   * writes.
   */
  SPRING,
  /** SmallRye Reactive Messaging's {@code dead-letter-*}. */
  SMALLRYE,
  /**
   * Kafka Connect's {@code __connect.errors.*} (with {@code
   * errors.deadletterqueue.context.headers.enable}).
   */
  CONNECT
}
