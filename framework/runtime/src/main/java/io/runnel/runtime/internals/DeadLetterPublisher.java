package io.runnel.runtime.internals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends a record that could not be handled to its dead-letter topic: the original key, value bytes
 * and headers, plus {@code runnel.error.*} headers saying why, where it came from and when it
 * failed.
 */
final class DeadLetterPublisher {

  /** The header names, documented in the README. */
  static final String PREFIX = "runnel.error.";

  static final String EXCEPTION_CLASS = PREFIX + "exception.class";
  static final String EXCEPTION_MESSAGE = PREFIX + "exception.message";
  static final String STACKTRACE = PREFIX + "stacktrace";
  static final String STAGE = PREFIX + "stage";
  static final String ORIGINAL_TOPIC = PREFIX + "original.topic";
  static final String ORIGINAL_PARTITION = PREFIX + "original.partition";
  static final String ORIGINAL_OFFSET = PREFIX + "original.offset";
  static final String ORIGINAL_TIMESTAMP = PREFIX + "original.timestamp";
  static final String CONSUMER_GROUP = PREFIX + "consumer.group";
  static final String FUNCTION = PREFIX + "function";
  static final String ATTEMPTS = PREFIX + "attempts";
  static final String FAILED_AT = PREFIX + "failed.at";

  private static final int MAX_STACKTRACE_CHARS = 4000;

  /** Where in the data path a record failed. */
  enum Stage {
    DECODE,
    INVOKE
  }

  private final OutputProducer producer;

  DeadLetterPublisher(OutputProducer producer) {
    this.producer = producer;
  }

  Future<RecordMetadata> publish(
      FunctionDefinition function,
      ConsumerRecord<byte[], byte[]> record,
      Stage stage,
      Throwable failure,
      int attempts) {
    Headers headers = new RecordHeaders(record.headers().toArray());
    put(headers, EXCEPTION_CLASS, failure.getClass().getName());
    put(headers, EXCEPTION_MESSAGE, String.valueOf(failure.getMessage()));
    put(headers, STACKTRACE, trimmedStackTrace(failure));
    put(headers, STAGE, stage.name().toLowerCase(java.util.Locale.ROOT));
    put(headers, ORIGINAL_TOPIC, record.topic());
    put(headers, ORIGINAL_PARTITION, String.valueOf(record.partition()));
    put(headers, ORIGINAL_OFFSET, String.valueOf(record.offset()));
    put(headers, ORIGINAL_TIMESTAMP, String.valueOf(record.timestamp()));
    put(headers, CONSUMER_GROUP, function.group());
    put(headers, FUNCTION, function.name());
    put(headers, ATTEMPTS, String.valueOf(attempts));
    put(headers, FAILED_AT, Instant.now().toString());
    return producer.sendRaw(
        function.deadLetterTopicFor(record.topic()), null, record.key(), record.value(), headers);
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String trimmedStackTrace(Throwable failure) {
    StringWriter text = new StringWriter();
    failure.printStackTrace(new PrintWriter(text));
    String trace = text.toString();
    return trace.length() <= MAX_STACKTRACE_CHARS
        ? trace
        : trace.substring(0, MAX_STACKTRACE_CHARS) + "\n\t...";
  }
}
