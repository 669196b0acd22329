package io.runnel.support;

import io.runnel.function.RunnelHeaders;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;

/**
 * The {@code runnel.error.*} headers of a dead letter ({@link RunnelHeaders}): why a record failed,
 * where it was read from and when. The function runtime and Kafka Streams topologies both write
 * them through this record, so {@code runnel dlq replay} and dashboards read their dead letters
 * alike.
 *
 * @param stage where it failed, e.g. {@code decode} or {@code invoke}
 * @param originalTopic the topic the record was read from
 * @param originalPartition its partition
 * @param originalOffset its offset
 * @param originalTimestamp its timestamp, milliseconds since the epoch
 * @param consumerGroup the consumer group that read it (a Kafka Streams application's id)
 * @param function the function's or topology's name
 * @param attempts how often the handler ran on it (0 when decoding failed)
 */
public record DeadLetterHeaders(
    String stage,
    String originalTopic,
    int originalPartition,
    long originalOffset,
    long originalTimestamp,
    String consumerGroup,
    String function,
    int attempts) {

  private static final int MAX_STACKTRACE_CHARS = 4000;

  /**
   * Replaces the {@code runnel.error.*} headers of {@code headers} with those of {@code failure}.
   */
  public void writeTo(Headers headers, Throwable failure) {
    put(headers, RunnelHeaders.ERROR_EXCEPTION_CLASS, failure.getClass().getName());
    put(headers, RunnelHeaders.ERROR_EXCEPTION_MESSAGE, String.valueOf(failure.getMessage()));
    put(headers, RunnelHeaders.ERROR_STACKTRACE, trimmedStackTrace(failure));
    put(headers, RunnelHeaders.ERROR_STAGE, stage);
    put(headers, RunnelHeaders.ERROR_ORIGINAL_TOPIC, originalTopic);
    put(headers, RunnelHeaders.ERROR_ORIGINAL_PARTITION, String.valueOf(originalPartition));
    put(headers, RunnelHeaders.ERROR_ORIGINAL_OFFSET, String.valueOf(originalOffset));
    put(headers, RunnelHeaders.ERROR_ORIGINAL_TIMESTAMP, String.valueOf(originalTimestamp));
    put(headers, RunnelHeaders.ERROR_CONSUMER_GROUP, consumerGroup);
    put(headers, RunnelHeaders.ERROR_FUNCTION, function);
    put(headers, RunnelHeaders.ERROR_ATTEMPTS, String.valueOf(attempts));
    put(headers, RunnelHeaders.ERROR_FAILED_AT, Instant.now().toString());
  }

  /** The stack trace of {@code failure}, cut at 4,000 characters so a header stays small. */
  public static String trimmedStackTrace(Throwable failure) {
    StringWriter text = new StringWriter();
    failure.printStackTrace(new PrintWriter(text));
    String trace = text.toString();
    return trace.length() <= MAX_STACKTRACE_CHARS
        ? trace
        : trace.substring(0, MAX_STACKTRACE_CHARS) + "\n\t...";
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, String.valueOf(value).getBytes(StandardCharsets.UTF_8));
  }
}
