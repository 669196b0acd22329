package io.runnel.connectors.cdc.internals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns Kafka Connect schemas and values (what Debezium produces) into Avro schemas and generic
 * records, with PostgreSQL's types as Avro logical types: decimals as {@code decimal}, timestamps
 * as {@code timestamp-micros}/{@code -millis}, dates as {@code date}, uuids as {@code uuid}
 * strings. Optional columns become unions with null (default null), so adding a nullable column is
 * a backward-compatible change.
 *
 * <p>Debezium reuses one Connect schema object per table version, so schemas are cached by
 * identity. Only the engine's thread calls it.
 */
final class ConnectToAvro {

  static final String DECIMAL = "org.apache.kafka.connect.data.Decimal";
  private static final String PRECISION = "connect.decimal.precision";
  private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

  private final Map<org.apache.kafka.connect.data.Schema, Schema> schemas = new IdentityHashMap<>();
  private int unnamedRecords;

  /** The Avro schema of a Connect schema, nullable when the Connect schema is optional. */
  Schema schema(org.apache.kafka.connect.data.Schema connect) {
    Schema cached = schemas.get(connect);
    if (cached == null) {
      Schema base = baseSchema(connect);
      cached = connect.isOptional() ? nullable(base) : base;
      schemas.put(connect, cached);
    }
    return cached;
  }

  static Schema nullable(Schema schema) {
    return Schema.createUnion(Schema.create(Schema.Type.NULL), schema);
  }

  /** The non-null branch of a nullable schema, or the schema itself. */
  static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    return schema.getTypes().stream()
        .filter(type -> type.getType() != Schema.Type.NULL)
        .findFirst()
        .orElseThrow();
  }

  /** The Avro fields of a Connect struct schema, new objects each call (Avro fields are owned). */
  List<Schema.Field> fields(org.apache.kafka.connect.data.Schema struct) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Field field : struct.fields()) {
      Schema schema = schema(field.schema());
      Object defaultValue = defaultValue(field.schema(), schema);
      fields.add(new Schema.Field(field.name(), schema, null, defaultValue));
    }
    return fields;
  }

  private Schema baseSchema(org.apache.kafka.connect.data.Schema connect) {
    String logical = connect.name() == null ? "" : connect.name();
    switch (logical) {
      case DECIMAL -> {
        int scale = Integer.parseInt(connect.parameters().get("scale"));
        String precision = connect.parameters().get(PRECISION);
        int digits = precision == null ? Math.max(38, scale) : Integer.parseInt(precision);
        return LogicalTypes.decimal(digits, scale).addToSchema(Schema.create(Schema.Type.BYTES));
      }
      case "io.debezium.time.MicroTimestamp",
          "io.debezium.time.NanoTimestamp",
          "io.debezium.time.ZonedTimestamp" -> {
        return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
      }
      case "io.debezium.time.Timestamp", "org.apache.kafka.connect.data.Timestamp" -> {
        return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
      }
      case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date" -> {
        return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
      }
      case "io.debezium.time.MicroTime" -> {
        return LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
      }
      case "io.debezium.data.Uuid" -> {
        return LogicalTypes.uuid().addToSchema(Schema.create(Schema.Type.STRING));
      }
      default -> {
        // fall through to the physical type
      }
    }
    return switch (connect.type()) {
      case INT8, INT16, INT32 -> Schema.create(Schema.Type.INT);
      case INT64 -> Schema.create(Schema.Type.LONG);
      case FLOAT32 -> Schema.create(Schema.Type.FLOAT);
      case FLOAT64 -> Schema.create(Schema.Type.DOUBLE);
      case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
      case STRING -> Schema.create(Schema.Type.STRING);
      case BYTES -> Schema.create(Schema.Type.BYTES);
      case ARRAY -> Schema.createArray(schema(connect.valueSchema()));
      case MAP -> {
        if (connect.keySchema().type() != org.apache.kafka.connect.data.Schema.Type.STRING) {
          throw new IllegalArgumentException(
              "Maps with " + connect.keySchema().type() + " keys have no Avro form");
        }
        yield Schema.createMap(schema(connect.valueSchema()));
      }
      case STRUCT -> record(connect);
    };
  }

  private Schema record(org.apache.kafka.connect.data.Schema struct) {
    String fullName = struct.name() == null ? "Struct" + unnamedRecords++ : struct.name();
    // A second Connect schema object with the same name (a new table version) gets the new fields;
    // Avro only needs one definition per name within one schema.
    int dot = fullName.lastIndexOf('.');
    Schema record =
        Schema.createRecord(
            dot < 0 ? fullName : fullName.substring(dot + 1),
            null,
            dot < 0 ? null : fullName.substring(0, dot),
            false);
    record.setFields(fields(struct));
    return record;
  }

  private static Object defaultValue(org.apache.kafka.connect.data.Schema connect, Schema avro) {
    Object value = connect.defaultValue();
    if (value == null) {
      return connect.isOptional() ? JsonProperties.NULL_VALUE : null;
    }
    if (connect.name() != null) {
      return connect.isOptional() ? JsonProperties.NULL_VALUE : null; // logical defaults: left out
    }
    Object plain =
        switch (value) {
          case Byte b -> (int) b;
          case Short s -> (int) s;
          case Integer i -> i;
          case Long l -> l;
          case Float f -> f;
          case Double d -> d;
          case Boolean b -> b;
          case String s -> s;
          default -> null;
        };
    // A union's default must match its first branch: null-first unions default to null only.
    if (avro.getType() == Schema.Type.UNION) {
      return JsonProperties.NULL_VALUE;
    }
    return plain;
  }

  /** The Avro value of a Connect value of the given Connect schema. */
  Object value(org.apache.kafka.connect.data.Schema connect, Object value) {
    if (value == null) {
      return null;
    }
    String logical = connect.name() == null ? "" : connect.name();
    switch (logical) {
      case DECIMAL -> {
        Schema avro = nonNull(schema(connect));
        LogicalTypes.Decimal decimal = (LogicalTypes.Decimal) avro.getLogicalType();
        BigDecimal scaled =
            ((BigDecimal) value).setScale(decimal.getScale(), RoundingMode.UNNECESSARY);
        return DECIMALS.toBytes(scaled, avro, decimal);
      }
      case "io.debezium.time.ZonedTimestamp" -> {
        Instant instant = OffsetDateTime.parse((String) value).toInstant();
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
      }
      case "io.debezium.time.NanoTimestamp" -> {
        return ((Long) value) / 1000;
      }
      case "org.apache.kafka.connect.data.Timestamp" -> {
        return ((java.util.Date) value).getTime();
      }
      case "org.apache.kafka.connect.data.Date" -> {
        return (int) (((java.util.Date) value).getTime() / 86_400_000L);
      }
      default -> {
        // physical value below
      }
    }
    return switch (connect.type()) {
      case INT8 -> ((Byte) value).intValue();
      case INT16 -> ((Short) value).intValue();
      case BYTES -> value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
      case ARRAY -> {
        List<Object> items = new ArrayList<>();
        for (Object item : (List<?>) value) {
          items.add(value(connect.valueSchema(), item));
        }
        yield items;
      }
      case MAP -> {
        Map<String, Object> entries = new HashMap<>();
        ((Map<?, ?>) value)
            .forEach((k, v) -> entries.put((String) k, value(connect.valueSchema(), v)));
        yield entries;
      }
      case STRUCT -> record((Struct) value);
      default -> value;
    };
  }

  /** A Connect struct as a generic record of its Avro schema. */
  GenericData.Record record(Struct struct) {
    GenericData.Record record = new GenericData.Record(nonNull(schema(struct.schema())));
    copyFields(struct, record);
    return record;
  }

  /** Copies the struct's fields into same-named fields of {@code record}. */
  void copyFields(Struct struct, GenericData.Record record) {
    for (Field field : struct.schema().fields()) {
      record.put(field.name(), value(field.schema(), struct.get(field)));
    }
  }
}
