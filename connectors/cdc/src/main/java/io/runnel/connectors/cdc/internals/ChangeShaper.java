package io.runnel.connectors.cdc.internals;

import io.runnel.connectors.cdc.CdcShape;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Struct;

/**
 * Builds the Kafka value of one Debezium change in the configured {@link CdcShape}: the flat row
 * with {@code __op}, {@code __lsn}, {@code __ts_ms}, {@code __deleted}, or a trimmed envelope with
 * {@code before}, {@code after}, {@code op}, {@code ts_ms} and a {@code source} of lsn, txId,
 * database, schema, table and commit time.
 */
final class ChangeShaper {

  static final Schema SOURCE =
      SchemaBuilder.record("Source")
          .namespace("io.runnel.cdc")
          .doc("Where a change came from: PostgreSQL's log position and transaction.")
          .fields()
          .requiredString("db")
          .requiredString("schema")
          .requiredString("table")
          .optionalLong("lsn")
          .optionalLong("txId")
          .requiredLong("ts_ms")
          .endRecord();

  private final CdcShape shape;
  private final ConnectToAvro avro;
  private final Map<org.apache.kafka.connect.data.Schema, Schema> shaped = new IdentityHashMap<>();

  ChangeShaper(CdcShape shape, ConnectToAvro avro) {
    this.shape = shape;
    this.avro = avro;
  }

  /** The value to publish for a Debezium envelope struct. */
  GenericData.Record value(Struct envelope) {
    return shape == CdcShape.FLAT ? flat(envelope) : envelope(envelope);
  }

  private GenericData.Record flat(Struct envelope) {
    String op = envelope.getString("op");
    boolean deleted = "d".equals(op);
    Struct row = envelope.getStruct(deleted ? "before" : "after");
    Struct source = envelope.getStruct("source");
    Schema schema = shaped.computeIfAbsent(envelope.schema(), this::flatSchema);
    GenericData.Record record = new GenericData.Record(schema);
    if (row != null) {
      avro.copyFields(row, record);
    }
    record.put("__op", op);
    record.put("__lsn", source.getInt64("lsn"));
    record.put("__ts_ms", source.getInt64("ts_ms"));
    record.put("__deleted", deleted);
    return record;
  }

  private Schema flatSchema(org.apache.kafka.connect.data.Schema envelope) {
    org.apache.kafka.connect.data.Schema row = envelope.field("after").schema();
    Schema rowAvro = ConnectToAvro.nonNull(avro.schema(row));
    List<Schema.Field> fields = new ArrayList<>(avro.fields(row));
    fields.add(new Schema.Field("__op", Schema.create(Schema.Type.STRING), "c, u, d or r"));
    fields.add(
        new Schema.Field(
            "__lsn",
            ConnectToAvro.nullable(Schema.create(Schema.Type.LONG)),
            "PostgreSQL log position of the change",
            JsonProperties.NULL_VALUE));
    fields.add(
        new Schema.Field("__ts_ms", Schema.create(Schema.Type.LONG), "commit time, epoch ms"));
    fields.add(new Schema.Field("__deleted", Schema.create(Schema.Type.BOOLEAN), "a delete"));
    Schema flat = Schema.createRecord(rowAvro.getName(), null, rowAvro.getNamespace(), false);
    flat.setFields(fields);
    return flat;
  }

  private GenericData.Record envelope(Struct envelope) {
    Schema schema = shaped.computeIfAbsent(envelope.schema(), this::envelopeSchema);
    GenericData.Record record = new GenericData.Record(schema);
    Struct before = envelope.getStruct("before");
    Struct after = envelope.getStruct("after");
    record.put("before", before == null ? null : avro.record(before));
    record.put("after", after == null ? null : avro.record(after));
    record.put("op", envelope.getString("op"));
    Long tsMs = envelope.getInt64("ts_ms");
    record.put("ts_ms", tsMs == null ? 0L : tsMs);
    Struct source = envelope.getStruct("source");
    GenericData.Record from = new GenericData.Record(SOURCE);
    from.put("db", source.getString("db"));
    from.put("schema", source.getString("schema"));
    from.put("table", source.getString("table"));
    from.put("lsn", source.getInt64("lsn"));
    from.put("txId", source.getInt64("txId"));
    from.put("ts_ms", source.getInt64("ts_ms"));
    record.put("source", from);
    return record;
  }

  private Schema envelopeSchema(org.apache.kafka.connect.data.Schema envelope) {
    Schema row = avro.schema(envelope.field("after").schema()); // nullable: absent on deletes
    Schema rowRecord = ConnectToAvro.nonNull(row);
    return SchemaBuilder.record("Envelope")
        .namespace(rowRecord.getNamespace())
        .fields()
        .name("before")
        .type(row)
        .withDefault(null)
        .name("after")
        .type(row)
        .withDefault(null)
        .requiredString("op")
        .requiredLong("ts_ms")
        .name("source")
        .type(SOURCE)
        .noDefault()
        .endRecord();
  }
}
