package io.runnel.streams.internals;

import io.runnel.function.RunnelHeaders;
import io.runnel.support.ComponentStatus;
import io.runnel.support.CounterFamily;
import io.runnel.support.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * The dead letters of one topology: a record that failed, as Kafka Streams read it (its key, value
 * and headers as they came from the source topic), with the {@code runnel.error.*} headers of the
 * function runtime, addressed to {@code dead-letter-topic} or {@code <source-topic>.dlq}. Kafka
 * Streams itself sends what the exception handlers return, in the task's transaction under
 * exactly-once.
 */
final class DeadLetters {

  /** The counter of dead letters in the topology's health details. */
  static final String COUNTER = "deadLetters";

  /** The key under which the handlers find this topology's dead letters in their configuration. */
  static final String CONFIG_KEY = "runnel.streams.internal.dead-letters";

  private final String topology;
  private final String applicationId;
  private final String deadLetterTopic;
  private final CounterFamily counter;
  private final ComponentStatus<?> status;

  /**
   * @param deadLetterTopic the one topic for all dead letters, or null for {@code
   *     <source-topic>.dlq}
   * @param counter {@code runnel.streams.dead.letters}, tagged topology and stage
   * @param status the topology's health, which counts {@link #COUNTER}
   */
  DeadLetters(
      String topology,
      String applicationId,
      String deadLetterTopic,
      CounterFamily counter,
      ComponentStatus<?> status) {
    this.topology = topology;
    this.applicationId = applicationId;
    this.deadLetterTopic = deadLetterTopic;
    this.counter = counter;
    this.status = status;
  }

  /** The instance Runnel put into a handler's configuration. */
  static DeadLetters from(Map<String, ?> configs) {
    if (configs.get(CONFIG_KEY) instanceof DeadLetters deadLetters) {
      return deadLetters;
    }
    throw new ConfigException(
        CONFIG_KEY,
        configs.get(CONFIG_KEY),
        "Runnel's dead-letter exception handlers run only in topologies Runnel starts");
  }

  /** The dead-letter topic of records read from {@code sourceTopic}. */
  String topicFor(String sourceTopic) {
    if (deadLetterTopic != null) {
      return deadLetterTopic;
    }
    // A record produced by a punctuation has no source record.
    return (sourceTopic == null ? applicationId : sourceTopic) + ".dlq";
  }

  /**
   * The dead letter of the source record {@code context} describes, which failed at {@code stage}
   * with {@code failure}.
   *
   * @param targetTopic the topic an output was to go to, or null when reading failed
   */
  List<ProducerRecord<byte[], byte[]>> of(
      ErrorHandlerContext context,
      byte[] key,
      byte[] value,
      Stage stage,
      Exception failure,
      String targetTopic) {
    Headers headers = new RecordHeaders(context.headers().toArray());
    new DeadLetterHeaders(
            stage.label(),
            context.topic(),
            context.partition(),
            context.offset(),
            context.timestamp(),
            applicationId,
            topology,
            stage == Stage.DECODE ? 0 : 1)
        .writeTo(headers, failure);
    if (targetTopic != null) {
      headers.remove(RunnelHeaders.ERROR_TARGET_TOPIC);
      headers.add(RunnelHeaders.ERROR_TARGET_TOPIC, targetTopic.getBytes(StandardCharsets.UTF_8));
    }
    counter.increment(1, topology, stage.label());
    status.count(COUNTER, 1);
    return List.of(new ProducerRecord<>(topicFor(context.topic()), null, key, value, headers));
  }

  /** Where a record failed: the {@code runnel.error.stage} of its dead letter. */
  enum Stage {
    /** The source record's key or value did not deserialize. */
    DECODE,
    /** An output's key or value did not serialize. */
    ENCODE,
    /** Kafka refused an output (too large, not authorized, ...). */
    PRODUCE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
