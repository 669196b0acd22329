package io.runnel.streams;

import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SubjectNameStrategy;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.registry.serde.AvroSerializer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka {@link Serde}s of Avro records in the Confluent wire format, through the schema registry of
 * {@code runnel.schema-registry.*}: the same encoding {@code @EventFunction}s read and write, so a
 * topology and a function can share topics. Inject it into a {@link StreamsTopology} bean:
 *
 * <pre>{@code
 * builder.stream("iot.telemetry", Consumed.with(Serdes.String(), serdes.value(SensorReading.class)))
 * }</pre>
 *
 * <p>Schemas are registered under the topic's subject ({@code <topic>-value}, {@code <topic>-key})
 * on first write when {@code runnel.schema-registry.auto-register-schemas} is true (the default),
 * internal topics (changelogs, repartition topics) included. A record that does not decode goes to
 * the dead-letter topic.
 */
public final class AvroSerdes {

  private final SchemaRegistryClient registry;
  private final boolean autoRegisterSchemas;

  /**
   * Serdes through {@code registry}; for a test that builds a topology without a context (with
   * {@code TopologyTestDriver}).
   */
  public AvroSerdes(SchemaRegistryClient registry, boolean autoRegisterSchemas) {
    this.registry = registry;
    this.autoRegisterSchemas = autoRegisterSchemas;
  }

  /**
   * A serde of record values of {@code type}: a generated Avro class, read with its own schema
   * resolved from the writer's, or {@code GenericRecord}, read with the writer's schema.
   */
  public <T> Serde<T> value(Class<T> type) {
    return serde(type, false);
  }

  /**
   * A serde of record keys of {@code type}, as {@link #value(Class)} but under {@code <topic>-key}.
   */
  public <T> Serde<T> key(Class<T> type) {
    return serde(type, true);
  }

  @SuppressWarnings("unchecked")
  private <T> Serde<T> serde(Class<T> type, boolean isKey) {
    Serializer<Object> serializer =
        new AvroSerializer(registry, SubjectNameStrategy.TOPIC_NAME, autoRegisterSchemas, isKey);
    Deserializer<Object> deserializer =
        type == GenericRecord.class
            ? new AvroDeserializer(registry, null, false)
            : AvroDeserializer.forSpecificClass(registry, type);
    return (Serde<T>) Serdes.serdeFrom(serializer, deserializer);
  }
}
