package io.runnel.examples.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.registry.SchemaRegistryException;
import io.runnel.test.ReceivedRecord;
import io.runnel.test.RunnelTest;
import io.runnel.test.RunnelTestKit;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

@RunnelTest
class TemperatureAlertFunctionTest {

  static GenericRecord alertOf(ReceivedRecord record) {
    return (GenericRecord) record.value();
  }

  @Test
  void hotReadingRaisesAnAlertAndACoolOneDoesNot(RunnelTestKit kit) {
    Instant measured = Instant.ofEpochMilli(1_700_000_123_000L);
    kit.send(
        "iot.telemetry",
        "cool-1",
        SensorReading.newBuilder()
            .setDeviceId("cool-1")
            .setTimestamp(measured)
            .setTemperatureC(20.0)
            .build());
    kit.send(
        "iot.telemetry",
        "hot-1",
        SensorReading.newBuilder()
            .setDeviceId("hot-1")
            .setTimestamp(measured)
            .setTemperatureC(85.5)
            .setHumidity(12.0)
            .build());

    ReceivedRecord alert = kit.awaitRecords("iot.alerts", 1, r -> r.key().endsWith("-1")).get(0);
    assertThat(alert.key()).isEqualTo("hot-1");
    assertThat(alertOf(alert).get("deviceId")).hasToString("hot-1");
    assertThat(alertOf(alert).get("timestamp")).isEqualTo(measured.toEpochMilli());
    assertThat(alertOf(alert).get("temperatureC")).isEqualTo(85.5);
    assertThat(alertOf(alert).get("threshold")).isEqualTo(80.0);
    assertThat(alertOf(alert).getSchema().getFullName())
        .isEqualTo("io.runnel.examples.iot.TemperatureAlert");
  }

  @Test
  void producersWithOlderAndNewerCompatibleSchemasDriveTheFunction(RunnelTestKit kit) {
    // What a producer in another language would register: its own copies of the schema.
    Schema older = sensorReadingCopy("");
    Schema newer =
        sensorReadingCopy(
            """
            , {"name": "humidity", "type": ["null", "double"], "default": null},
              {"name": "location", "type": "string", "default": "unknown"}""");
    GenericRecord fromOld = new GenericData.Record(older);
    fromOld.put("deviceId", "old-2");
    fromOld.put("timestamp", 1L);
    fromOld.put("temperatureC", 81.0);
    GenericRecord fromNew = new GenericData.Record(newer);
    fromNew.put("deviceId", "new-2");
    fromNew.put("timestamp", 2L);
    fromNew.put("temperatureC", 82.0);
    fromNew.put("humidity", 50.0);
    fromNew.put("location", "roof");
    kit.send("iot.telemetry", "old-2", fromOld);
    kit.send("iot.telemetry", "new-2", fromNew);

    List<ReceivedRecord> alerts = kit.awaitRecords("iot.alerts", 2, r -> r.key().endsWith("-2"));
    assertThat(alerts)
        .extracting(r -> alertOf(r).get("temperatureC"))
        .containsExactlyInAnyOrder(81.0, 82.0);
    assertThat(kit.registry().getVersions("iot.telemetry-value")).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void confluentFramedBytesFromAnyClientDriveTheFunction(RunnelTestKit kit) {
    int id =
        kit.registry()
            .register(
                "iot.telemetry-value",
                new Schema.Parser().parse(SensorReading.getClassSchema().toString()));
    // deviceId "d1", timestamp 1700000000000, temperatureC 85.5, humidity null, in Avro binary.
    byte[] body = HexFormat.of().parseHex("04643180a0abfef962000000000060554000");
    byte[] framed = ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body).array();
    kit.sendRaw("iot.telemetry", "d1", framed);
    assertThat(
            alertOf(kit.awaitRecords("iot.alerts", 1, r -> "d1".equals(r.key())).get(0))
                .get("temperatureC"))
        .isEqualTo(85.5);
  }

  @Test
  void incompatibleSchemaIsRefusedWith409(RunnelTestKit kit) {
    kit.registry().register("iot.telemetry-value", SensorReading.getClassSchema());
    Schema incompatible =
        SchemaBuilder.record("SensorReading")
            .namespace("io.runnel.examples.iot")
            .fields()
            .requiredString("deviceId")
            .requiredString("temperatureC")
            .endRecord();
    assertThatThrownBy(() -> kit.registry().register("iot.telemetry-value", incompatible))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(409));
  }

  @Test
  void garbageOnTheTopicLandsInTheDeadLetterTopicAndLaterReadingsAreStillHandled(
      RunnelTestKit kit) {
    kit.sendRaw("iot.telemetry", "garbage-3", new byte[] {1, 2, 3});
    kit.send(
        "iot.telemetry",
        "hot-3",
        SensorReading.newBuilder()
            .setDeviceId("hot-3")
            .setTimestamp(Instant.now())
            .setTemperatureC(100.0)
            .build());
    ReceivedRecord dead =
        kit.awaitRecords("iot.telemetry.dlq", 1, r -> "garbage-3".equals(r.key())).get(0);
    assertThat(dead.header("runnel.error.function")).isEqualTo("temperature-alert");
    assertThat(dead.rawValue()).containsExactly(1, 2, 3);
    assertThat(kit.awaitRecords("iot.alerts", 1, r -> "hot-3".equals(r.key()))).hasSize(1);
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
