package io.runnel.test;

import io.runnel.registry.serde.ConfluentWireFormat;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Turns a value the kit decoded with its writer's schema into what a test asks for: a generated
 * class, a GenericRecord of another schema, or the value as it is. Avro schema resolution does the
 * work (from the framed bytes and the writer's schema), so a value written with an older or newer
 * compatible schema reads as the test's version, as a function would read it.
 */
final class ValueResolver {

  private ValueResolver() {}

  /**
   * {@code decoded} as {@code type}: a generated SpecificRecord class, {@code GenericRecord} (the
   * writer's schema), {@code String} for Avro strings, or any type the value already has.
   */
  static <T> T as(Class<T> type, Object decoded, byte[] framed, String where) {
    if (decoded == null) {
      throw new AssertionError(
          where + " holds no Avro value the registry knows, so it cannot be read as " + type);
    }
    if (SpecificRecord.class.isAssignableFrom(type)) {
      SpecificData model = SpecificData.getForClass(type);
      return type.cast(resolve(decoded, framed, model.getSchema(type), model, where));
    }
    if (type == String.class && decoded instanceof CharSequence text) {
      return type.cast(text.toString());
    }
    if (type.isInstance(decoded)) {
      return type.cast(decoded);
    }
    throw new AssertionError(
        where + " holds a " + decoded.getClass().getName() + ", not a " + type.getName());
  }

  /** {@code decoded} read with {@code readerSchema}, as a GenericRecord. */
  static GenericRecord as(Schema readerSchema, Object decoded, byte[] framed, String where) {
    return (GenericRecord) resolve(decoded, framed, readerSchema, GenericData.get(), where);
  }

  private static Object resolve(
      Object decoded, byte[] framed, Schema reader, GenericData model, String where) {
    if (!(decoded instanceof GenericContainer container)) {
      throw new AssertionError(
          where + " holds a " + decoded.getClass().getName() + ", not an Avro record");
    }
    @SuppressWarnings("unchecked")
    DatumReader<Object> datumReader =
        (DatumReader<Object>) model.createDatumReader(container.getSchema(), reader);
    try {
      return datumReader.read(
          null,
          DecoderFactory.get()
              .binaryDecoder(
                  framed,
                  ConfluentWireFormat.HEADER_SIZE,
                  framed.length - ConfluentWireFormat.HEADER_SIZE,
                  null));
    } catch (IOException | RuntimeException e) {
      throw new AssertionError(
          where
              + " cannot be read as "
              + reader.getFullName()
              + " from writer schema "
              + container.getSchema().getFullName()
              + ": "
              + e,
          e);
    }
  }
}
