package io.runnel.runtime.internals;

import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SchemaRegistryException;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.support.FunctionDescriptor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a record's value bytes into the function's event type, or says why it cannot. While the
 * registry cannot be reached for a writer schema not known yet, it asks again for a bounded time: a
 * registry restart should not send every record of a new schema to the dead-letter topic.
 */
final class RecordDecoder {

  private static final Logger LOG = LoggerFactory.getLogger(RecordDecoder.class);
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final AvroDeserializer deserializer;
  private final long unreachableWaitNanos;
  private final Pause pause;
  // Records now waiting for the registry.
  private final AtomicInteger waiting = new AtomicInteger();

  RecordDecoder(
      SchemaRegistryClient registry,
      FunctionDescriptor function,
      Duration unreachableWait,
      Pause pause) {
    // Records are resolved to the function's reader schema; a GenericRecord function without one
    // reads each record as written.
    this.deserializer =
        function.eventType() == GenericRecord.class
            ? new AvroDeserializer(registry, function.readerSchema(), false)
            : AvroDeserializer.forSpecificClass(registry, function.eventType());
    this.unreachableWaitNanos = unreachableWait.toNanos();
    this.pause = pause;
  }

  /**
   * @throws SerializationException when the value is null, not in the wire format, of an unknown
   *     schema, not readable as the event type, or its schema could not be fetched within the
   *     unreachable wait
   * @throws InterruptedException when interrupted while waiting for the registry
   */
  Object decode(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
    if (record.value() == null) {
      throw new SerializationException(
          "The record has a null value (a tombstone) where an event is required");
    }
    long deadline = System.nanoTime() + unreachableWaitNanos;
    long backoffMs = FIRST_BACKOFF_MS;
    boolean waited = false;
    try {
      while (true) {
        try {
          return deserializer.deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
          if (!registryUnreachable(e) || System.nanoTime() - deadline >= 0) {
            throw e;
          }
          if (!waited) {
            waited = true;
            logWaiting(record, e);
          }
          pause.sleep(Math.min(backoffMs, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
          backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        }
      }
    } finally {
      // Decoded, dead-lettered or interrupted: either way it no longer waits.
      if (waited && waiting.decrementAndGet() == 0) {
        LOG.info("No record waits for the schema registry any more");
      }
    }
  }

  /**
   * One warning when records start waiting, not one per record: an outage holds up every record of
   * a new schema, thousands of them.
   */
  private void logWaiting(ConsumerRecord<byte[], byte[]> record, SerializationException e) {
    if (waiting.getAndIncrement() == 0) {
      LOG.warn(
          "{}-{}@{}: the schema registry cannot be reached ({}); records of schemas not fetched yet wait for it, each for up to {} s",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage(),
          unreachableWaitNanos / 1_000_000_000);
    } else {
      LOG.debug(
          "{}-{}@{} waits for the schema registry",
          record.topic(),
          record.partition(),
          record.offset());
    }
  }

  /** No registry answered, or one answered with a server error: worth asking again. */
  private static boolean registryUnreachable(SerializationException e) {
    return e.getCause() instanceof SchemaRegistryException registry
        && (registry.errorCode() == SchemaRegistryException.UNREACHABLE
            || registry.httpStatus() >= 500);
  }
}
