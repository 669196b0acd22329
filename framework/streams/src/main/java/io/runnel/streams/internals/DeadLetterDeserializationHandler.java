package io.runnel.streams.internals;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a source record whose key or value does not deserialize to the dead-letter topic, stage
 * {@code decode}, and goes on with the next record, as the function runtime does with a record it
 * cannot decode. Public only for Kafka's reflective construction.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

  private DeadLetters deadLetters;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetters = DeadLetters.from(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    LOG.warn(
        "A record of {}-{} at offset {} does not deserialize; it goes to {}: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        deadLetters.topicFor(record.topic()),
        exception.toString());
    return Response.resume(
        deadLetters.of(
            context, record.key(), record.value(), DeadLetters.Stage.DECODE, exception, null));
  }
}
