package io.runnel.runtime.internals;

import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.serde.AvroDeserializer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/** Turns a record's value bytes into the function's event type, or says why it cannot. */
final class RecordDecoder {

  private final AvroDeserializer deserializer;

  RecordDecoder(SchemaRegistryClient registry, Class<?> eventType) {
    this.deserializer =
        eventType == GenericRecord.class
            ? new AvroDeserializer(registry, null, false)
            : AvroDeserializer.forSpecificClass(registry, eventType);
  }

  /**
   * @throws SerializationException when the value is null, not in the wire format, of an unknown
   *     schema, or not readable as the event type
   */
  Object decode(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      throw new SerializationException(
          "The record has a null value (a tombstone) where an event is required");
    }
    return deserializer.deserialize(record.topic(), record.value());
  }
}
