package io.runnel.runtime.internals;

import io.runnel.support.FunctionDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The retry topics of a function ({@code <topic>.retry.<n>}) and the headers of a record moved to
 * one: which retry it is, when it is due, and the topic it first came from.
 */
final class RetryTopics {

  static final String LEVEL = "runnel.retry.level";
  static final String DUE = "runnel.retry.due";
  static final String ORIGINAL_TOPIC = "runnel.retry.original.topic";
  static final String LAST_EXCEPTION = "runnel.retry.last.exception";

  private RetryTopics() {}

  /** The function's input topics and, when retry topics are configured, their retry topics. */
  static List<String> subscribedTopics(FunctionDescriptor function) {
    List<String> subscribed = new ArrayList<>(function.topics());
    for (String topic : function.topics()) {
      for (int level = 1; level <= function.retryTopicDelaysMs().size(); level++) {
        subscribed.add(retryTopic(topic, level));
      }
    }
    return subscribed;
  }

  /** The retry topic of {@code originalTopic} for retry number {@code level} (1-based). */
  static String retryTopic(String originalTopic, int level) {
    return originalTopic + ".retry." + level;
  }

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
