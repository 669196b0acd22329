package io.runnel.registry.serde;

import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SchemaRegistryException;
import io.runnel.registry.SubjectNameStrategy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated {@link SpecificRecord}s or {@link
 * org.apache.avro.generic.GenericRecord}s) in the Confluent wire format, registering or looking up
 * their schema in the registry. Configured like Confluent's {@code KafkaAvroSerializer}.
 */
public final class AvroSerializer implements Serializer<Object> {

  // Writers are thread-safe and costly to build: one per schema.
  private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
  private volatile Target last;
  private SchemaRegistryClient registry;
  private SubjectNameStrategy subjectNameStrategy;
  private boolean autoRegister;
  private boolean isKey;

  /**
   * Where the last record went: its topic and schema, with the wire format header (holding the
   * schema's id) and the schema's writer.
   */
  private record Target(String topic, Schema schema, byte[] header, DatumWriter<Object> writer) {}

  /** For Kafka's reflective construction; {@link #configure} must follow. */
  public AvroSerializer() {}

  public AvroSerializer(
      SchemaRegistryClient registry,
      SubjectNameStrategy subjectNameStrategy,
      boolean autoRegister,
      boolean isKey) {
    this.registry = registry;
    this.subjectNameStrategy = subjectNameStrategy;
    this.autoRegister = autoRegister;
    this.isKey = isKey;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    AvroSerdeConfig config = AvroSerdeConfig.from(configs);
    this.registry = config.newClient();
    this.subjectNameStrategy =
        isKey ? config.keySubjectNameStrategy() : config.valueSubjectNameStrategy();
    this.autoRegister = config.autoRegisterSchemas();
    this.isKey = isKey;
  }

  @Override
  public byte[] serialize(String topic, Object data) {
    if (data == null) {
      return null;
    }
    if (!(data instanceof GenericContainer container)) {
      throw new SerializationException(
          "Cannot write "
              + data.getClass().getName()
              + " to topic "
              + topic
              + ": expected an Avro SpecificRecord or GenericRecord");
    }
    Schema schema = container.getSchema();
    // A function writes one schema to one topic: remember that pair's id and writer, so a record
    // costs no subject name, registry cache or writer lookup. The schema is compared by identity
    // (its equals is structural), so another instance of an equal schema takes the longer way.
    Target target = last;
    if (target == null || target.schema != schema || !target.topic.equals(topic)) {
      byte[] header = ConfluentWireFormat.header(schemaId(topic, schema), 0).array();
      target = new Target(topic, schema, header, writer(schema, data));
      last = target;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    out.write(target.header, 0, ConfluentWireFormat.HEADER_SIZE);
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      target.writer.write(data, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Cannot encode " + schema.getFullName() + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  private int schemaId(String topic, Schema schema) {
    String subject = subjectNameStrategy.subject(topic, isKey, schema);
    try {
      return autoRegister ? registry.register(subject, schema) : registry.idOf(subject, schema);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "Cannot "
              + (autoRegister ? "register" : "find")
              + " the schema of "
              + schema.getFullName()
              + " under subject "
              + subject
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private DatumWriter<Object> writer(Schema schema, Object data) {
    return writers.computeIfAbsent(
        schema,
        s ->
            new GenericDatumWriter<>(
                s,
                data instanceof SpecificRecord ? SpecificData.getForSchema(s) : GenericData.get()));
  }
}
