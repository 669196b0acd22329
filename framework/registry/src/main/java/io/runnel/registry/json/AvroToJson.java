package io.runnel.registry.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * The inverse of {@link JsonToAvro}, for replies and events sent out as JSON: plain JSON with
 * unions as their value, timestamps as ISO-8601 strings, dates as YYYY-MM-DD and decimals as
 * numbers.
 */
public final class AvroToJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

  private AvroToJson() {}

  public static JsonNode convert(GenericRecord record) {
    return value(record.getSchema(), record);
  }

  private static JsonNode value(Schema schema, Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    return switch (schema.getType()) {
      case RECORD -> {
        GenericRecord record = (GenericRecord) value;
        ObjectNode object = NODES.objectNode();
        for (Schema.Field field : schema.getFields()) {
          object.set(field.name(), value(field.schema(), record.get(field.pos())));
        }
        yield object;
      }
      case UNION ->
          value(schema.getTypes().get(GenericData.get().resolveUnion(schema, value)), value);
      case NULL -> NODES.nullNode();
      case BOOLEAN -> NODES.booleanNode((Boolean) value);
      case INT ->
          schema.getLogicalType() instanceof LogicalTypes.Date
              ? NODES.textNode(LocalDate.ofEpochDay((Integer) value).toString())
              : schema.getLogicalType() instanceof LogicalTypes.TimeMillis
                  ? NODES.textNode(LocalTime.ofNanoOfDay((Integer) value * 1_000_000L).toString())
                  : NODES.numberNode((Integer) value);
      case LONG -> longValue(schema, (Long) value);
      case FLOAT -> NODES.numberNode((Float) value);
      case DOUBLE -> NODES.numberNode((Double) value);
      case STRING, ENUM -> NODES.textNode(value.toString());
      case BYTES ->
          schema.getLogicalType() instanceof LogicalTypes.Decimal decimal
              ? NODES.numberNode(
                  DECIMALS.fromBytes(((ByteBuffer) value).duplicate(), schema, decimal))
              : NODES.textNode(latin1(((ByteBuffer) value).duplicate()));
      case FIXED ->
          schema.getLogicalType() instanceof LogicalTypes.Decimal decimal
              ? NODES.numberNode(DECIMALS.fromFixed((GenericFixed) value, schema, decimal))
              : NODES.textNode(
                  new String(((GenericFixed) value).bytes(), StandardCharsets.ISO_8859_1));
      case ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        for (Object item : (Iterable<?>) value) {
          array.add(value(schema.getElementType(), item));
        }
        yield array;
      }
      case MAP -> {
        ObjectNode object = NODES.objectNode();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          object.set(entry.getKey().toString(), value(schema.getValueType(), entry.getValue()));
        }
        yield object;
      }
    };
  }

  private static JsonNode longValue(Schema schema, long value) {
    if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
      return NODES.textNode(Instant.ofEpochMilli(value).toString());
    }
    if (schema.getLogicalType() instanceof LogicalTypes.TimestampMicros) {
      return NODES.textNode(
          Instant.ofEpochSecond(
                  Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1_000L)
              .toString());
    }
    if (schema.getLogicalType() instanceof LogicalTypes.TimeMicros) {
      return NODES.textNode(LocalTime.ofNanoOfDay(value * 1_000L).toString());
    }
    return NODES.numberNode(value);
  }

  private static String latin1(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
