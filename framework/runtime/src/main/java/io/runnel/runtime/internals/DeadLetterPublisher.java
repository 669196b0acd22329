package io.runnel.runtime.internals;

import io.opentelemetry.context.Context;
import io.runnel.runtime.DeadLetterHeaderStyle;
import io.runnel.support.DeadLetterHeaders;
import io.runnel.support.FunctionDescriptor;
import io.runnel.support.RecordTracing;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends a record that could not be handled to its dead-letter topic: the original key, value bytes
 * and headers, plus headers saying why, where it came from and when it failed, named in the
 * configured {@link DeadLetterHeaderStyle}. Its trace context is that of the failed record's span.
 */
final class DeadLetterPublisher {

  /** Where in the data path a record failed. */
  enum Stage {
    DECODE,
    INVOKE
  }

  private final OutputProducer producer;
  private final DeadLetterHeaderStyle style;
  private final RecordTracing tracing;

  DeadLetterPublisher(OutputProducer producer, DeadLetterHeaderStyle style, RecordTracing tracing) {
    this.producer = producer;
    this.style = style;
    this.tracing = tracing;
  }

  /** Sends the dead letter; {@code work} finishes only once Kafka acknowledged it. */
  void publish(
      FunctionDescriptor function,
      RecordWork work,
      Context trace,
      Stage stage,
      Throwable failure,
      int attempts) {
    ConsumerRecord<byte[], byte[]> record = work.record();
    Headers headers = new RecordHeaders(record.headers().toArray());
    switch (style) {
      case RUNNEL -> runnelHeaders(headers, function, record, stage, failure, attempts);
      case SPRING -> springHeaders(headers, function, record, failure);
      case SMALLRYE -> smallRyeHeaders(headers, record, failure);
      case CONNECT -> connectHeaders(headers, function, record, stage, failure);
    }
    tracing.inject(trace, headers);
    producer.send(
        new ProducerRecord<>(
            function.deadLetterTopicFor(RetryTopics.originalTopic(record)),
            null,
            record.key(),
            record.value(),
            headers),
        work);
  }

  private static void runnelHeaders(
      Headers headers,
      FunctionDescriptor function,
      ConsumerRecord<byte[], byte[]> record,
      Stage stage,
      Throwable failure,
      int attempts) {
    new DeadLetterHeaders(
            stage.name().toLowerCase(Locale.ROOT),
            RetryTopics.originalTopic(record),
            record.partition(),
            record.offset(),
            record.timestamp(),
            function.group(),
            function.name(),
            attempts)
        .writeTo(headers, failure);
  }

  private static void springHeaders(
      Headers headers,
      FunctionDescriptor function,
      ConsumerRecord<byte[], byte[]> record,
      Throwable failure) {
    HeaderText.put(headers, "kafka_dlt-exception-fqcn", failure.getClass().getName());
    if (failure.getCause() != null) {
      HeaderText.put(
          headers, "kafka_dlt-exception-cause-fqcn", failure.getCause().getClass().getName());
    }
    HeaderText.put(headers, "kafka_dlt-exception-message", String.valueOf(failure.getMessage()));
    HeaderText.put(
        headers, "kafka_dlt-exception-stacktrace", DeadLetterHeaders.trimmedStackTrace(failure));
    HeaderText.put(headers, "kafka_dlt-original-topic", record.topic());
    HeaderText.put(
        headers,
        "kafka_dlt-original-partition",
        ByteBuffer.allocate(4).putInt(record.partition()).array());
    HeaderText.put(
        headers,
        "kafka_dlt-original-offset",
        ByteBuffer.allocate(8).putLong(record.offset()).array());
    HeaderText.put(
        headers,
        "kafka_dlt-original-timestamp",
        ByteBuffer.allocate(8).putLong(record.timestamp()).array());
    HeaderText.put(headers, "kafka_dlt-original-timestamp-type", record.timestampType().toString());
    HeaderText.put(headers, "kafka_dlt-original-consumer-group", function.group());
  }

  private static void smallRyeHeaders(
      Headers headers, ConsumerRecord<byte[], byte[]> record, Throwable failure) {
    HeaderText.put(headers, "dead-letter-exception-class-name", failure.getClass().getName());
    HeaderText.put(headers, "dead-letter-reason", String.valueOf(failure.getMessage()));
    if (failure.getCause() != null) {
      HeaderText.put(
          headers, "dead-letter-cause-class-name", failure.getCause().getClass().getName());
      HeaderText.put(headers, "dead-letter-cause", String.valueOf(failure.getCause().getMessage()));
    }
    HeaderText.put(headers, "dead-letter-topic", record.topic());
    HeaderText.put(headers, "dead-letter-partition", String.valueOf(record.partition()));
    HeaderText.put(headers, "dead-letter-offset", String.valueOf(record.offset()));
  }

  private static void connectHeaders(
      Headers headers,
      FunctionDescriptor function,
      ConsumerRecord<byte[], byte[]> record,
      Stage stage,
      Throwable failure) {
    HeaderText.put(headers, "__connect.errors.topic", record.topic());
    HeaderText.put(headers, "__connect.errors.partition", String.valueOf(record.partition()));
    HeaderText.put(headers, "__connect.errors.offset", String.valueOf(record.offset()));
    HeaderText.put(headers, "__connect.errors.connector.name", function.name());
    HeaderText.put(headers, "__connect.errors.task.id", "0");
    HeaderText.put(
        headers, "__connect.errors.stage", stage == Stage.DECODE ? "VALUE_CONVERTER" : "TASK_PUT");
    HeaderText.put(headers, "__connect.errors.class.name", function.bean().getBeanType().getName());
    HeaderText.put(headers, "__connect.errors.exception.class.name", failure.getClass().getName());
    HeaderText.put(
        headers, "__connect.errors.exception.message", String.valueOf(failure.getMessage()));
    HeaderText.put(
        headers,
        "__connect.errors.exception.stacktrace",
        DeadLetterHeaders.trimmedStackTrace(failure));
  }
}
