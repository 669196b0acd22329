package io.runnel.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.examples.iot.SensorReading;
import io.runnel.registry.SubjectNameStrategy;
import io.runnel.registry.serde.AvroDeserializer;
import io.runnel.registry.serde.AvroSerdeConfig;
import io.runnel.registry.serde.AvroSerializer;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The serde against the dev registry, checked byte for byte against the Confluent wire format. */
class AvroSerdeWireCompatibilityTest extends DevRegistryTestBase {

  // SensorReading{deviceId="d1", timestamp=1700000000000, temperatureC=85.5, humidity=null}, as
  // Avro binary: string length 2 (zigzag 0x04) "d1", long varint, double little-endian, union index
  // 0.
  static final String SENSOR_READING_BODY = "04643180a0abfef962000000000060554000";

  static SensorReading reading() {
    return SensorReading.newBuilder()
        .setDeviceId("d1")
        .setTimestamp(Instant.ofEpochMilli(1_700_000_000_000L))
        .setTemperatureC(85.5)
        .build();
  }

  static byte[] framed(int schemaId, String bodyHex) {
    byte[] body = HexFormat.of().parseHex(bodyHex);
    return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(schemaId).put(body).array();
  }

  @Test
  void serializerWritesExactlyTheConfluentWireFormat() {
    AvroSerializer serializer = new AvroSerializer();
    serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()), false);
    byte[] bytes = serializer.serialize("wire.a", reading());
    int id = client.getLatestVersion("wire.a-value").id();
    assertThat(bytes).isEqualTo(framed(id, SENSOR_READING_BODY));
  }

  @Test
  void bytesWrittenByAConfluentProducerDecodeToTheGeneratedClass() {
    // A producer in another language registers its own copy of the schema, then writes framed
    // bytes.
    int id =
        client.register(
            "wire.b-value", new Schema.Parser().parse(SensorReading.getClassSchema().toString()));
    AvroDeserializer deserializer = AvroDeserializer.forSpecificClass(client, SensorReading.class);
    Object value = deserializer.deserialize("wire.b", framed(id, SENSOR_READING_BODY));
    assertThat(value).isEqualTo(reading());

    AvroDeserializer configured = new AvroDeserializer();
    configured.configure(
        Map.of(
            AvroSerdeConfig.SCHEMA_REGISTRY_URL,
            registry.url(),
            AvroSerdeConfig.SPECIFIC_AVRO_READER,
            "true"),
        false);
    assertThat(
            configured.deserialize(
                "wire.b", framed(id, "04643180a0abfef9620000000000403540020000000000004440")))
        .isEqualTo(
            SensorReading.newBuilder(reading()).setTemperatureC(21.25).setHumidity(40.0).build());
  }

  @Test
  void olderAndNewerWriterSchemasResolveToTheReaderSchema() {
    Schema older = sensorReadingCopy("");
    Schema newer =
        sensorReadingCopy(
            """
            , {"name": "humidity", "type": ["null", "double"], "default": null},
              {"name": "firmware", "type": "string", "default": "unknown"}""");
    AvroSerializer serializer =
        new AvroSerializer(client, SubjectNameStrategy.TOPIC_NAME, true, false);
    GenericRecord old = new GenericData.Record(older);
    old.put("deviceId", "d-old");
    old.put("timestamp", 5L);
    old.put("temperatureC", 1.5);
    GenericRecord neu = new GenericData.Record(newer);
    neu.put("deviceId", "d-new");
    neu.put("timestamp", 6L);
    neu.put("temperatureC", 2.5);
    neu.put("humidity", 30.0);
    neu.put("firmware", "1.2");

    byte[] oldBytes = serializer.serialize("wire.c", old);
    byte[] newBytes = serializer.serialize("wire.c", neu);

    AvroDeserializer deserializer = AvroDeserializer.forSpecificClass(client, SensorReading.class);
    SensorReading fromOld = (SensorReading) deserializer.deserialize("wire.c", oldBytes);
    SensorReading fromNew = (SensorReading) deserializer.deserialize("wire.c", newBytes);
    assertThat(fromOld.getDeviceId()).isEqualTo("d-old");
    assertThat(fromOld.getHumidity()).isNull();
    assertThat(fromNew.getHumidity()).isEqualTo(30.0);
    assertThat(fromNew.getTimestamp()).isEqualTo(Instant.ofEpochMilli(6));

    // Generic reading with the writer's own schema keeps the extra field.
    GenericRecord generic =
        (GenericRecord) new AvroDeserializer(client, null, false).deserialize("wire.c", newBytes);
    assertThat(generic.get("firmware")).hasToString("1.2");
  }

  @Test
  void subjectNameStrategiesMatchConfluents() {
    Schema schema = SensorReading.getClassSchema();
    assertThat(
            SubjectNameStrategy.parse("io.confluent.kafka.serializers.subject.TopicNameStrategy")
                .subject("t", false, schema))
        .isEqualTo("t-value");
    assertThat(SubjectNameStrategy.parse("TopicNameStrategy").subject("t", true, schema))
        .isEqualTo("t-key");
    assertThat(
            SubjectNameStrategy.parse("io.confluent.kafka.serializers.subject.RecordNameStrategy")
                .subject("t", false, schema))
        .isEqualTo("io.runnel.examples.iot.SensorReading");
    assertThat(SubjectNameStrategy.parse("TopicRecordNameStrategy").subject("t", false, schema))
        .isEqualTo("t-io.runnel.examples.iot.SensorReading");

    AvroSerializer serializer = new AvroSerializer();
    serializer.configure(
        Map.of(
            AvroSerdeConfig.SCHEMA_REGISTRY_URL,
            registry.url(),
            AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
            "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"),
        false);
    serializer.serialize("wire.d", reading());
    assertThat(client.getSubjects()).contains("wire.d-io.runnel.examples.iot.SensorReading");
  }

  @Test
  void withoutAutoRegistrationAnUnregisteredSchemaIsAnError() {
    AvroSerializer serializer = new AvroSerializer();
    serializer.configure(
        Map.of(
            AvroSerdeConfig.SCHEMA_REGISTRY_URL,
            registry.url(),
            AvroSerdeConfig.AUTO_REGISTER_SCHEMAS,
            "false"),
        false);
    assertThatThrownBy(() -> serializer.serialize("wire.e", reading()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("wire.e-value");
    client.register("wire.e-value", SensorReading.getClassSchema());
    assertThat(serializer.serialize("wire.e", reading())).startsWith(0);
  }

  @Test
  void undecodableBytesFailWithTheReason() {
    AvroDeserializer deserializer = AvroDeserializer.forSpecificClass(client, SensorReading.class);
    assertThatThrownBy(() -> deserializer.deserialize("wire.f", "not avro".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("magic byte");
    assertThatThrownBy(
            () -> deserializer.deserialize("wire.f", framed(424242, SENSOR_READING_BODY)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("424242");
    int id = client.register("wire.f-value", SensorReading.getClassSchema());
    assertThatThrownBy(() -> deserializer.deserialize("wire.f", framed(id, "0464")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Cannot decode");
    assertThatThrownBy(() -> new AvroSerializer().configure(Map.of(), false))
        .hasMessageContaining("schema.registry.url");
  }

  /**
   * SensorReading as another producer might declare its own copy: the first three fields, plus the
   * given extra field declarations.
   */
  static Schema sensorReadingCopy(String extraFields) {
    return new Schema.Parser()
        .parse(
            """
            {"type": "record", "name": "SensorReading", "namespace": "io.runnel.examples.iot", "fields": [
              {"name": "deviceId", "type": "string"},
              {"name": "timestamp", "type": "long"},
              {"name": "temperatureC", "type": "double"}%s]}
            """
                .formatted(extraFields));
  }
}
