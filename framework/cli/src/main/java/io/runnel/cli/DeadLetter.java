package io.runnel.cli;

import io.runnel.function.RunnelHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** A record read from a dead-letter topic, with the {@code runnel.error.*} headers Runnel wrote. */
record DeadLetter(ConsumerRecord<byte[], byte[]> record) {

  /** Where the dead letter is, as {@code topic/partition/offset}: what replays are tracked by. */
  String coordinates() {
    return record.topic() + "/" + record.partition() + "/" + record.offset();
  }

  String header(String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  String originalTopic() {
    return header(RunnelHeaders.ERROR_ORIGINAL_TOPIC);
  }

  String function() {
    return header(RunnelHeaders.ERROR_FUNCTION);
  }

  String exceptionClass() {
    return header(RunnelHeaders.ERROR_EXCEPTION_CLASS);
  }

  /** When it failed: the header Runnel wrote, else the dead letter's timestamp. */
  Instant failedAt() {
    String text = header(RunnelHeaders.ERROR_FAILED_AT);
    try {
      return text == null ? Instant.ofEpochMilli(record.timestamp()) : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return Instant.ofEpochMilli(record.timestamp());
    }
  }
}
