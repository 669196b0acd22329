package io.runnel.registry.serde;

import io.runnel.registry.SchemaRegistryClient;
import io.runnel.registry.SchemaRegistryException;
import io.runnel.registry.internals.SingleFlightCache;
import java.io.IOException;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads values in the Confluent wire format: fetches the writer's schema by the id in the value and
 * resolves it against the reader's schema, so that data written with an older or newer compatible
 * schema reads as the reader expects.
 *
 * <p>The reader schema is either given (a generated class's schema, or a GenericRecord schema), or
 * the writer's own schema is used; in specific mode the generated class named like the writer's
 * record is looked up.
 */
public final class AvroDeserializer implements Deserializer<Object> {

  private SchemaRegistryClient registry;
  private Schema readerSchema;
  private boolean specific;
  private volatile Reader last;
  private final SingleFlightCache<Integer, DatumReader<Object>> readersByWriterId =
      new SingleFlightCache<>();

  /** The reader of the last writer schema id seen. */
  private record Reader(int schemaId, DatumReader<Object> reader) {}

  /** For Kafka's reflective construction; {@link #configure} must follow. */
  public AvroDeserializer() {}

  /**
   * @param readerSchema the schema to read as, or null for the writer's schema
   * @param specific whether to produce generated SpecificRecord classes instead of GenericRecords
   */
  public AvroDeserializer(SchemaRegistryClient registry, Schema readerSchema, boolean specific) {
    this.registry = registry;
    this.readerSchema = readerSchema;
    this.specific = specific;
  }

  /** A deserializer producing instances of a generated class. */
  public static AvroDeserializer forSpecificClass(
      SchemaRegistryClient registry, Class<?> recordClass) {
    return new AvroDeserializer(registry, SpecificData.get().getSchema(recordClass), true);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    AvroSerdeConfig config = AvroSerdeConfig.from(configs);
    this.registry = config.newClient();
    this.specific = config.specificAvroReader();
  }

  @Override
  public Object deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    int schemaId = ConfluentWireFormat.schemaId(data);
    // A topic's records mostly share one writer schema: its reader is at hand without a lookup.
    Reader last = this.last;
    if (last == null || last.schemaId != schemaId) {
      last = new Reader(schemaId, readersByWriterId.get(schemaId, this::readerFor));
      this.last = last;
    }
    DatumReader<Object> reader = last.reader;
    try {
      return reader.read(
          null,
          DecoderFactory.get()
              .binaryDecoder(
                  data,
                  ConfluentWireFormat.HEADER_SIZE,
                  data.length - ConfluentWireFormat.HEADER_SIZE,
                  null));
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
      throw new SerializationException(
          "Cannot decode a value of topic "
              + topic
              + " with writer schema id "
              + schemaId
              + ": "
              + e,
          e);
    }
  }

  private DatumReader<Object> readerFor(int schemaId) {
    Schema writer;
    try {
      writer = registry.getById(schemaId);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "Cannot fetch writer schema id " + schemaId + ": " + e.getMessage(), e);
    }
    Schema reader = readerSchema;
    if (specific) {
      SpecificData model =
          readerSchema == null ? SpecificData.get() : SpecificData.getForSchema(readerSchema);
      if (reader == null) {
        Class<?> generated = model.getClass(writer);
        if (generated == null || generated == Object.class) {
          throw new SerializationException(
              "No generated class for record "
                  + writer.getFullName()
                  + " (schema id "
                  + schemaId
                  + ")");
        }
        reader = model.getSchema(generated);
        model = SpecificData.getForSchema(reader);
      }
      return new SpecificDatumReader<>(writer, reader, model);
    }
    return new GenericDatumReader<>(writer, reader == null ? writer : reader, GenericData.get());
  }
}
