package io.runnel.registry.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Converts a JSON body to a record of the route's Avro schema, field by field, so that an error
 * names the field and what the schema expected there. Takes plain JSON (fields by name, unions as
 * their value, missing fields filled from defaults or null) and Avro's JSON encoding (unions as
 * {@code {"type": value}}); timestamps and dates may be ISO-8601 strings or numbers, decimals
 * numbers or strings. Unknown fields are refused, so that a misspelt field is not silently lost.
 * The result holds Avro's plain representations (a timestamp as a long, a decimal as bytes), which
 * the generic writer encodes as they are.
 */
public final class JsonToAvro {

  private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

  private static final ObjectReader STRICT =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .reader();

  private JsonToAvro() {}

  /**
   * Parses JSON text strictly, as {@link #convert} wants it: decimals kept exact, a duplicate field
   * or anything after the value refused.
   *
   * @throws JsonProcessingException with the line and column of the problem
   */
  public static JsonNode parse(String json) throws JsonProcessingException {
    return STRICT.readTree(json);
  }

  /** {@link #parse(String)} for UTF-8 bytes. */
  public static JsonNode parse(byte[] json) throws IOException {
    return STRICT.readTree(json);
  }

  public static GenericData.Record convert(Schema schema, JsonNode json) {
    return (GenericData.Record) value(schema, json, "");
  }

  private static Object value(Schema schema, JsonNode json, String path) {
    return switch (schema.getType()) {
      case RECORD -> record(schema, json, path);
      case UNION -> union(schema, json, path);
      case NULL -> {
        if (!json.isNull()) {
          throw mismatch(path, "null", json);
        }
        yield null;
      }
      case BOOLEAN -> {
        if (!json.isBoolean()) {
          throw mismatch(path, "a boolean", json);
        }
        yield json.booleanValue();
      }
      case INT -> intValue(schema, json, path);
      case LONG -> longValue(schema, json, path);
      case FLOAT -> (float) number(json, path, "a float");
      case DOUBLE -> number(json, path, "a double");
      case STRING -> string(schema, json, path);
      case BYTES -> ByteBuffer.wrap(bytes(schema, json, path));
      case FIXED -> fixed(schema, json, path);
      case ENUM -> enumSymbol(schema, json, path);
      case ARRAY -> array(schema, json, path);
      case MAP -> map(schema, json, path);
    };
  }

  private static GenericData.Record record(Schema schema, JsonNode json, String path) {
    if (!json.isObject()) {
      throw mismatch(path, "an object (" + schema.getName() + ")", json);
    }
    GenericData.Record record = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
      JsonNode value = json.get(field.name());
      if (value != null) {
        record.put(field.pos(), value(field.schema(), value, fieldPath));
      } else if (field.hasDefaultValue()) {
        record.put(field.pos(), GenericData.get().getDefaultValue(field));
      } else if (!acceptsNull(field.schema())) {
        throw new InvalidEventException(
            fieldPath,
            describe(field.schema()),
            "is required, expected " + describe(field.schema()));
      }
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (schema.getField(name) == null) {
        String fieldPath = path.isEmpty() ? name : path + "." + name;
        throw new InvalidEventException(
            fieldPath,
            "one of " + schema.getFields().stream().map(Schema.Field::name).toList(),
            "is not a field of " + schema.getName());
      }
    }
    return record;
  }

  private static Object union(Schema schema, JsonNode json, String path) {
    if (json.isNull()) {
      if (!acceptsNull(schema)) {
        throw mismatch(path, describe(schema), json);
      }
      return null;
    }
    // Avro's JSON encoding: {"double": 21.5} names the branch.
    if (json.isObject() && json.size() == 1) {
      String branchName = json.fieldNames().next();
      for (Schema branch : schema.getTypes()) {
        if (branch.getFullName().equals(branchName) || branch.getName().equals(branchName)) {
          if (branch.getType() != Schema.Type.RECORD || branch.getField(branchName) == null) {
            return value(branch, json.get(branchName), path);
          }
        }
      }
    }
    InvalidEventException last = null;
    for (Schema branch : schema.getTypes()) {
      if (branch.getType() == Schema.Type.NULL) {
        continue;
      }
      try {
        return value(branch, json, path);
      } catch (InvalidEventException e) {
        last = e;
      }
    }
    List<Schema> nonNull =
        schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
    // One real branch (an optional field): its own error says more than "none matched".
    if (nonNull.size() == 1 && last != null) {
      throw last;
    }
    throw mismatch(path, describe(schema), json);
  }

  private static int intValue(Schema schema, JsonNode json, String path) {
    LogicalType logical = schema.getLogicalType();
    if (json.isTextual() && logical instanceof LogicalTypes.Date) {
      try {
        return (int) LocalDate.parse(json.textValue()).toEpochDay();
      } catch (DateTimeParseException e) {
        throw new InvalidEventException(
            path, "a date (YYYY-MM-DD)", "'" + json.textValue() + "' is not a date (YYYY-MM-DD)");
      }
    }
    if (json.isTextual() && logical instanceof LogicalTypes.TimeMillis) {
      return (int) (nanoOfDay(json, path) / 1_000_000);
    }
    if (!json.isIntegralNumber() || !json.canConvertToInt()) {
      throw mismatch(path, describe(schema), json);
    }
    return json.intValue();
  }

  private static long longValue(Schema schema, JsonNode json, String path) {
    LogicalType logical = schema.getLogicalType();
    if (json.isTextual() && isTimestamp(logical)) {
      Instant instant;
      try {
        instant = Instant.parse(json.textValue());
      } catch (DateTimeParseException e) {
        throw new InvalidEventException(
            path,
            describe(schema),
            "'" + json.textValue() + "' is not an ISO-8601 instant such as 2026-11-23T10:15:30Z");
      }
      return logical instanceof LogicalTypes.TimestampMicros
              || logical instanceof LogicalTypes.LocalTimestampMicros
          ? ChronoUnit.MICROS.between(Instant.EPOCH, instant)
          : instant.toEpochMilli();
    }
    if (json.isTextual() && logical instanceof LogicalTypes.TimeMicros) {
      return nanoOfDay(json, path) / 1_000;
    }
    if (!json.isIntegralNumber() || !json.canConvertToLong()) {
      throw mismatch(path, describe(schema), json);
    }
    return json.longValue();
  }

  /** A time of day given as text (HH:MM:SS), in nanoseconds since midnight. */
  private static long nanoOfDay(JsonNode json, String path) {
    try {
      return LocalTime.parse(json.textValue()).toNanoOfDay();
    } catch (DateTimeParseException e) {
      throw new InvalidEventException(
          path, "a time (HH:MM:SS)", "'" + json.textValue() + "' is not a time (HH:MM:SS)");
    }
  }

  private static boolean isTimestamp(LogicalType logical) {
    return logical instanceof LogicalTypes.TimestampMillis
        || logical instanceof LogicalTypes.TimestampMicros
        || logical instanceof LogicalTypes.LocalTimestampMillis
        || logical instanceof LogicalTypes.LocalTimestampMicros;
  }

  private static double number(JsonNode json, String path, String expected) {
    if (!json.isNumber()) {
      throw mismatch(path, expected, json);
    }
    return json.doubleValue();
  }

  private static String string(Schema schema, JsonNode json, String path) {
    if (!json.isTextual()) {
      throw mismatch(path, describe(schema), json);
    }
    if ("uuid".equals(logicalName(schema))) {
      try {
        UUID.fromString(json.textValue());
      } catch (IllegalArgumentException e) {
        throw new InvalidEventException(path, "a UUID", "'" + json.textValue() + "' is not a UUID");
      }
    }
    return json.textValue();
  }

  private static byte[] bytes(Schema schema, JsonNode json, String path) {
    if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
      BigDecimal value;
      if (json.isNumber()) {
        value = json.decimalValue();
      } else if (json.isTextual()) {
        try {
          value = new BigDecimal(json.textValue());
        } catch (NumberFormatException e) {
          throw mismatch(path, describe(schema), json);
        }
      } else {
        throw mismatch(path, describe(schema), json);
      }
      BigDecimal scaled;
      try {
        scaled = value.setScale(decimal.getScale(), RoundingMode.UNNECESSARY);
      } catch (ArithmeticException e) {
        throw new InvalidEventException(
            path,
            describe(schema),
            value + " has more than " + decimal.getScale() + " digits after the point");
      }
      if (scaled.precision() > decimal.getPrecision()) {
        throw new InvalidEventException(
            path, describe(schema), value + " has more than " + decimal.getPrecision() + " digits");
      }
      ByteBuffer buffer = DECIMALS.toBytes(scaled, schema, decimal);
      byte[] out = new byte[buffer.remaining()];
      buffer.get(out);
      return out;
    }
    // Avro's JSON encoding of bytes: one character (U+0000..U+00FF) per byte.
    if (!json.isTextual()) {
      throw mismatch(path, describe(schema), json);
    }
    String text = json.textValue();
    if (text.chars().anyMatch(c -> c > 0xFF)) {
      throw new InvalidEventException(
          path, describe(schema), "holds characters above U+00FF, which are not bytes");
    }
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static GenericData.Fixed fixed(Schema schema, JsonNode json, String path) {
    byte[] bytes = bytes(schema, json, path);
    if (bytes.length != schema.getFixedSize()) {
      throw new InvalidEventException(
          path,
          describe(schema),
          "has " + bytes.length + " bytes, expected " + schema.getFixedSize());
    }
    return new GenericData.Fixed(schema, bytes);
  }

  private static GenericData.EnumSymbol enumSymbol(Schema schema, JsonNode json, String path) {
    if (!json.isTextual()) {
      throw mismatch(path, describe(schema), json);
    }
    if (!schema.hasEnumSymbol(json.textValue())) {
      throw new InvalidEventException(
          path,
          describe(schema),
          "'"
              + json.textValue()
              + "' is not a symbol of "
              + schema.getName()
              + ", expected one of "
              + schema.getEnumSymbols());
    }
    return new GenericData.EnumSymbol(schema, json.textValue());
  }

  private static List<Object> array(Schema schema, JsonNode json, String path) {
    if (!json.isArray()) {
      throw mismatch(path, describe(schema), json);
    }
    List<Object> items = new ArrayList<>(json.size());
    for (int i = 0; i < json.size(); i++) {
      items.add(value(schema.getElementType(), json.get(i), path + "[" + i + "]"));
    }
    return items;
  }

  private static Map<String, Object> map(Schema schema, JsonNode json, String path) {
    if (!json.isObject()) {
      throw mismatch(path, describe(schema), json);
    }
    Map<String, Object> entries = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      entries.put(
          entry.getKey(),
          value(schema.getValueType(), entry.getValue(), path + "." + entry.getKey()));
    }
    return entries;
  }

  private static boolean acceptsNull(Schema schema) {
    return schema.getType() == Schema.Type.NULL
        || (schema.getType() == Schema.Type.UNION
            && schema.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL));
  }

  private static String logicalName(Schema schema) {
    return schema.getLogicalType() == null ? null : schema.getLogicalType().getName();
  }

  /** What a schema wants, in words a caller understands. */
  static String describe(Schema schema) {
    String logical = logicalName(schema);
    if (logical != null) {
      return switch (logical) {
        case "timestamp-millis",
            "timestamp-micros",
            "local-timestamp-millis",
            "local-timestamp-micros" ->
            "a timestamp (ISO-8601 string or epoch "
                + (logical.endsWith("micros") ? "micros" : "millis")
                + ")";
        case "date" -> "a date (YYYY-MM-DD)";
        case "time-millis", "time-micros" -> "a time (HH:MM:SS)";
        case "uuid" -> "a UUID";
        case "decimal" -> {
          LogicalTypes.Decimal d = (LogicalTypes.Decimal) schema.getLogicalType();
          yield "a decimal(" + d.getPrecision() + "," + d.getScale() + ")";
        }
        default -> schema.getType().getName();
      };
    }
    return switch (schema.getType()) {
      case RECORD -> "an object (" + schema.getName() + ")";
      case UNION -> {
        List<String> branches = new ArrayList<>();
        for (Schema branch : schema.getTypes()) {
          branches.add(branch.getType() == Schema.Type.NULL ? "null" : describe(branch));
        }
        yield String.join(" or ", branches);
      }
      case ENUM -> "one of " + schema.getEnumSymbols();
      case ARRAY -> "an array of " + describe(schema.getElementType());
      case MAP -> "an object of " + describe(schema.getValueType());
      case STRING -> "a string";
      case INT -> "an int";
      case LONG -> "a long";
      case FLOAT -> "a float";
      case DOUBLE -> "a double";
      case BOOLEAN -> "a boolean";
      case BYTES -> "bytes (a string)";
      case FIXED -> schema.getFixedSize() + " bytes (a string)";
      case NULL -> "null";
    };
  }

  private static InvalidEventException mismatch(String path, String expected, JsonNode json) {
    return new InvalidEventException(
        path, expected, "expected " + expected + ", got " + shown(json));
  }

  private static String shown(JsonNode json) {
    String text = json.toString();
    String kind =
        json.isTextual()
            ? "a string"
            : json.isNumber()
                ? "a number"
                : json.isBoolean()
                    ? "a boolean"
                    : json.isNull()
                        ? "null"
                        : json.isArray() ? "an array" : json.isObject() ? "an object" : "a value";
    return kind + (text.length() > 40 ? "" : " " + text);
  }
}
