package io.runnel.runtime.internals;

import io.runnel.support.FunctionDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A function's non-blocking retry topics ({@code <topic>.retry.<n>}, one per configured delay): the
 * topics it subscribes to, where a failed record moves next, and the headers that say which retry a
 * record is, when it is due and the topic it first came from.
 */
final class RetryTopics {

  static final String LEVEL = "runnel.retry.level";
  static final String DUE = "runnel.retry.due";
  static final String ORIGINAL_TOPIC = "runnel.retry.original.topic";
  static final String LAST_EXCEPTION = "runnel.retry.last.exception";

  private final List<Long> delaysMs;

  /** {@code delaysMs}: the wait before retry number n at index n - 1; empty for no retry topics. */
  RetryTopics(List<Long> delaysMs) {
    this.delaysMs = List.copyOf(delaysMs);
  }

  /** The input topics and, when retry topics are configured, their retry topics. */
  List<String> subscribedTopics(List<String> inputTopics) {
    List<String> subscribed = new ArrayList<>(inputTopics);
    for (String topic : inputTopics) {
      subscribed.addAll(retryTopicsOf(topic));
    }
    return subscribed;
  }

  /** The retry topics of records first read from {@code inputTopic}, by level. */
  List<String> retryTopicsOf(String inputTopic) {
    List<String> topics = new ArrayList<>(delaysMs.size());
    for (int level = 1; level <= delaysMs.size(); level++) {
      topics.add(FunctionDescriptor.retryTopic(inputTopic, level));
    }
    return topics;
  }

  /**
   * The record that moves {@code record}, which failed with {@code failure}, to its next retry
   * topic; null after the last retry, when it belongs in the dead-letter topic.
   */
  ProducerRecord<byte[], byte[]> nextRetry(
      ConsumerRecord<byte[], byte[]> record, Throwable failure) {
    int level = level(record) + 1;
    if (level > delaysMs.size()) {
      return null;
    }
    String original = originalTopic(record);
    Headers headers = new RecordHeaders(record.headers().toArray());
    HeaderText.put(headers, ORIGINAL_TOPIC, original);
    HeaderText.put(headers, LEVEL, String.valueOf(level));
    HeaderText.put(
        headers, DUE, String.valueOf(System.currentTimeMillis() + delaysMs.get(level - 1)));
    HeaderText.put(
        headers, LAST_EXCEPTION, failure.getClass().getName() + ": " + failure.getMessage());
    return new ProducerRecord<>(
        FunctionDescriptor.retryTopic(original, level),
        null,
        record.key(),
        record.value(),
        headers);
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

  /** 0 for a record from an input topic, n for one from its n-th retry topic. */
  private static int level(ConsumerRecord<byte[], byte[]> record) {
    String level = HeaderText.get(record.headers(), LEVEL);
    return level == null ? 0 : Integer.parseInt(level);
  }
}
