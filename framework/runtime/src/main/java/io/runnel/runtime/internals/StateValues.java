package io.runnel.runtime.internals;

import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.registry.serde.AvroSerializer;
import io.runnel.runtime.internals.DeadLetterPublisher.Stage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.generic.GenericRecord;

/**
 * Encodes and decodes the values of stores and global tables: Avro in the Confluent wire format,
 * through the registry, with the serializer the function's outputs use (subject {@code
 * <topic>-value}), read as the class the handler asks for.
 */
final class StateValues {

  private final SchemaRegistryClient registry;
  private final AvroSerializer serializer;
  private final Map<Class<?>, AvroDeserializer> deserializers = new ConcurrentHashMap<>();

  StateValues(SchemaRegistryClient registry, AvroSerializer serializer) {
    this.registry = registry;
    this.serializer = serializer;
  }

  byte[] encode(String topic, Object value) {
    return serializer.serialize(topic, value);
  }

  /**
   * @throws StateAccessException naming the topic and key when the value does not decode as {@code
   *     type}
   */
  <V> V decode(String topic, String key, byte[] value, Class<V> type) {
    if (value == null) {
      return null;
    }
    try {
      return type.cast(
          deserializers.computeIfAbsent(type, this::deserializer).deserialize(topic, value));
    } catch (RuntimeException e) {
      throw new StateAccessException(
          Stage.DECODE,
          "The value of key '"
              + key
              + "' in "
              + topic
              + " does not decode as "
              + type.getName()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private AvroDeserializer deserializer(Class<?> type) {
    return type == GenericRecord.class
        ? new AvroDeserializer(registry, null, false)
        : AvroDeserializer.forSpecificClass(registry, type);
  }
}
