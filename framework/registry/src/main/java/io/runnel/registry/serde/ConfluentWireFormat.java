package io.runnel.registry.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the Avro
 * binary encoding of the datum.
 */
public final class ConfluentWireFormat {

  /** The first byte of every framed value. */
  public static final byte MAGIC_BYTE = 0;

  /** Magic byte plus schema id. */
  public static final int HEADER_SIZE = 5;

  private ConfluentWireFormat() {}

  /**
   * Writes the header for {@code schemaId} into a new buffer with room for {@code bodySize} more.
   */
  public static ByteBuffer header(int schemaId, int bodySize) {
    return ByteBuffer.allocate(HEADER_SIZE + bodySize).put(MAGIC_BYTE).putInt(schemaId);
  }

  /**
   * Reads the schema id of a framed value.
   *
   * @throws SerializationException when the value is too short or does not start with the magic
   *     byte: it was not written by a registry-aware serializer
   */
  public static int schemaId(byte[] framed) {
    if (framed.length < HEADER_SIZE) {
      throw new SerializationException(
          "Value of "
              + framed.length
              + " bytes is too short for the Confluent wire format (at least "
              + HEADER_SIZE
              + " bytes: magic byte and schema id)");
    }
    if (framed[0] != MAGIC_BYTE) {
      throw new SerializationException(
          "Unknown magic byte "
              + framed[0]
              + ": the value was not written in the Confluent wire format");
    }
    return ByteBuffer.wrap(framed, 1, 4).getInt();
  }
}
