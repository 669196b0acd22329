package io.runnel.runtime.internals;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a record moved to a retry topic: which retry it is, when it is due, and the topic
 * it first came from.
 */
final class RetryTopics {

  static final String LEVEL = "runnel.retry.level";
  static final String DUE = "runnel.retry.due";
  static final String ORIGINAL_TOPIC = "runnel.retry.original.topic";
  static final String LAST_EXCEPTION = "runnel.retry.last.exception";

  private RetryTopics() {}

  /** 0 for a record from an input topic, n for one from its n-th retry topic. */
  static int level(ConsumerRecord<byte[], byte[]> record) {
    String level = HeaderText.get(record.headers(), LEVEL);
    return level == null ? 0 : Integer.parseInt(level);
  }

  /** When a retried record may run, in epoch milliseconds; 0 for any other record. */
  static long dueAt(ConsumerRecord<byte[], byte[]> record) {
    String due = HeaderText.get(record.headers(), DUE);
    return due == null ? 0 : Long.parseLong(due);
  }

  /** The input topic the record first came from. */
  static String originalTopic(ConsumerRecord<byte[], byte[]> record) {
    String original = HeaderText.get(record.headers(), ORIGINAL_TOPIC);
    return original == null ? record.topic() : original;
  }

  /**
   * The headers for moving {@code record} to retry number {@code level}, due after {@code delayMs}.
   */
  static Headers forRetry(
      ConsumerRecord<byte[], byte[]> record, int level, long delayMs, Throwable failure) {
    Headers headers = new RecordHeaders(record.headers().toArray());
    HeaderText.put(headers, ORIGINAL_TOPIC, originalTopic(record));
    HeaderText.put(headers, LEVEL, String.valueOf(level));
    HeaderText.put(headers, DUE, String.valueOf(System.currentTimeMillis() + delayMs));
    HeaderText.put(
        headers, LAST_EXCEPTION, failure.getClass().getName() + ": " + failure.getMessage());
    return headers;
  }
}
