package io.runnel.streams.internals;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the source record of an output that cannot be serialized (stage {@code encode}) or that
 * Kafka refuses for good (stage {@code produce}, e.g. a record too large) to the dead-letter topic,
 * with the output's topic in {@code runnel.error.target.topic}, and goes on; an error Kafka calls
 * retriable is retried. The dead letter holds the source record's bytes, so {@code runnel dlq
 * replay} can send it through the topology again. Public only for Kafka's reflective construction.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

  private DeadLetters deadLetters;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetters = DeadLetters.from(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof RetriableException) {
      return Response.retry();
    }
    return deadLetter(
        context,
        record.topic(),
        record.key(),
        record.value(),
        DeadLetters.Stage.PRODUCE,
        exception);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Response handleSerializationError(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception exception,
      SerializationExceptionOrigin origin) {
    return deadLetter(context, record.topic(), null, null, DeadLetters.Stage.ENCODE, exception);
  }

  /**
   * A dead letter of the source record, or of {@code outputKey} and {@code outputValue} when there
   * is none (an output of a punctuation).
   */
  private Response deadLetter(
      ErrorHandlerContext context,
      String outputTopic,
      byte[] outputKey,
      byte[] outputValue,
      DeadLetters.Stage stage,
      Exception exception) {
    boolean fromSource = context.sourceRawValue() != null || context.sourceRawKey() != null;
    LOG.warn(
        "An output to {} of the record of {}-{} at offset {} failed; it goes to {}: {}",
        outputTopic,
        context.topic(),
        context.partition(),
        context.offset(),
        deadLetters.topicFor(context.topic()),
        exception.toString());
    return Response.resume(
        deadLetters.of(
            context,
            fromSource ? context.sourceRawKey() : outputKey,
            fromSource ? context.sourceRawValue() : outputValue,
            stage,
            exception,
            outputTopic));
  }
}
